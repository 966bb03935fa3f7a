package io.polycube.core.metrics;

import io.polycube.dataplane.api.CompileException;
import io.polycube.dataplane.api.VerifierException;

/** How a µCube reload ended; the {@code result} label of the reload metrics. */
public enum ReloadResult {
    OK("ok"),
    COMPILE_ERROR("compile_error"),
    VERIFIER_ERROR("verifier_error"),
    /** Anything else: a bad index, libbpf or the kernel refusing the swap. */
    FAILED("failed");

    private final String label;

    ReloadResult(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The result a reload that threw {@code failure} had (the core keeps clang's and the verifier's errors as causes). */
    public static ReloadResult of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CompileException) {
                return COMPILE_ERROR;
            }
            if (t instanceof VerifierException) {
                return VERIFIER_ERROR;
            }
        }
        return FAILED;
    }
}
