package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.packet;
import static io.polycube.dataplane.api.TestObjects.spec;
import static io.polycube.dataplane.api.TestObjects.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpfObjectSpecTest {
    private static final int XDP_DROP = 1;
    private static final int XDP_PASS = 2;

    @Test
    void namesAreReadBeforeLoad() throws Exception {
        try (BpfObjectSpec spec = spec("test_xdp")) {
            assertEquals(Set.of("xdp_test", "xdp_drop"), spec.programNames());
            assertTrue(spec.mapNames().containsAll(Set.of("hash", "array", "counters", "jumps", "ports", "events")),
                spec.mapNames().toString());
        }
    }

    @Test
    void constantReachesTheKernel() throws Exception {
        try (BpfObject pass = spec("test_xdp").load()) {
            assertEquals(XDP_PASS, pass.program("xdp_test").testRun(packet(64), 1).retval());
        }
        try (BpfObject drop = spec("test_xdp").setConstant("verdict", XDP_DROP).load()) {
            TestRunResult result = drop.program("xdp_test").testRun(packet(64), 1);
            assertEquals(XDP_DROP, result.retval());
            assertEquals(XDP_DROP, u64(drop.arrayMap("array").get(7)));
        }
    }

    @Test
    void badConstantsAreRejected() throws Exception {
        try (BpfObjectSpec spec = spec("test_xdp")) {
            BpfException unknown = assertThrows(BpfException.class, () -> spec.setConstant("nope", 1));
            assertTrue(unknown.getMessage().contains("nope") && unknown.getMessage().contains("verdict"),
                unknown.getMessage());
            assertThrows(BpfException.class, () -> spec.setConstant("tag", 256));
            assertThrows(BpfException.class, () -> spec.setConstant("verdict", new byte[3]));
            spec.setConstant("tag", -1).setConstant("magic", Long.MIN_VALUE).setConstant("verdict", new byte[4]);
        }
    }

    @Test
    void maxEntriesBeforeLoadIsVisibleAfterLoad() throws Exception {
        try (BpfObject object = spec("test_xdp").setMaxEntries("hash", 1000).load()) {
            assertEquals(1000, object.map("hash").maxEntries());
            assertEquals(8, object.map("array").maxEntries());
        }
    }

    @Test
    void unknownMapIsAnArgumentError() throws Exception {
        try (BpfObjectSpec spec = spec("test_xdp")) {
            assertThrows(IllegalArgumentException.class, () -> spec.setMaxEntries("nope", 1));
        }
    }

    @Test
    void loadConsumesTheSpec() throws Exception {
        BpfObjectSpec spec = spec("test_tc");
        try (BpfObject object = spec.load()) {
            assertEquals("test_tc", object.name());
            assertEquals(ProgramType.SCHED_CLS, object.program("tc_test").type());
            spec.close();
            assertThrows(IllegalStateException.class, spec::load);
            assertThrows(IllegalStateException.class, () -> spec.setMaxEntries("x", 1));
        }
    }

    @Test
    void opensFromFile(@TempDir Path dir) throws Exception {
        Path elf = dir.resolve("test_tc.bpf.o");
        Files.write(elf, TestObjects.elf("test_tc"));
        try (BpfObjectSpec spec = BpfObjectSpec.open(elf)) {
            assertEquals(Set.of("tc_test"), spec.programNames());
        }
        BpfException missing = assertThrows(BpfException.class, () -> BpfObjectSpec.open(dir.resolve("none.o")));
        assertEquals(2, missing.errno());
    }

    @Test
    void pinnedMapIsReusedByTheNextLoad() throws Exception {
        if (!TestObjects.run("stat", "-f", "-c", "%T", "/sys/fs/bpf").contains("bpf")) {
            TestObjects.run("mount", "-t", "bpf", "bpf", "/sys/fs/bpf");
        }
        Path pin = Path.of("/sys/fs/bpf/pcnt" + ProcessHandle.current().pid() + "_hash");
        try {
            try (BpfObject first = spec("test_xdp").pinMap("hash", pin).load()) {
                first.hashMap("hash").update(TestObjects.u32(5), u64(55));
            }
            assertTrue(Files.exists(pin));
            try (BpfObject second = spec("test_xdp").pinMap("hash", pin).load()) {
                assertEquals(55, u64(second.hashMap("hash").lookup(TestObjects.u32(5)).orElseThrow()));
            }
        } finally {
            Files.deleteIfExists(pin);
        }
    }
}
