package io.polycube.dataplane.api;

import static java.util.Objects.requireNonNull;

/**
 * Outcome of {@code BPF_PROG_TEST_RUN}.
 *
 * @param retval the program's return code (e.g. {@code XDP_PASS})
 * @param dataOut the packet as the program left it
 * @param durationNs the kernel-measured mean run time per repetition
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
