package io.polycube.core.tables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.restconf.YangModels;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeException;
import io.polycube.dataplane.api.BpfMap;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero-code tables against the kernel: the test cube {@code tabletypes} (src/test/c) has one map per
 * group of C types and the test module {@code pcn-tabletypes} binds a list to each. Entries written
 * through the binding are read back from the kernel maps byte by byte; the LPM trie is checked by a
 * program that looks it up (BPF_PROG_TEST_RUN); a map that overflows is rolled back.
 */
class TablesTest {
    private static final Map<String, Integer> PORTS = Map.of("pa", 0, "pb", 3);
    private static final Function<String, OptionalInt> PORT_INDEX =
        name -> PORTS.containsKey(name) ? OptionalInt.of(PORTS.get(name)) : OptionalInt.empty();
    private static final IntFunction<Optional<String>> PORT_NAME = index -> PORTS.entrySet().stream()
        .filter(e -> e.getValue() == index).map(Map.Entry::getKey).findFirst();
    private static YangModels models;
    private static TableSchema schema;

    private BpfObject object;
    private Tables tables;

    @BeforeAll
    static void parse() throws Exception {
        models = new YangModels();
        schema = TableSchema.of(models.addModule("pcn-tabletypes", module("pcn-tabletypes.yang")), "tabletypes");
    }

    private static URL module(String file) {
        return TablesTest.class.getClassLoader().getResource("yang-test/" + file);
    }

