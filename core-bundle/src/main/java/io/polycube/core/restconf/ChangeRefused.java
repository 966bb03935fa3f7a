// SPDX-License-Identifier: Apache-2.0
// This file contains ChangeRefused: the data plane's refusal of one instance's change, naming the instance.
package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import io.polycube.core.spi.CubeException;

/**
 * A {@link ChangeApplier} refused {@link #change()} (the cube, the kernel, the verifier): same kind and
 * message as the refusal, plus which instance, so that the answer can name it (an RFC 8040 error-path,
 * the RFC 8072 edit that touched it).
 */
public final class ChangeRefused extends CubeException {
    private static final long serialVersionUID = 1L;
    private final transient InstanceChange change;

    public ChangeRefused(InstanceChange change, CubeException refusal) {
        super(refusal.kind(), refusal.getMessage(), refusal);
        this.change = requireNonNull(change);
    }

    public InstanceChange change() {
        return change;
    }

    /** The instance's data path, e.g. {@code /pcn-simplefwd:simplefwd[name='f1']} (module {@code pcn-<type>}). */
    String errorPath() {
        return "/pcn-" + change.cubeType() + ":" + change.cubeType() + "[name='"
            + change.instanceName().replace("'", "\\'") + "']";
    }
}
