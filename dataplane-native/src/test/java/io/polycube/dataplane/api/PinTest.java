package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.run;
import static io.polycube.dataplane.api.TestObjects.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pinned attachments outlive their process (here: their link object, released) and are taken over by the
 * next one: the kernel still runs the program after release, adopt + replace swaps it, close detaches and
 * unpins. XDP (the pin is of the attached program and follows replace) and TCX (the pin is the link).
 */
class PinTest {
    private static TestVeth veth;
    private static BpfObject xdp;
    private static BpfObject tc;
    private static BpfObject live;
    private static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        veth = new TestVeth();
        dir = Path.of("/sys/fs/bpf", String.format("pcnt%06x", ThreadLocalRandom.current().nextInt(0x1000000)));
        try {
            Files.createDirectories(dir);
            xdp = spec("test_xdp").load();
            tc = spec("test_tc").load();
            live = spec("test_live").load();
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (BpfObject o : new BpfObject[] {xdp, tc, live}) {
            if (o != null) {
                o.close();
            }
        }
        veth.close();
        run(false, "rm", "-rf", dir.toString());
    }

    @Test
    void xdpDriverOutlivesItsLinkAndIsTakenOver() throws Exception {
        xdp(XdpMode.DRV);
    }

    @Test
    void xdpGenericOutlivesItsLinkAndIsTakenOver() throws Exception {
        xdp(XdpMode.SKB);
    }

