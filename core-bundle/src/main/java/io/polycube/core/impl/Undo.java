package io.polycube.core.impl;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inverse steps of a multi-step kernel change, run in reverse order when a later step fails,
 * so that a change is applied completely or not at all.
 */
final class Undo {
    private static final Logger LOG = LoggerFactory.getLogger(Undo.class);

    interface Step {
        void run() throws Exception;
    }

    private final Deque<Step> steps = new ArrayDeque<>();

    void push(Step inverse) {
        steps.push(inverse);
    }

    /** Runs every recorded inverse, newest first; an inverse that fails is logged and skipped. */
    void rollback() {
        while (!steps.isEmpty()) {
            try {
                steps.pop().run();
            } catch (Exception e) {
                LOG.error("Rollback step failed; the data path may be inconsistent", e);
            }
        }
    }

    void forget() {
        steps.clear();
    }
}
