package io.polycube.dataplane.api;

import static java.util.Objects.requireNonNull;

/**
 * Outcome of {@code BPF_PROG_TEST_RUN}.
 *
 * @param retval the program's return code (e.g. {@code XDP_PASS}); always 0 for a live-frames run
 * @param dataOut the packet as the program left it; empty for a live-frames run
 * @param durationNs the kernel-measured mean run time per repetition (whole nanoseconds)
 */
public record TestRunResult(int retval, byte[] dataOut, long durationNs) {
    public TestRunResult {
        dataOut = requireNonNull(dataOut).clone();
    }

    @Override
    public byte[] dataOut() {
        return dataOut.clone();
    }
}
