package io.polycube.core.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.spi.LogLevel;
import io.polycube.dataplane.api.BpfCompiler;
import io.polycube.dataplane.api.BpfObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Table scopes against the kernel: a value written through one µCube's handle is read through another's
 * when they share the table, and not otherwise.
 */
class TableScopesTest {
    private static final Path ROOT = Path.of("/sys/fs/bpf", "pcnq" + Integer.toHexString(
        ThreadLocalRandom.current().nextInt(0x10000, 0xfffff)));
    private static final Path PATCH = ROOT.resolve("tc/pcn_patch");
    private static final String TABLE = """
        struct {
            __uint(type, BPF_MAP_TYPE_ARRAY);
            __uint(max_entries, 4);
            __type(key, __u32);
            __type(value, __u64);
            %s
        } %s SEC(".maps");
        """;
    private static final String HANDLER = """
        static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
        {
            __u32 k = 0;
            __u64 *v = bpf_map_lookup_elem(&%s, &k);
            return v && *v ? RX_DROP : RX_OK;
        }
        """;
    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] ZERO = new byte[8];

    private static byte[] compile(String tables, String used, boolean slave) throws Exception {
        return BpfCompiler.compile("#include <pcn/cube.h>\n" + tables + HANDLER.formatted(used),
            slave ? List.of("PCN_HOOK_TC", "PCN_UCUBE=1") : List.of("PCN_HOOK_TC"));
    }

    @BeforeAll
    static void root() throws Exception {
        new Chaining(ROOT);
    }

    @AfterAll
    static void removePins() throws Exception {
        new ProcessBuilder("rm", "-rf", ROOT.toString()).start().waitFor();
    }

    @Test
    void masterTablesAreSharedAndSlaveOnlyTablesArePrivateAndSurviveReloads() throws Exception {
        byte[] master = compile(TABLE.formatted("", "shared_tbl"), "shared_tbl", false);
        byte[] slave = compile(TABLE.formatted("", "shared_tbl") + TABLE.formatted("", "priv_tbl"), "priv_tbl", true);
        try (Dataplane dataplane = Dataplane.load("scopes", master, PATCH, LogLevel.INFO)) {
            dataplane.setSlave(1, slave, LogLevel.INFO);
            dataplane.setSlave(2, slave, LogLevel.INFO);
            BpfObject one = dataplane.slave(1).orElseThrow();
            dataplane.master().arrayMap("shared_tbl").set(0, ONE);
            assertArrayEquals(ONE, one.arrayMap("shared_tbl").get(0), "SHARED: the master's table");
            one.arrayMap("priv_tbl").set(0, ONE);
            assertArrayEquals(ZERO, dataplane.slave(2).orElseThrow().arrayMap("priv_tbl").get(0), "PRIVATE to µCube 1");
            dataplane.setSlave(1, slave, LogLevel.DEBUG);
            assertArrayEquals(ONE, dataplane.slave(1).orElseThrow().arrayMap("priv_tbl").get(0), "kept across a reload");
        }
    }

    @Test
    void publicTablesArePinnedForEveryProgram() throws Exception {
        byte[] code = compile(TABLE.formatted("__uint(pinning, LIBBPF_PIN_BY_NAME);", "pcnq_public_tbl"),
            "pcnq_public_tbl", false);
        try (Dataplane a = Dataplane.load("a", code, PATCH, LogLevel.INFO);
             Dataplane b = Dataplane.load("b", code, PATCH, LogLevel.INFO)) {
            assertTrue(Files.exists(ROOT.resolve("public/pcnq_public_tbl")));
            a.master().arrayMap("pcnq_public_tbl").set(0, ONE);
            assertArrayEquals(ONE, b.master().arrayMap("pcnq_public_tbl").get(0), "PUBLIC: one map for both cubes");
        }
    }
}
