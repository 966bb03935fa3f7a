package io.polycube.core.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.restconf.InstanceChange;
import io.polycube.core.restconf.YangModels;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.core.tables.TableSchema;
import io.polycube.dataplane.api.BpfMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core applies bound tables itself: a cube type with no control plane of its own gets its maps
 * filled from the configuration, reads its config-false leaves back, and a multi-instance request
 * whose second instance overflows a map changes nothing in the first one's maps.
 */
class TablesInstanceTest {
    private static final Path PINS = Path.of("/sys/fs/bpf",
        "pcnt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff)));
    private static TableSchema schema;

    private final Map<String, CubeContext> contexts = new HashMap<>();
    private InstanceManager manager;

    @BeforeAll
    static void parse() throws Exception {
        YangModels models = new YangModels();
        schema = TableSchema.of(models.addModule("pcn-tabletypes",
            TablesInstanceTest.class.getClassLoader().getResource("yang-test/pcn-tabletypes.yang")), "tabletypes");
    }

    @AfterAll
    static void unpin() {
        Sh.tryRun("rm", "-rf", PINS.toString());
    }

    @BeforeEach
    void start() throws CubeException {
        manager = new InstanceManager(PINS);
        // Only to see the instances' maps from the test; the cube itself has no Java (default control plane).
        manager.addType(new TestCubeType("tabletypes", "tabletypes") {
            @Override
            public CubeControl create(CubeContext context) throws CubeException {
                contexts.put(context.instanceName(), context);
                return TestCubeTypes.defaultControl(this, context);
            }
        }, schema);
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    private static ConfigNode entry(String... leaves) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < leaves.length; i += 2) {
            map.put(leaves[i], leaves[i + 1]);
        }
        return ConfigNode.of(map, Map.of(), Map.of(), Map.of());
    }

    private static ConfigNode instance(String name, List<ConfigNode> small) {
        return instance(name, "INFO", small);
    }

    private static ConfigNode instance(String name, String loglevel, List<ConfigNode> small) {
        return ConfigNode.of(Map.of("name", name, "type", "TC", "loglevel", loglevel), Map.of(), Map.of(), Map.of(
            "ports", List.of(entry("name", "pa"), entry("name", "pb")),
            "ints", List.of(entry("id", "1", "outport", "pb")),
            "small", small));
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private Map<Integer, Integer> small(String instance) throws Exception {
        BpfMap map = contexts.get(instance).dataplane().map("small");
        Map<Integer, Integer> entries = new HashMap<>();
        for (byte[] key : map.keys()) {
            entries.put(ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getInt(),
                ByteBuffer.wrap(map.lookup(key).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN).getInt());
        }
        return entries;
    }

    @Test
    void theCoreFillsTheMapsOfACubeWithoutJava() throws Exception {
        ConfigNode one = instance("tt1", List.of(entry("k", "1", "v", "10")));
        manager.apply(List.of(new InstanceChange("tabletypes", "tt1", Optional.empty(), Optional.of(one))));
        assertEquals(Map.of(1, 10), small("tt1"));
        byte[] ints = contexts.get("tt1").dataplane().map("ints").lookup(u32(1)).orElseThrow();
        assertEquals(1, ByteBuffer.wrap(ints).order(ByteOrder.LITTLE_ENDIAN).getInt(48), "outport pb is index 1");

        ConfigNode state = manager.state("tabletypes", "tt1").orElseThrow();
        assertEquals(List.of(Optional.of("0")), state.list("ints").stream().map(e -> e.leaf("hits")).toList());
        assertEquals(List.of(), state.list("stats"));

        ConfigNode two = instance("tt1", List.of(entry("k", "2", "v", "20")));
        manager.apply(List.of(new InstanceChange("tabletypes", "tt1", Optional.of(one), Optional.of(two))));
        assertEquals(Map.of(2, 20), small("tt1"));
    }

    @Test
    void aReloadOfTheMasterKeepsTheTables() throws Exception {
        ConfigNode one = instance("tt1", List.of(entry("k", "1", "v", "10")));
        manager.apply(List.of(new InstanceChange("tabletypes", "tt1", Optional.empty(), Optional.of(one))));
        var firstMaster = contexts.get("tt1").dataplane();
        // A loglevel change reloads the MASTER; the new object shares the maps, and the tables diff on.
        ConfigNode debug = instance("tt1", "DEBUG", List.of(entry("k", "2", "v", "20")));
        manager.apply(List.of(new InstanceChange("tabletypes", "tt1", Optional.of(one), Optional.of(debug))));
        assertTrue(firstMaster != contexts.get("tt1").dataplane(), "the MASTER was reloaded");
        assertEquals(Map.of(2, 20), small("tt1"));
        ConfigNode info = instance("tt1", "INFO", List.of(entry("k", "2", "v", "20")));
        manager.apply(List.of(new InstanceChange("tabletypes", "tt1", Optional.of(debug), Optional.of(info))));
        assertEquals(Map.of(2, 20), small("tt1"));
    }

    @Test
    void aMapOverflowInOneInstanceLeavesTheOthersMapsUnchanged() throws Exception {
        ConfigNode one = instance("tt1", List.of(entry("k", "1", "v", "10")));
        manager.apply(List.of(new InstanceChange("tabletypes", "tt1", Optional.empty(), Optional.of(one))));
        ConfigNode oneChanged = instance("tt1", List.of(entry("k", "2", "v", "20"), entry("k", "3", "v", "30")));
        ConfigNode tooMany = instance("tt2", List.of(entry("k", "1", "v", "1"), entry("k", "2", "v", "2"),
            entry("k", "3", "v", "3")));
        CubeException e = assertThrows(CubeException.class, () -> manager.apply(List.of(
            new InstanceChange("tabletypes", "tt1", Optional.of(one), Optional.of(oneChanged)),
            new InstanceChange("tabletypes", "tt2", Optional.empty(), Optional.of(tooMany)))));
        assertEquals(CubeException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("table small does not fit in map small"), e.getMessage());
        assertEquals(Map.of(1, 10), small("tt1"));
        assertFalse(manager.instances().containsKey("tt2"));
    }

    @Test
    void aListBoundToAMapTheDataPathLacksRefusesTheInstance() throws Exception {
        manager.addType(new TestCubeType("portswap", "portswap") { }, schemaOf("portswap"));
        ConfigNode config = ConfigNode.of(Map.of("name", "ps1", "type", "TC"), Map.of(), Map.of(), Map.of());
        CubeException e = assertThrows(CubeException.class, () -> manager.apply(List.of(
            new InstanceChange("portswap", "ps1", Optional.empty(), Optional.of(config)))));
        assertEquals(CubeException.Kind.OPERATION_FAILED, e.kind());
        assertTrue(e.getMessage().startsWith("cube portswap: list small is bound to map small, which the data path"),
            e.getMessage());
        assertFalse(manager.instances().containsKey("ps1"));
    }

    /** The tabletypes bindings under another cube type's name (whose data path has none of those maps). */
    private static TableSchema schemaOf(String cubeType) throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("pcn-tables");
        Path file = dir.resolve("pcn-" + cubeType + ".yang");
        java.nio.file.Files.writeString(file, "module pcn-" + cubeType + " { yang-version 1.1; namespace \"urn:t:"
            + cubeType + "\"; prefix t; import pcn-base { prefix base; } list " + cubeType + " { key name;"
            + " uses base:base-yang-module; list small { key k; base:map \"small\"; leaf k { type uint32; } } } }");
        return TableSchema.of(new YangModels().addModule("pcn-" + cubeType, file.toUri().toURL()), cubeType);
    }
}
