package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.run;
import static io.polycube.dataplane.api.TestObjects.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** BpfLink.replace swaps the program in place; checked with ip, tc, bpftool and under traffic. */
class ReplaceTest {
    private static TestVeth veth;
    private static BpfObject xdp;
    private static BpfObject tc;
    private static BpfObject live;

    @BeforeAll
    static void setUp() throws Exception {
        veth = new TestVeth();
        try {
            xdp = spec("test_xdp").load();
            tc = spec("test_tc").load();
            live = spec("test_live").load();
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() {
        for (BpfObject o : new BpfObject[] {xdp, tc, live}) {
            if (o != null) {
                o.close();
            }
        }
        veth.close();
    }

    @Test
    void xdpGenericReplace() throws Exception {
        xdpReplace(XdpMode.SKB);
    }

    @Test
    void xdpNativeReplace() throws Exception {
        xdpReplace(XdpMode.DRV);
    }

    private void xdpReplace(XdpMode mode) throws Exception {
        BpfProgram a = xdp.program("xdp_test");
        BpfProgram b = xdp.program("xdp_drop");
        BpfLink link = a.attachXdp(veth.ifindexA, mode);
        try {
            assertAttached(a.id(), "ip", "-d", "link", "show", "dev", veth.a);
            link.replace(b);
            assertAttached(b.id(), "ip", "-d", "link", "show", "dev", veth.a);
            assertNotAttached(a.id(), "ip", "-d", "link", "show", "dev", veth.a);
            assertAttached(b.id(), "bpftool", "net", "show", "dev", veth.a);
            assertThrows(IllegalArgumentException.class, () -> link.replace(tc.program("tc_test")));
        } finally {
            link.close();
        }
        assertFalse(run("ip", "-d", "link", "show", "dev", veth.a).contains("prog/xdp"));
        assertThrows(IllegalStateException.class, () -> link.replace(a));
    }

    @Test
    void xdpReplaceFailsIfSomebodyElseReplacedMeanwhile() throws Exception {
        BpfLink mine = xdp.program("xdp_test").attachXdp(veth.ifindexA, XdpMode.SKB);
        try {
            // somebody else swaps the program behind our back (bpftool replaces unconditionally)
            try (BpfObject other = spec("test_xdp").load()) {
                int intruder = other.program("xdp_drop").id();
                run("bpftool", "net", "attach", "xdpgeneric", "id", Integer.toString(intruder), "dev", veth.a,
                    "overwrite");
                BpfException e = assertThrows(BpfException.class, () -> mine.replace(xdp.program("xdp_drop")));
                assertEquals(17, e.errno(), e.getMessage());
                assertAttached(intruder, "ip", "-d", "link", "show", "dev", veth.a);
            }
        } finally {
            mine.close();
            run(false, "ip", "link", "set", "dev", veth.a, "xdpgeneric", "off");
        }
    }

    @Test
    void tcIngressReplace() throws Exception {
        BpfProgram a = tc.program("tc_test");
        BpfProgram b = live.program("tc_pass");
        BpfLink link = a.attachTc(veth.ifindexA, TcDirection.INGRESS);
        try {
            assertEquals(java.util.List.of(a.id()), Netdevs.tcxProgramIds(veth.ifindexA, TcDirection.INGRESS));
            link.replace(b);
            // same link, new program: still one entry, the old program gone from the hook
            assertEquals(java.util.List.of(b.id()), Netdevs.tcxProgramIds(veth.ifindexA, TcDirection.INGRESS));
            assertEquals(1, AttachTest.tcxLinksOf(b.id()), run("bpftool", "link", "show"));
            assertEquals(0, AttachTest.tcxLinksOf(a.id()), run("bpftool", "link", "show"));
            link.replace(a);
            link.replace(b);
            assertThrows(IllegalArgumentException.class, () -> link.replace(xdp.program("xdp_drop")));
        } finally {
            link.close();
        }
        assertEquals(java.util.List.of(), Netdevs.tcxProgramIds(veth.ifindexA, TcDirection.INGRESS));
        assertEquals(0, AttachTest.tcxLinksOf(b.id()), run("bpftool", "link", "show"));
        assertFalse(run("tc", "qdisc", "show", "dev", veth.a).contains("clsact"));
        assertThrows(IllegalStateException.class, () -> link.replace(a));
    }

    /** The clsact fallback's replace (BPF_TC_F_REPLACE on our handle/priority). */
    @Test
    void clsactIngressReplace() throws Exception {
        BpfProgram a = tc.program("tc_test");
        BpfProgram b = live.program("tc_pass");
        BpfLink link = a.attachTcClsact(veth.ifindexA, TcDirection.INGRESS);
        try {
            assertAttached(a.id(), "tc", "filter", "show", "dev", veth.a, "ingress");
            link.replace(b);
            String filters = run("tc", "filter", "show", "dev", veth.a, "ingress");
            assertAttached(b.id(), "tc", "filter", "show", "dev", veth.a, "ingress");
            assertNotAttached(a.id(), "tc", "filter", "show", "dev", veth.a, "ingress");
            assertEquals(1, filters.lines().filter(l -> l.contains(" id ")).count(), "one filter, replaced: " + filters);
            assertAttached(b.id(), "bpftool", "net", "show", "dev", veth.a);
            assertThrows(IllegalArgumentException.class, () -> link.replace(xdp.program("xdp_drop")));
        } finally {
            link.close();
            run(false, "tc", "qdisc", "del", "dev", veth.a, "clsact");
        }
        assertFalse(run("tc", "filter", "show", "dev", veth.a, "ingress").contains(" id "));
        assertFalse(run("bpftool", "net", "show", "dev", veth.a).contains("tc_"));
    }

    /**
     * A TCX program really runs on live traffic, before and after replace: frames generated into
     * veth a reach b, pass b's XDP, and b's TCX ingress counter counts (and drops) each of them.
     */
    @Test
    void tcxProgramSeesLiveTrafficAcrossReplace() throws Exception {
        try (BpfObject generator = Traffic.generator(veth.ifindexA); BpfObject counterA = spec("test_live").load()) {
            BpfObject counterB;
            try (BpfObjectSpec s = spec("test_live")) {
                counterB = s.reuseMap("counts", counterA.map("counts")).setConstant("slot", 1).load();
            }
            try (counterB; BpfLink pass = counterA.program("xdp_pass").attachXdp(veth.ifindexB, XdpMode.DRV);
                 BpfLink count = counterA.program("tc_count").attachTc(veth.ifindexB, TcDirection.INGRESS)) {
                TestRun request = TestRun.of(Traffic.frame()).withRepeat(500).liveFrames(0);
                BpfPerCpuArrayMap counts = counterA.perCpuArrayMap("counts");
                generator.program("xdp_gen").testRun(request);
                assertEquals(500, Traffic.awaitCount(counts, 500));
                count.replace(counterB.program("tc_count"));
                generator.program("xdp_gen").testRun(request);
                assertEquals(1000, Traffic.awaitCount(counts, 1000));
                assertEquals(500, LiveTestRunTest.sum(counts, 1), "the replacement counted the second batch");
            }
        }
    }

    /**
     * Zero loss: a generator thread pushes live frames into veth a while b's counting program is
     * replaced back and forth by a second object that counts into the same map (other slot).
     */
    @Test
    void xdpReplaceUnderTrafficLosesNothing() throws Exception {
        BpfObject counterB;
        try (BpfObject counterA = spec("test_live").load(); BpfObject generator = Traffic.generator(veth.ifindexA)) {
            try (BpfObjectSpec s = spec("test_live")) {
                counterB = s.reuseMap("counts", counterA.map("counts")).setConstant("slot", 1).load();
            }
            try (counterB; BpfLink sink = counterA.program("xdp_count").attachXdp(veth.ifindexB, XdpMode.DRV)) {
                int perRun = 2000;
                AtomicLong sent = new AtomicLong();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                Thread gen = new Thread(() -> {
                    try {
                        TestRun request = TestRun.of(Traffic.frame()).withRepeat(perRun).liveFrames(0);
                        while (!stop.get()) {
                            generator.program("xdp_gen").testRun(request);
                            sent.addAndGet(perRun);
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }, "live-generator");
                gen.start();
                try {
                    for (int i = 0; i < 20; i++) {
                        Thread.sleep(20);
                        sink.replace((i % 2 == 0 ? counterB : counterA).program("xdp_count"));
                    }
                    Thread.sleep(20);
                } finally {
                    stop.set(true);
                    gen.join(10_000);
                }
                if (failure.get() != null) {
                    throw new AssertionError("generator failed", failure.get());
                }
                BpfPerCpuArrayMap counts = counterA.perCpuArrayMap("counts");
                assertEquals(sent.get(), Traffic.awaitCount(counts, sent.get()));
                assertTrue(LiveTestRunTest.sum(counts, 0) > 0 && LiveTestRunTest.sum(counts, 1) > 0,
                    "both programs counted");
            }
        }
    }

    private static void assertAttached(int id, String... command) {
        String out = run(command);
        assertTrue(out.matches("(?s).*\\bid " + id + "\\b.*"), "id " + id + " not in: " + out);
    }

    private static void assertNotAttached(int id, String... command) {
        String out = run(command);
        assertFalse(out.matches("(?s).*\\bid " + id + "\\b.*"), "id " + id + " still in: " + out);
    }
}
