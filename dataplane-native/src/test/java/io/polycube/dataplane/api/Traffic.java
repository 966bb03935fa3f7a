package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.spec;

/** Helpers for tests that push live frames through a veth pair. */
final class Traffic {
    private Traffic() {
    }

    /** A 64-byte frame of the EtherType test_live's counter counts. */
    static byte[] frame() {
        byte[] f = TestObjects.packet(64);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5;
        return f;
    }

    /** test_live with its generator aimed at {@code ifindex}. */
    static BpfObject generator(int ifindex) throws BpfException {
        try (BpfObjectSpec s = spec("test_live")) {
            return s.setConstant("target_ifindex", ifindex).load();
        }
    }

    /** Sum of both counter slots over all CPUs, once it reaches {@code expected} or after 2 s. */
    static long awaitCount(BpfPerCpuArrayMap counts, long expected) throws Exception {
        long deadline = System.nanoTime() + 2_000_000_000L;
        long total;
        do {
            total = LiveTestRunTest.sum(counts, 0) + LiveTestRunTest.sum(counts, 1);
            if (total >= expected) {
                return total;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return total;
    }
}
