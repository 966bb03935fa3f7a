package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.run;
import static io.polycube.dataplane.api.TestObjects.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attaches to a veth pair in the root namespace (the JVM's), named {@code pcnt<random>a/b} so it
 * cannot collide with anything real, and checks the kernel's view with ip, tc, bpftool and the
 * kernel's TCX query.
 */
class AttachTest {
    private static final String PREFIX = "pcnt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000,
        0xffffff));
    private static final String DEV = PREFIX + "a";
    private static final String PEER = PREFIX + "b";

    private static BpfObject xdp;
    private static BpfObject tc;
    private static int ifindex;

    @BeforeAll
    static void setUp() throws Exception {
        try {
            run("ip", "link", "add", DEV, "type", "veth", "peer", "name", PEER);
            run("ip", "link", "set", DEV, "up");
            run("ip", "link", "set", PEER, "up");
            ifindex = Netdevs.ifindex(DEV).orElseThrow();
            xdp = spec("test_xdp").load();
            tc = spec("test_tc").load();
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() {
        if (xdp != null) {
            xdp.close();
        }
        if (tc != null) {
            tc.close();
        }
        // deleting one end removes both, and with them any program still attached
        run(false, "ip", "link", "del", DEV);
    }

    @Test
    void xdpGenericAttachAndDetach() throws Exception {
        xdpAttachAndDetach(XdpMode.SKB, "xdpgeneric");
    }

    @Test
    void xdpNativeAttachAndDetach() throws Exception {
        xdpAttachAndDetach(XdpMode.DRV, "xdp");
    }

    /** {@code marker} is the mode word ip prints on the device's first line. */
    private void xdpAttachAndDetach(XdpMode mode, String marker) throws Exception {
        BpfProgram program = xdp.program("xdp_test");
        try (BpfLink link = program.attachXdp(ifindex, mode)) {
            assertEquals(ifindex, link.ifindex());
            String shown = run("ip", "-d", "link", "show", "dev", DEV);
            String firstLine = shown.lines().findFirst().orElse("");
            assertTrue(java.util.List.of(firstLine.split(" ")).contains(marker), shown);
            assertTrue(shown.contains("prog/xdp id") && shown.contains("name xdp_test"), shown);

            // UPDATE_IF_NOEXIST: a second program must not replace ours
            BpfException busy = assertThrows(BpfException.class, () -> xdp.program("xdp_drop").attachXdp(ifindex, mode));
            assertEquals(16, busy.errno());
            assertTrue(busy.getMessage().startsWith("bpf_xdp_attach(xdp_drop, ifindex " + ifindex), busy.getMessage());
            link.close();
            link.close();
            assertFalse(run("ip", "-d", "link", "show", "dev", DEV).contains("prog/xdp"));
        }
    }

    @Test
    void xdpLinkOutlivesItsObject() throws Exception {
        BpfObject own = spec("test_xdp").load();
        BpfLink link = own.program("xdp_drop").attachXdp(ifindex, XdpMode.SKB);
        own.close();
        assertTrue(run("ip", "-d", "link", "show", "dev", DEV).contains("xdp_drop"));
        link.close();
        assertFalse(run("ip", "-d", "link", "show", "dev", DEV).contains("prog/xdp"));
    }

    /** TCX: a bpf_link per attachment, no qdisc; checked with the kernel's TCX query and bpftool link. */
    @Test
    void tcIngressAndEgressAttachAndDetach() throws Exception {
        BpfProgram program = tc.program("tc_test");
        int id = program.id();
        try (BpfLink ingress = program.attachTc(ifindex, TcDirection.INGRESS);
             BpfLink egress = program.attachTc(ifindex, TcDirection.EGRESS)) {
            assertEquals("TcxLink", ingress.getClass().getSimpleName(), "kernel 6.6+ attaches with TCX");
            assertEquals(ifindex, ingress.ifindex());
            assertEquals(List.of(id), Netdevs.tcxProgramIds(ifindex, TcDirection.INGRESS));
            assertEquals(List.of(id), Netdevs.tcxProgramIds(ifindex, TcDirection.EGRESS));
            // bpftool 7.1: "<link id>: type 11  prog <prog id>" (11 = BPF_LINK_TYPE_TCX), no device
            assertEquals(2, tcxLinksOf(id), run("bpftool", "link", "show"));
            assertFalse(qdiscs().contains("clsact"), "TCX needs no qdisc: " + qdiscs());
            assertFalse(run("tc", "filter", "show", "dev", DEV, "ingress").contains("tc_test"));
            ingress.close();
            ingress.close();
            assertEquals(List.of(), Netdevs.tcxProgramIds(ifindex, TcDirection.INGRESS));
            assertEquals(List.of(id), Netdevs.tcxProgramIds(ifindex, TcDirection.EGRESS),
                "egress must survive the ingress detach");
            egress.close();
            assertEquals(List.of(), Netdevs.tcxProgramIds(ifindex, TcDirection.EGRESS));
        }
        assertEquals(0, tcxLinksOf(id), run("bpftool", "link", "show"));
        assertFalse(qdiscs().contains("clsact"), qdiscs());
    }

    /** Several TCX programs coexist on one hook and run in attach order; each close removes its own. */
    @Test
    void tcxProgramsAppendInOrder() throws Exception {
        int first = tc.program("tc_test").id();
        try (BpfObject other = spec("test_tc").load()) {
            int second = other.program("tc_test").id();
            BpfLink a = tc.program("tc_test").attachTc(ifindex, TcDirection.INGRESS);
            try (BpfLink b = other.program("tc_test").attachTc(ifindex, TcDirection.INGRESS)) {
                assertEquals(List.of(first, second), Netdevs.tcxProgramIds(ifindex, TcDirection.INGRESS));
                a.close();
                assertEquals(List.of(second), Netdevs.tcxProgramIds(ifindex, TcDirection.INGRESS));
            } finally {
                a.close();
            }
            assertEquals(List.of(), Netdevs.tcxProgramIds(ifindex, TcDirection.INGRESS));
        }
    }

    @Test
    void tcxLinkOutlivesItsObjectAndDiesWithTheDevice() throws Exception {
        try (TestVeth veth = new TestVeth()) {
            BpfObject own = spec("test_tc").load();
            int id = own.program("tc_test").id();
            BpfLink link = own.program("tc_test").attachTc(veth.ifindexA, TcDirection.INGRESS);
            own.close();
            assertEquals(List.of(id), Netdevs.tcxProgramIds(veth.ifindexA, TcDirection.INGRESS));
            veth.close();
            link.close(); // device gone: the kernel already detached; close stays quiet and never throws
            assertEquals(0, tcxLinksOf(id), run("bpftool", "link", "show"));
        }
    }

    /** The clsact/cls_bpf path kernels without TCX use, called directly so it keeps working. */
    @Test
    void clsactFallbackAttachAndDetach() throws Exception {
        BpfProgram program = tc.program("tc_test");
        try (BpfLink ingress = program.attachTcClsact(ifindex, TcDirection.INGRESS);
             BpfLink egress = program.attachTcClsact(ifindex, TcDirection.EGRESS)) {
            assertEquals("TcLink", ingress.getClass().getSimpleName());
            assertTrue(filters("ingress").contains("tc_test"), filters("ingress"));
            assertTrue(filters("ingress").contains("direct-action"), filters("ingress"));
            assertTrue(filters("egress").contains("tc_test"), filters("egress"));
            assertTrue(qdiscs().contains("clsact"), qdiscs());
            assertEquals(List.of(), Netdevs.tcxProgramIds(ifindex, TcDirection.INGRESS), "not a TCX attachment");
            ingress.close();
            assertFalse(filters("ingress").contains("tc_test"), filters("ingress"));
            assertTrue(filters("egress").contains("tc_test"), "egress must survive the ingress detach");
            egress.close();
            assertFalse(filters("egress").contains("tc_test"), filters("egress"));
        } finally {
            // leave no clsact behind for the TCX tests' "no qdisc" checks
            run(false, "tc", "qdisc", "del", "dev", DEV, "clsact");
        }
    }

    private static String filters(String direction) {
        return run("tc", "filter", "show", "dev", DEV, direction);
    }

    private static String qdiscs() {
        return run("tc", "qdisc", "show", "dev", DEV);
    }

    /** TCX links of program {@code progId} in {@code bpftool link show}. */
    static long tcxLinksOf(int progId) {
        return run("bpftool", "link", "show").lines()
            .filter(l -> l.matches("\\d+: type 11\\s+prog " + progId + "\\b.*")).count();
    }
}
