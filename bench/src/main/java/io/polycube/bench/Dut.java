package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.TestRunResult;

/**
 * A device under test: whatever takes frames arriving on {@link Topology#dutIn()} and sends them
 * out of {@link Topology#dutOut()} (one program, one cube, or a chain of N cubes: {@link ChainDut}). The
 * harness calls {@link #setUp}, drives traffic, calls {@link #micro}, then {@link #close}.
 */
public interface Dut extends AutoCloseable {
    /** Metric name part, e.g. {@code vanilla}, {@code simplefwd}, {@code chain4}. */
    String name();

    Hook hook();

    /** Loads, configures and attaches; on failure leaves nothing attached. */
    void setUp(Topology topology) throws BpfException;

    /**
     * Non-live {@code BPF_PROG_TEST_RUN} of the first program a frame meets, as if received on
     * {@code dutIn}, {@code repeat} times. The harness checks that the verdict is a redirect.
     */
    TestRunResult micro(Topology topology, byte[] frame, int repeat) throws BpfException;

    /** Detaches and unloads; idempotent, never throws. */
    @Override
    void close();
}
