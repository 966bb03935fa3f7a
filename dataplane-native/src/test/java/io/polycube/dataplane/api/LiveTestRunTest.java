package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.packet;
import static io.polycube.dataplane.api.TestObjects.spec;
import static io.polycube.dataplane.api.TestObjects.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Live-frames test runs really transmit: a generator redirects into veth a, b's XDP counts. */
class LiveTestRunTest {
    private static TestVeth veth;

    @BeforeAll
    static void setUp() {
        veth = new TestVeth();
    }

    @AfterAll
    static void tearDown() {
        if (veth != null) {
            veth.close();
        }
    }

    @Test
    void everyLiveFrameArrives() throws Exception {
        int n = 10_000;
        try (BpfObject counter = spec("test_live").load();
             BpfObject generator = Traffic.generator(veth.ifindexA);
             BpfLink sink = counter.program("xdp_count").attachXdp(veth.ifindexB, XdpMode.DRV)) {
            byte[] frame = Traffic.frame();
            TestRunResult result = generator.program("xdp_gen").testRun(TestRun.of(frame).withRepeat(n)
                .withCtxIn(TestRun.xdpContext(1, 0, frame.length)).liveFrames(64));
            assertEquals(0, result.retval(), "live runs report no verdict");
            assertEquals(0, result.dataOut().length);
            assertTrue(result.durationNs() > 0);
            assertEquals(n, Traffic.awaitCount(counter.perCpuArrayMap("counts"), n));
        }
    }

    @Test
    void nonLiveRunWithContextAndOptionsChecks() throws Exception {
        try (BpfObject generator = Traffic.generator(veth.ifindexA)) {
            byte[] frame = packet(64);
            TestRunResult r = generator.program("xdp_gen").testRun(TestRun.of(frame).withRepeat(100)
                .withCtxIn(TestRun.xdpContext(veth.ifindexB, 0, frame.length)));
            assertEquals(4, r.retval());
            assertEquals(64, r.dataOut().length);
            // data_end beyond the packet: refused
            BpfException bad = assertThrows(BpfException.class, () -> generator.program("xdp_gen")
                .testRun(TestRun.of(frame).withCtxIn(TestRun.xdpContext(1, 0, 100))));
            assertEquals(22, bad.errno());
        }
        assertThrows(IllegalArgumentException.class, () -> TestRun.of(packet(64)).withFlags(0).liveFrames(0)
            .withFlags(0).withRepeat(1).liveFrames(-1));
        assertThrows(IllegalArgumentException.class, () -> new TestRun(packet(64), 1, java.util.Optional.empty(), 0, 8));
    }

    static long sum(BpfPerCpuArrayMap map, int index) throws BpfException {
        long total = 0;
        for (byte[] v : map.get(index)) {
            total += u64(v);
        }
        return total;
    }
}
