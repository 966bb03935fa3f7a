package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.run;
import static io.polycube.dataplane.api.TestObjects.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attaches to a veth pair in the root namespace (the JVM's), named {@code pcnt<random>a/b} so it
 * cannot collide with anything real, and checks the kernel's view with ip and tc.
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

    @Test
    void tcIngressAndEgressAttachAndDetach() throws Exception {
        BpfProgram program = tc.program("tc_test");
        try (BpfLink ingress = program.attachTc(ifindex, TcDirection.INGRESS);
             BpfLink egress = program.attachTc(ifindex, TcDirection.EGRESS)) {
            assertTrue(filters("ingress").contains("tc_test"), filters("ingress"));
            assertTrue(filters("ingress").contains("direct-action"), filters("ingress"));
            assertTrue(filters("egress").contains("tc_test"), filters("egress"));
            ingress.close();
            assertFalse(filters("ingress").contains("tc_test"), filters("ingress"));
            assertTrue(filters("egress").contains("tc_test"), "egress must survive the ingress detach");
            egress.close();
            assertFalse(filters("egress").contains("tc_test"), filters("egress"));
        }
        assertTrue(run("bpftool", "net", "show", "dev", DEV).contains("tc:"));
    }

    private static String filters(String direction) {
        return run("tc", "filter", "show", "dev", DEV, direction);
    }
}