    @BeforeEach
    void load() throws Exception {
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/test-classes/bpf/tabletypes.xdp.o"))) {
            object = spec.load();
        }
        tables = Tables.bind(schema, object);
    }

    @AfterEach
    void close() {
        object.close();
    }

    private static ConfigNode entry(String... leaves) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < leaves.length; i += 2) {
            map.put(leaves[i], leaves[i + 1]);
        }
        return ConfigNode.of(map, Map.of(), Map.of(), Map.of());
    }

    private static ConfigNode config(Map<String, List<ConfigNode>> lists) {
        return ConfigNode.of(Map.of("name", "t1"), Map.of(), Map.of(), lists);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private byte[] kernel(String map, byte[] key) throws Exception {
        return object.map(map).lookup(key).orElseThrow(() -> new AssertionError(map + ": no entry"));
    }

    private static final ConfigNode INTS_1 = entry("id", "1", "u8", "200", "u16", "65000", "u32", "4000000000",
        "u64", "18446744073709551615", "i8", "-2", "i16", "-300", "i32", "-70000", "i64", "-5000000000",
        "flag", "true", "color", "BLUE", "l4-port", "443", "wide", "513", "outport", "pb");

    private static Map<String, List<ConfigNode>> typesConfig() {
        Map<String, List<ConfigNode>> lists = new HashMap<>();
        lists.put("ints", List.of(INTS_1, entry("id", "2")));
        lists.put("addrs", List.of(entry("mac", "02:00:5e:10:20:ff", "ip4", "10.1.2.3", "ip6", "2001:db8::1",
            "host-order-ip4", "192.168.0.1")));
        lists.put("routes4", List.of(entry("prefix", "10.0.0.0/8", "nexthop", "1"),
            entry("prefix", "10.1.0.0/16", "nexthop", "2"), entry("prefix", "0.0.0.0/0", "nexthop", "3")));
        lists.put("routes6", List.of(entry("prefix", "2001:db8::/32", "nexthop", "6")));
        lists.put("small", List.of(entry("k", "1", "v", "1")));
        return lists;
    }

    @Test
    void eachTypeIsWrittenInItsCLayout() throws Exception {
        tables.apply(object, config(typesConfig()), PORT_INDEX);

        // struct ints_val: host order, enum by its YANG value, __be16 in network order, port by index.
        ByteBuffer v = le(64);
        v.put(0, (byte) 200).putShort(2, (short) 65000).putInt(4, (int) 4000000000L).putLong(8, -1L);
        v.put(16, (byte) -2).putShort(18, (short) -300).putInt(20, -70000).putLong(24, -5000000000L);
        v.put(32, (byte) 1).putInt(36, 7).put(40, (byte) 0x01).put(41, (byte) 0xbb).putInt(44, 513).putInt(48, 3);
        assertArrayEquals(v.array(), kernel("ints", le(4).putInt(0, 1).array()));
        // Absent leaves are zero.
        assertArrayEquals(new byte[64], kernel("ints", le(4).putInt(0, 2).array()));

        // Addresses in network order: MAC key, __be32, __u8[16], and a plain __u32 holding an address.
        byte[] mac = {0x02, 0x00, 0x5e, 0x10, 0x20, (byte) 0xff};
        byte[] addrs = new byte[24];
        System.arraycopy(new byte[] {10, 1, 2, 3}, 0, addrs, 0, 4);
        System.arraycopy(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 0, addrs, 4, 16);
        System.arraycopy(new byte[] {(byte) 192, (byte) 168, 0, 1}, 0, addrs, 20, 4);
        assertArrayEquals(addrs, kernel("addrs", mac));

        // LPM keys: __u32 prefixlen (host order) then the address bytes.
        assertArrayEquals(le(4).putInt(0, 2).array(),
            kernel("routes4", le(8).putInt(0, 16).put(4, (byte) 10).put(5, (byte) 1).array()));
        ByteBuffer key6 = le(20).putInt(0, 32).put(4, (byte) 0x20).put(5, (byte) 0x01).put(6, (byte) 0x0d)
            .put(7, (byte) 0xb8);
        assertArrayEquals(le(4).putInt(0, 6).array(), kernel("routes6", key6.array()));
        assertEquals(3, object.map("routes4").keys().size());
    }

    /** The program looks the packet's destination up in routes4 and writes the nexthop to result[0]. */
    private int nexthopSeenByTheDataPath(int a, int b, int c, int d) throws Exception {
        byte[] frame = new byte[64];
        frame[12] = 0x08;
        frame[14] = 0x45;
        frame[30] = (byte) a;
        frame[31] = (byte) b;
        frame[32] = (byte) c;
        frame[33] = (byte) d;
        object.program("pcn_link_0").testRun(frame, 1);
        return ByteBuffer.wrap(object.arrayMap("result").get(0)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void theDataPathSeesTheLongestPrefix() throws Exception {
        Map<String, List<ConfigNode>> lists = typesConfig();
        tables.apply(object, config(lists), PORT_INDEX);
        assertEquals(2, nexthopSeenByTheDataPath(10, 1, 2, 3));
        assertEquals(1, nexthopSeenByTheDataPath(10, 2, 0, 1));
        assertEquals(3, nexthopSeenByTheDataPath(192, 168, 0, 1));

        lists.put("routes4", List.of(entry("prefix", "10.0.0.0/8", "nexthop", "1")));
        tables.apply(object, config(lists), PORT_INDEX);
        assertEquals(1, nexthopSeenByTheDataPath(10, 1, 2, 3));
        assertEquals(-1, nexthopSeenByTheDataPath(192, 168, 0, 1));
        assertEquals(1, object.map("routes4").keys().size());
    }

    @Test
    void configFalseLeavesAreReadFromTheMapAndKeptOnUpdate() throws Exception {
        Map<String, List<ConfigNode>> lists = typesConfig();
        ConfigNode config = config(lists);
        tables.apply(object, config, PORT_INDEX);
        for (int i = 0; i < 3; i++) {
            nexthopSeenByTheDataPath(10, 0, 0, 1); // counts ints[1].hits
        }
        assertEquals(List.of("3"), leaf(tables.state(object, config, PORT_INDEX, PORT_NAME), "ints", "hits", "id",
            "1"));

        // Changing the entry's config keeps the counter the data path owns.
        List<ConfigNode> ints = new ArrayList<>(List.of(entry("id", "1", "u8", "7"), entry("id", "2")));
        lists.put("ints", ints);
        config = config(lists);
        tables.apply(object, config, PORT_INDEX);
        byte[] value = kernel("ints", le(4).putInt(0, 1).array());
        assertEquals(7, value[0]);
        assertEquals(3, ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong(56));
        assertEquals(List.of("3"), leaf(tables.state(object, config, PORT_INDEX, PORT_NAME), "ints", "hits", "id",
            "1"));
    }

    @Test
    void aConfigFalseListIsReadWholeWithPerCpuValuesSummed() throws Exception {
        var stats = object.perCpuArrayMap("stats");
        List<byte[]> perCpu = new ArrayList<>();
        for (int cpu = 0; cpu < stats.cpus(); cpu++) {
            perCpu.add(le(8).putLong(0, 10 + cpu).array());
        }
        stats.set(3, perCpu);
        long sum = 0;
        for (int cpu = 0; cpu < stats.cpus(); cpu++) {
            sum += 10 + cpu;
        }
        Map<String, List<ConfigNode>> state = tables.state(object, config(Map.of()), PORT_INDEX, PORT_NAME);
        // Zeroed slots of an array are no entries; index 3 is port pb.
        assertEquals(1, state.get("stats").size());
        assertEquals(Optional.of("pb"), state.get("stats").get(0).leaf("port"));
        assertEquals(Optional.of(Long.toString(sum)), state.get("stats").get(0).leaf("packets"));
    }

    private static List<String> leaf(Map<String, List<ConfigNode>> state, String list, String leaf, String key,
            String keyValue) {
        return state.get(list).stream().filter(e -> e.leaf(key).equals(Optional.of(keyValue)))
            .map(e -> e.leaf(leaf).orElse("absent")).toList();
    }

    @Test
    void aMapThatOverflowsIsRolledBackAndTheChangeRefused() throws Exception {
        Map<String, List<ConfigNode>> lists = typesConfig();
        tables.apply(object, config(lists), PORT_INDEX);
        Map<String, Map<ByteBuffer, ByteBuffer>> before = dump();

        // ints changes first (bound before small), then small overflows at its third entry.
        lists.put("ints", List.of(entry("id", "1", "u8", "9"), entry("id", "5", "u8", "5")));
        lists.put("routes4", List.of());
        lists.put("small", List.of(entry("k", "1", "v", "9"), entry("k", "2", "v", "2"), entry("k", "3", "v", "3")));
        CubeException e = assertThrows(CubeException.class, () -> tables.apply(object, config(lists), PORT_INDEX));
        assertEquals(CubeException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("max_entries 2"), e.getMessage());
        assertEquals(before, dump());

        // And the tables still know what is in the maps: the next change diffs against the old state.
        lists.put("small", List.of(entry("k", "2", "v", "2")));
        tables.apply(object, config(lists), PORT_INDEX);
        assertEquals(1, object.map("small").keys().size());
        assertArrayEquals(le(4).putInt(0, 2).array(), kernel("small", le(4).putInt(0, 2).array()));
    }

    @Test
    void aRevertPutsBackWhatAnAppliedChangeReplaced() throws Exception {
        Map<String, List<ConfigNode>> lists = typesConfig();
        tables.apply(object, config(lists), PORT_INDEX);
        Map<String, Map<ByteBuffer, ByteBuffer>> before = dump();
        lists.put("small", List.of(entry("k", "2", "v", "2")));
        lists.put("addrs", List.of());
        Tables.Revert revert = tables.apply(object, config(lists), PORT_INDEX);
        assertFalse(before.equals(dump()));
        revert.run();
        assertEquals(before, dump());
    }

    /** Every bound map's entries (keys and values as byte buffers, for equals). */
    private Map<String, Map<ByteBuffer, ByteBuffer>> dump() throws Exception {
        Map<String, Map<ByteBuffer, ByteBuffer>> all = new HashMap<>();
        for (String name : List.of("ints", "addrs", "routes4", "routes6", "small")) {
            BpfMap map = object.map(name);
            Map<ByteBuffer, ByteBuffer> entries = new HashMap<>();
            for (byte[] key : map.keys()) {
                entries.put(ByteBuffer.wrap(key), ByteBuffer.wrap(map.lookup(key).orElseThrow()));
            }
            all.put(name, entries);
        }
        return all;
    }

    @Test
    void aLeafWithoutFieldOrThatDoesNotFitIsRefusedByName(@TempDir Path dir) throws Exception {
        assertEquals("list small bound to map small (value __u32): 2 leaves but the C type is a scalar; use a struct"
            + " with fields [v, extra]", bindError(dir, "leaf k { type uint32; } leaf v { type uint32; }"
                + " leaf extra { type uint32; }"));
        TableSchema noField = schemaOf(dir, "nofield", "base:map \"ints\"; leaf k { type uint32; }"
            + " leaf no-such { type uint32; }");
        String message = assertThrows(TableException.class, () -> Tables.bind(noField, object)).getMessage();
        assertTrue(message.startsWith("list small bound to map ints (value struct ints_val): leaf no-such has no C"
            + " field no_such; fields: [color, flag, hits,"), message);
        assertEquals("list small bound to map small (value __u32): leaf v (uint64) does not fit C field (__u32):"
            + " uint64 needs 8 bytes, the field has 4", bindError(dir, "leaf k { type uint32; } leaf v { type uint64; }"));
        assertEquals("list small bound to map small (key __u32): leaf k (ipv6) does not fit C field (__u32): 16 bytes"
            + " are needed, the field has 4", bindError(dir, "leaf k { type inet:ipv6-address; } leaf v { type uint32; }"));
        TableException noMap = assertThrows(TableException.class, () -> Tables.bind(schemaOf(dir, "other",
            "base:map \"nosuch\"; leaf k { type uint32; }"), object));
        assertTrue(noMap.getMessage().startsWith("list small is bound to map nosuch, which the data path"),
            noMap.getMessage());
        TableException type = assertThrows(TableException.class, () -> schemaOf(dir, "str",
            "base:map \"small\"; leaf k { type string; }"));
        assertTrue(type.getMessage().startsWith("list small (base:map small): leaf k has a type with no C layout"),
            type.getMessage());
    }

    private String bindError(Path dir, String leaves) throws Exception {
        TableSchema bad = schemaOf(dir, "bad" + Math.abs(leaves.hashCode() % 1000), "base:map \"small\"; " + leaves);
        return assertThrows(TableException.class, () -> Tables.bind(bad, object)).getMessage();
    }

    private static TableSchema schemaOf(Path dir, String suffix, String body) throws Exception {
        String name = "pcn-tbl" + suffix;
        Path file = dir.resolve(name + ".yang");
        Files.writeString(file, "module " + name + " { yang-version 1.1; namespace \"urn:test:" + name + "\"; prefix t;"
            + " import pcn-base { prefix base; } import ietf-inet-types { prefix inet; }"
            + " list tbl" + suffix + " { key name; uses base:base-yang-module; list small { key k; " + body + " } } }");
        YangModels own = new YangModels();
        return TableSchema.of(own.addModule(name, file.toUri().toURL()), "tbl" + suffix);
    }
}