    private void xdp(XdpMode mode) throws Exception {
        BpfProgram a = xdp.program("xdp_test");
        BpfProgram b = xdp.program("xdp_drop");
        Path pin = dir.resolve("xdp-" + mode);
        BpfLink first = a.attachXdp(veth.ifindexA, mode);
        try {
            first.pin(pin);
            first.release();
            assertTrue(run("ip", "-d", "link", "show", "dev", veth.a).contains("id " + a.id() + " "),
                "still attached after release");
            assertThrows(BpfException.class, () -> BpfLink.adoptXdp(pin, veth.ifindexB, mode), "not on the other end");
            BpfLink taken = BpfLink.adoptXdp(pin, veth.ifindexA, mode);
            taken.replace(b);
            String shown = run("ip", "-d", "link", "show", "dev", veth.a);
            assertTrue(shown.contains("id " + b.id() + " "), shown);
            // the pin follows the program: a second takeover finds b attached
            taken.release();
            BpfLink again = BpfLink.adoptXdp(pin, veth.ifindexA, mode);
            again.replace(a);
            again.close();
            assertFalse(run("ip", "-d", "link", "show", "dev", veth.a).contains("prog/xdp"), "detached by close");
            assertFalse(Files.exists(pin), "unpinned by close");
            assertThrows(BpfException.class, () -> BpfLink.adoptXdp(pin, veth.ifindexA, mode));
        } finally {
            run(false, "ip", "link", "set", "dev", veth.a, mode == XdpMode.DRV ? "xdpdrv" : "xdpgeneric", "off");
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void xdpPinOfAProgramNoLongerAttachedIsNotTakenOver() throws Exception {
        Path pin = dir.resolve("xdp-gone");
        BpfLink link = xdp.program("xdp_test").attachXdp(veth.ifindexA, XdpMode.SKB);
        try {
            link.pin(pin);
            link.release();
            run("ip", "link", "set", "dev", veth.a, "xdpgeneric", "off"); // somebody detached it meanwhile
            BpfException e = assertThrows(BpfException.class, () -> BpfLink.adoptXdp(pin, veth.ifindexA, XdpMode.SKB));
            assertTrue(e.getMessage().contains("not the one attached"), e.getMessage());
        } finally {
            run(false, "ip", "link", "set", "dev", veth.a, "xdpgeneric", "off");
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void tcxLinkOutlivesItsHandleAndIsTakenOver() throws Exception {
        BpfProgram a = tc.program("tc_test");
        BpfProgram b = live.program("tc_pass");
        Path pin = dir.resolve("tcx");
        BpfLink first = a.attachTc(veth.ifindexA, TcDirection.INGRESS);
        try {
            first.pin(pin);
            first.release();
            assertEquals(List.of(a.id()), Netdevs.tcxProgramIds(veth.ifindexA, TcDirection.INGRESS));
            assertThrows(BpfException.class, () -> BpfLink.adoptTc(pin, veth.ifindexA, TcDirection.EGRESS));
            BpfLink taken = BpfLink.adoptTc(pin, veth.ifindexA, TcDirection.INGRESS);
            taken.replace(b);
            assertEquals(List.of(b.id()), Netdevs.tcxProgramIds(veth.ifindexA, TcDirection.INGRESS));
            assertEquals(1, AttachTest.tcxLinksOf(b.id()), run("bpftool", "link", "show"));
            taken.close();
            assertEquals(List.of(), Netdevs.tcxProgramIds(veth.ifindexA, TcDirection.INGRESS));
            assertEquals(0, AttachTest.tcxLinksOf(b.id()), run("bpftool", "link", "show"));
            assertFalse(Files.exists(pin), "unpinned by close");
        } finally {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void anUnpinnedLinkCannotBeReleased() throws Exception {
        BpfLink link = xdp.program("xdp_test").attachXdp(veth.ifindexA, XdpMode.SKB);
        try {
            assertThrows(IllegalStateException.class, link::release);
        } finally {
            link.close();
        }
    }

    /** A prog array's pin opened by a later process keeps its entries, and a map of another type is refused. */
    @Test
    void aPinnedProgArrayIsOpenedWithItsEntries() throws Exception {
        Path pin = dir.resolve("jumps");
        Path notProgs = dir.resolve("array");
        BpfProgram target = xdp.program("xdp_drop");
        try {
            xdp.progArray("jumps").pin(pin);
            xdp.map("array").pin(notProgs);
            xdp.progArray("jumps").set(2, target);
            try (PinnedProgArray opened = PinnedProgArray.open(pin)) {
                assertEquals(4, opened.map().maxEntries());
                assertEquals(target.id(), java.nio.ByteBuffer.wrap(opened.map().lookup(new byte[] {2, 0, 0, 0})
                    .orElseThrow()).order(java.nio.ByteOrder.nativeOrder()).getInt(), "the entry is there");
                opened.map().clear(2);
                assertTrue(xdp.progArray("jumps").lookup(new byte[] {2, 0, 0, 0}).isEmpty(), "one map: cleared for all");
                opened.close();
                assertThrows(IllegalStateException.class, () -> opened.map().clear(1), "closed");
            }
            assertThrows(BpfException.class, () -> PinnedProgArray.open(notProgs));
            assertThrows(BpfException.class, () -> PinnedProgArray.open(dir.resolve("nothing")));
            assertTrue(Files.exists(pin), "closing the handle leaves the pin");
        } finally {
            Files.deleteIfExists(pin);
            Files.deleteIfExists(notProgs);
        }
    }

    /** A pin handed to another owner's directory: the attachment stays, its close removes the pin at the new place. */
    @Test
    void aPinMovesWithoutDetaching() throws Exception {
        BpfProgram a = tc.program("tc_test");
        Path from = dir.resolve("move-from");
        Path to = Files.createDirectories(dir.resolve("other")).resolve("move-to");
        BpfLink link = a.attachTc(veth.ifindexA, TcDirection.EGRESS);
        try {
            link.pin(from);
            link.movePin(to);
            assertFalse(Files.exists(from));
            assertTrue(Files.exists(to));
            assertEquals(List.of(a.id()), Netdevs.tcxProgramIds(veth.ifindexA, TcDirection.EGRESS));
            link.close();
            assertFalse(Files.exists(to), "close unpins where the pin is now");
            assertEquals(List.of(), Netdevs.tcxProgramIds(veth.ifindexA, TcDirection.EGRESS));
        } finally {
            link.close();
            Files.deleteIfExists(from);
            Files.deleteIfExists(to);
        }
    }
}
