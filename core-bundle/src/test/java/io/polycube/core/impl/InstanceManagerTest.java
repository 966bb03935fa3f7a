package io.polycube.core.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.restconf.InstanceChange;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.CubeType;
import io.polycube.core.spi.DataplaneCode;
import io.polycube.core.spi.HookType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The instance life cycle against the real kernel: instances attach to veths in the root namespace
 * (named {@code pcnc<hex>*}, removed afterwards) and every failure must leave nothing attached.
 */
class InstanceManagerTest {
    private static final String PREFIX = "pcnc" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    private static final String A = PREFIX + "a";
    private static final String B = PREFIX + "b";
    private static final String C = PREFIX + "c";
    private static final String D = PREFIX + "d";
    private static final Path PINS = Path.of("/sys/fs/bpf", PREFIX);

    private final List<Map<String, Integer>> configured = new ArrayList<>();
    private final Map<String, CubeContext> contexts = new HashMap<>();
    private InstanceManager manager;

    /** A cube whose control plane records the port indices it sees and refuses a port named "bad". */
    private final class PortSwapType extends TestCubeType {
        PortSwapType(String name) {
            super(name, "portswap");
        }

        @Override
        public CubeControl create(CubeContext context) {
            contexts.put(context.instanceName(), context);
            return new CubeControl() {
                @Override
                public void configure(ConfigNode config) throws CubeException {
                    Map<String, Integer> indices = new HashMap<>();
                    for (ConfigNode port : config.list("ports")) {
                        String name = port.leaf("name").orElseThrow();
                        if (name.equals("bad")) {
                            throw CubeException.invalid("port name bad is refused");
                        }
                        OptionalInt index = context.portIndex(name);
                        indices.put(name, index.orElseThrow());
                    }
                    configured.add(indices);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** A cube on any test object whose control plane counts its configurations. */
    private final class ObjectType extends TestCubeType {
        ObjectType(String name, String object) {
            super(name, object);
        }

        @Override
        public CubeControl create(CubeContext context) {
            contexts.put(context.instanceName(), context);
            return new CubeControl() {
                @Override
                public void configure(ConfigNode config) {
                    configured.add(Map.of());
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** A transparent cube that lets everything through. */
    private final class PassThruType extends TestCubeType {
        PassThruType() {
            super("passthru", "passthru");
        }

        @Override
        public boolean transparent() {
            return true;
        }

        @Override
        public CubeControl create(CubeContext context) {
            contexts.put(context.instanceName(), context);
            return new CubeControl() {
                @Override
                public void configure(ConfigNode config) {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @BeforeAll
    static void veths() {
        Sh.run("ip", "link", "add", A, "type", "veth", "peer", "name", B);
        Sh.run("ip", "link", "add", C, "type", "veth", "peer", "name", D);
        for (String dev : List.of(A, B, C, D)) {
            Sh.run("ip", "link", "set", dev, "up");
        }
    }

    @AfterAll
    static void removeVeths() {
        Sh.tryRun("ip", "link", "del", A);
        Sh.tryRun("ip", "link", "del", C);
        Sh.tryRun("rm", "-rf", PINS.toString());
    }

    @BeforeEach
    void start() throws CubeException {
        startManager(new PortSwapType("portswap"), new PortSwapType("otherswap"), new PassThruType());
    }

    /** A polycubed over what is on bpffs (what the last one left, if anything), with {@code types} registered. */
    private void startManager(CubeType... types) throws CubeException {
        manager = new InstanceManager(PINS);
        for (CubeType type : types) {
            manager.addType(type);
        }
    }

    @AfterEach
    void stop() {
        manager.close();
        for (String dev : List.of(A, B, C, D)) {
            assertFalse(tcAttached(dev), "TC program left on " + dev);
            assertFalse(xdpAttached(dev), "XDP program left on " + dev);
        }
        assertEquals(List.of(), InstancePins.pinned(PINS), "pins left under " + PINS);
        assertFalse(java.nio.file.Files.exists(PINS), "a closed manager leaves no directory on bpffs: " + PINS);
    }

    private static ConfigNode instance(String name, String type, String... portPeerPairs) {
        List<ConfigNode> ports = new ArrayList<>();
        for (int i = 0; i < portPeerPairs.length; i += 2) {
            Map<String, String> leaves = new LinkedHashMap<>();
            leaves.put("name", portPeerPairs[i]);
            if (portPeerPairs[i + 1] != null) {
                leaves.put("peer", portPeerPairs[i + 1]);
            }
            ports.add(ConfigNode.of(leaves, Map.of(), Map.of(), Map.of()));
        }
        return ConfigNode.of(Map.of("name", name, "type", type), Map.of(), Map.of(), Map.of("ports", ports));
    }

    private void create(ConfigNode config) throws CubeException {
        String name = config.leaf("name").orElseThrow();
        manager.apply(List.of(new InstanceChange("portswap", name, Optional.empty(), Optional.of(config))));
    }

    private void change(ConfigNode before, ConfigNode after) throws CubeException {
        String name = before.leaf("name").orElseThrow();
        manager.apply(List.of(new InstanceChange("portswap", name, Optional.of(before), Optional.of(after))));
    }

    /** The TC (TCX) programs on a device's ingress, as the kernel reports them. */
    private static List<Integer> tcPrograms(String dev) {
        try {
            return io.polycube.dataplane.api.Netdevs.tcxProgramIds(
                io.polycube.dataplane.api.Netdevs.ifindex(dev).orElseThrow(), io.polycube.dataplane.api.TcDirection.INGRESS);
        } catch (io.polycube.dataplane.api.BpfException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean tcAttached(String dev) {
        return !tcPrograms(dev).isEmpty();
    }

    private static boolean xdpAttached(String dev) {
        return Sh.run("ip", "-d", "link", "show", "dev", dev).contains("prog/xdp");
    }

    @Test
    void tcInstanceAttachesToEveryPeerAndDetachesOnDelete() throws CubeException {
        ConfigNode config = instance("t1", "TC", "p1", A, "p2", C);
        create(config);
        assertTrue(tcAttached(A));
        assertTrue(tcAttached(C));
        assertEquals(Map.of("p1", 0, "p2", 1), configured.get(0));
        ConfigNode state = manager.state("portswap", "t1").orElseThrow();
        assertEquals(List.of("UP", "UP"), state.list("ports").stream().map(p -> p.leaf("status").orElseThrow()).toList());

        assertEquals(Map.of("t1", "portswap"), manager.instances());
        manager.apply(List.of(new InstanceChange("portswap", "t1", Optional.of(config), Optional.empty())));
        assertFalse(tcAttached(A));
        assertFalse(tcAttached(C));
        assertTrue(manager.state("portswap", "t1").isEmpty());
        assertEquals(Map.of(), manager.instances(), "a deleted instance is no longer listed");
        CubeException gone = assertThrows(CubeException.class, () -> manager.sendPacketOut("t1", "p1",
            io.polycube.core.api.Direction.INGRESS, new byte[60]));
        assertEquals(CubeException.Kind.INVALID_VALUE, gone.kind());
    }

    @Test
    void xdpInstanceAttachesInGenericMode() throws CubeException {
        create(instance("x1", "XDP_SKB", "p1", A, "p2", null));
        assertTrue(Sh.run("ip", "-d", "link", "show", "dev", A).contains("xdpgeneric"));
        ConfigNode state = manager.state("portswap", "x1").orElseThrow();
        assertEquals(List.of("UP", "DOWN"), state.list("ports").stream().map(p -> p.leaf("status").orElseThrow()).toList());
    }

    @Test
    void missingNetdevIsRefusedBeforeAnythingIsAttached() {
        CubeException e = assertThrows(CubeException.class,
            () -> create(instance("t2", "TC", "p1", A, "p2", PREFIX + "zz")));
        assertEquals(CubeException.Kind.INVALID_VALUE, e.kind());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(tcAttached(A));
        assertTrue(manager.state("portswap", "t2").isEmpty());
    }

    @Test
    void aNetdevServesOnePortOnly() throws CubeException {
        create(instance("t3", "TC", "p1", A));
        CubeException e = assertThrows(CubeException.class, () -> create(instance("t4", "TC", "q1", C, "q2", A)));
        assertEquals(CubeException.Kind.CONFLICT, e.kind());
        assertFalse(tcAttached(C), "the refused instance must not keep its first port");
        assertTrue(tcAttached(A), "the first instance must be untouched");
    }

    @Test
    void aRefusedReconfigurationRestoresThePorts() throws CubeException {
        ConfigNode before = instance("t5", "TC", "p1", A);
        create(before);
        CubeException e = assertThrows(CubeException.class, () -> change(before, instance("t5", "TC", "p1", A, "bad", C)));
        assertEquals(CubeException.Kind.INVALID_VALUE, e.kind());
        assertFalse(tcAttached(C));
        assertTrue(tcAttached(A));
        // The instance still works: a valid change after the refused one goes through.
        change(before, instance("t5", "TC", "p1", A, "p2", C));
        assertTrue(tcAttached(C));
    }

    @Test
    void movingAPeerKeepsThePortIndex() throws CubeException {
        ConfigNode before = instance("t6", "TC", "p1", A, "p2", C);
        create(before);
        change(before, instance("t6", "TC", "p1", B, "p2", C));
        assertFalse(tcAttached(A));
        assertTrue(tcAttached(B));
        assertEquals(Map.of("p1", 0, "p2", 1), configured.get(configured.size() - 1));
    }

    @Test
    void theHookCannotChange() throws CubeException {
        ConfigNode before = instance("t7", "TC", "p1", A);
        create(before);
        CubeException e = assertThrows(CubeException.class, () -> change(before, instance("t7", "XDP_SKB", "p1", A)));
        assertEquals(CubeException.Kind.CONFLICT, e.kind());
        assertTrue(tcAttached(A));
        assertFalse(xdpAttached(A));
    }

    @Test
    void aFailedChangeOfSeveralInstancesRevertsTheOnesAlreadyApplied() {
        InstanceChange good = new InstanceChange("portswap", "t8", Optional.empty(),
            Optional.of(instance("t8", "TC", "p1", A)));
        InstanceChange bad = new InstanceChange("portswap", "t9", Optional.empty(),
            Optional.of(instance("t9", "TC", "p1", C, "bad", D)));
        assertThrows(CubeException.class, () -> manager.apply(List.of(good, bad)));
        assertFalse(tcAttached(A));
        assertFalse(tcAttached(C));
        assertTrue(manager.state("portswap", "t8").isEmpty());
    }

    private List<String> statuses(String name) {
        return manager.state("portswap", name).orElseThrow().list("ports").stream()
            .map(p -> p.leaf("name").orElseThrow() + "=" + p.leaf("status").orElseThrow()).toList();
    }

    private static final byte[] KEY = {7, 0, 0, 0};

    /** A "seen" (seen_v1) instance on A and C whose table holds KEY -> value; orphans wait 5 minutes. */
    private ConfigNode seenWithAnEntry(String name, byte value) throws Exception {
        manager.setOrphanGrace(java.time.Duration.ofMinutes(5));
        manager.addType(new ObjectType("seen", "seen_v1"));
        ConfigNode config = instance(name, "TC", "p1", A, "p2", C);
        manager.apply(List.of(new InstanceChange("seen", name, Optional.empty(), Optional.of(config))));
        contexts.get(name).dataplane().hashMap("seen").update(KEY, new byte[] {value, 0, 0, 0, 0, 0, 0, 0});
        return config;
    }

    /** A type that leaves becomes orphans: programs, ports and tables stay until the type comes back. */
    @Test
    void aCubeTypeThatComesBackAdoptsItsOrphansWithTheirTables() throws Exception {
        ConfigNode config = seenWithAnEntry("s1", (byte) 42);
        List<Integer> before = tcPrograms(A);
        int configurations = configured.size();

        manager.removeType("seen");
        assertEquals(before, tcPrograms(A), "an orphan keeps its program attached");
        assertEquals(Map.of("s1", "seen"), manager.instances());

        manager.addType(new ObjectType("seen", "seen_v1"));
        manager.apply(List.of(new InstanceChange("seen", "s1", Optional.empty(), Optional.of(config))));
        List<Integer> after = tcPrograms(A);
        assertEquals(1, after.size());
        assertFalse(before.equals(after), "the new registration's program replaced the old one: " + before + after);
        assertArrayEquals(new byte[] {42, 0, 0, 0, 0, 0, 0, 0},
            contexts.get("s1").dataplane().hashMap("seen").lookup(KEY).orElseThrow(), "the table was kept");
        assertEquals(configurations + 1, configured.size(), "the new control plane was configured");
    }

    @Test
    void aTcDataPathLeftByAnEarlierDaemonIsTakenOverWithItsTables() throws Exception {
        takenOver("TC");
    }

    @Test
    void anXdpDataPathLeftByAnEarlierDaemonIsTakenOverWithItsTables() throws Exception {
        takenOver("XDP_SKB");
    }

    /**
     * A daemon that goes without tearing down (release: as kill -9 leaves it, but in-process) leaves the
     * instance attached and forwarding with pinned tables; the next daemon's instance of the same
     * configuration takes the attachments over by replacing their programs and keeps the tables.
     */
    private void takenOver(String hook) throws Exception {
        manager.setOrphanGrace(java.time.Duration.ofMinutes(5));
        manager.addType(new ObjectType("seen", "seen_v1"));
        ConfigNode config = instance("k1", hook, "p1", A, "p2", C);
        manager.apply(List.of(new InstanceChange("seen", "k1", Optional.empty(), Optional.of(config))));
        contexts.get("k1").dataplane().hashMap("seen").update(KEY, new byte[] {7, 0, 0, 0, 0, 0, 0, 0});
        List<String> attachedBefore = attachments(hook);

        manager.release();
        assertEquals(attachedBefore, attachments(hook), "released: still attached, the same programs");
        assertEquals(List.of("k1"), InstancePins.pinned(PINS));

        startManager(new ObjectType("seen", "seen_v1"));
        manager.apply(List.of(new InstanceChange("seen", "k1", Optional.empty(), Optional.of(config))));
        List<String> attachedAfter = attachments(hook);
        assertEquals(attachedBefore.size(), attachedAfter.size(), "taken over, not attached twice: " + attachedAfter);
        for (int i = 0; i < attachedAfter.size(); i++) {
            assertFalse(attachedBefore.get(i).equals(attachedAfter.get(i)), "the new daemon's program on each device: "
                + attachedBefore + " -> " + attachedAfter);
        }
        assertArrayEquals(new byte[] {7, 0, 0, 0, 0, 0, 0, 0},
            contexts.get("k1").dataplane().hashMap("seen").lookup(KEY).orElseThrow(), "the table was kept");
        manager.apply(List.of(new InstanceChange("seen", "k1", Optional.of(config), Optional.empty())));
        assertEquals(List.of(), InstancePins.pinned(PINS), "a delete unpins");
    }

    /** What runs on A and C in that hook, one line per device (program ids). */
    private static List<String> attachments(String hook) {
        List<String> out = new ArrayList<>();
        for (String dev : List.of(A, C)) {
            if (hook.equals("TC")) {
                out.add(tcPrograms(dev).toString());
            } else {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("prog/xdp id (\\d+)")
                    .matcher(Sh.run("ip", "-d", "link", "show", "dev", dev));
                out.add(m.find() ? m.group(1) : "none");
            }
        }
        return out;
    }

    @Test
    void leftoversNoConfigurationClaimsAreSwept() throws Exception {
        manager.addType(new ObjectType("seen", "seen_v1"));
        ConfigNode config = instance("k2", "TC", "p1", A, "p2", C);
        manager.apply(List.of(new InstanceChange("seen", "k2", Optional.empty(), Optional.of(config))));
        manager.release();
        assertTrue(tcAttached(A));
        manager = new InstanceManager(PINS);
        manager.sweepLeftoversAfter(java.time.Duration.ofMillis(100));
        long deadline = System.currentTimeMillis() + 10_000;
        while (!InstancePins.pinned(PINS).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), InstancePins.pinned(PINS), "unclaimed leftovers are unpinned");
        assertFalse(tcAttached(A), "and detached");
        assertFalse(tcAttached(C));
    }

    /** A new version whose map layout changed is refused; the orphan keeps its program and table. */
    @Test
    void anUpgradeWithAnotherMapLayoutIsRefusedAndTheOldProgramStays() throws Exception {
        ConfigNode config = seenWithAnEntry("s2", (byte) 9);
        List<Integer> before = tcPrograms(A);

        assertEquals(io.polycube.core.model.Topology.CubeState.RUNNING, cubeInfo("s2").state());
        manager.removeType("seen");
        assertEquals(io.polycube.core.model.Topology.CubeState.ORPHANED, cubeInfo("s2").state());
        manager.addType(new ObjectType("seen", "seen_v2bad"));
        CubeException refused = assertThrows(CubeException.class, () -> manager.apply(
            List.of(new InstanceChange("seen", "s2", Optional.empty(), Optional.of(config)))));
        assertTrue(refused.getMessage().contains("upgrade to seen refused for s2"), refused.getMessage());
        assertEquals(before, tcPrograms(A), "the old program still runs");
        io.polycube.core.model.Topology.CubeInfo shown = cubeInfo("s2");
        assertEquals(io.polycube.core.model.Topology.CubeState.UPGRADE_REFUSED, shown.state());
        assertEquals(java.util.Optional.of(refused.getMessage()), shown.reason(), "the reason, as the API shows it");
        assertArrayEquals(new byte[] {9, 0, 0, 0, 0, 0, 0, 0},
            contexts.get("s2").dataplane().hashMap("seen").lookup(KEY).orElseThrow());

        // The compatible version, registered next, adopts it.
        manager.removeType("seen");
        manager.addType(new ObjectType("seen", "seen_v1"));
        manager.apply(List.of(new InstanceChange("seen", "s2", Optional.empty(), Optional.of(config))));
        assertFalse(before.equals(tcPrograms(A)));
        assertArrayEquals(new byte[] {9, 0, 0, 0, 0, 0, 0, 0},
            contexts.get("s2").dataplane().hashMap("seen").lookup(KEY).orElseThrow());
        assertEquals(io.polycube.core.model.Topology.CubeState.RUNNING, cubeInfo("s2").state());
        assertEquals(java.util.Optional.empty(), cubeInfo("s2").reason());
    }

    /** A new registration whose model rejects the saved configuration: the orphan stays as it was and says why. */
    @Test
    void aModelThatRejectsTheConfigurationLeavesTheOrphanForwarding() throws Exception {
        ConfigNode config = seenWithAnEntry("s5", (byte) 7);
        List<Integer> before = tcPrograms(A);
        manager.removeType("seen");
        manager.addType(new ObjectType("seen", "seen_v1"));
        manager.refuseUpgrades("seen", name -> name.equals("s5") ? "leaf answer: 300 is not in range 1..120" : null);
        io.polycube.core.model.Topology.CubeInfo shown = cubeInfo("s5");
        assertEquals(io.polycube.core.model.Topology.CubeState.UPGRADE_REFUSED, shown.state());
        assertTrue(shown.reason().orElseThrow().startsWith("upgrade to seen refused for s5 (the running data path"
            + " goes on forwarding): its saved configuration does not fit the new YANG model: leaf answer"), shown.reason().orElseThrow());
        assertEquals(before, tcPrograms(A), "nothing was loaded or swapped");
        assertArrayEquals(new byte[] {7, 0, 0, 0, 0, 0, 0, 0},
            contexts.get("s5").dataplane().hashMap("seen").lookup(KEY).orElseThrow());

        // The type leaving again forgets the refusal; a registration that takes the configuration adopts it.
        manager.removeType("seen");
        assertEquals(io.polycube.core.model.Topology.CubeState.ORPHANED, cubeInfo("s5").state());
        manager.addType(new ObjectType("seen", "seen_v1"));
        manager.apply(List.of(new InstanceChange("seen", "s5", Optional.empty(), Optional.of(config))));
        assertEquals(io.polycube.core.model.Topology.CubeState.RUNNING, cubeInfo("s5").state());
        // and a running instance is not marked by a late refusal
        manager.refuseUpgrades("seen", name -> "whatever");
        assertEquals(java.util.Optional.empty(), cubeInfo("s5").reason());
    }

    private io.polycube.core.model.Topology.CubeInfo cubeInfo(String name) {
        return manager.topology().cubes().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** Orphans whose type does not come back within the grace are freed. */
    @Test
    void orphansAreFreedWhenTheGraceEnds() throws Exception {
        manager.setOrphanGrace(java.time.Duration.ofMillis(300));
        manager.addType(new ObjectType("seen", "seen_v1"));
        manager.apply(List.of(new InstanceChange("seen", "s3", Optional.empty(),
            Optional.of(instance("s3", "TC", "p1", A, "p2", C)))));
        manager.removeType("seen");
        assertTrue(tcAttached(A));
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        // the reaper detaches first, then forgets the instance
        while ((tcAttached(A) || !manager.instances().isEmpty()) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertFalse(tcAttached(A), "detached once the grace ended");
        assertEquals(Map.of(), manager.instances());
    }

    @Test
    void withNoGraceATypeThatLeavesTakesItsInstancesAtOnce() throws Exception {
        manager.setOrphanGrace(java.time.Duration.ZERO);
        manager.addType(new ObjectType("seen", "seen_v1"));
        manager.apply(List.of(new InstanceChange("seen", "s4", Optional.empty(),
            Optional.of(instance("s4", "TC", "p1", A, "p2", C)))));
        manager.removeType("seen");
        assertFalse(tcAttached(A));
        assertEquals(Map.of(), manager.instances());
    }

    @Test
    void cubePeersLinkWhenBothSidesNameEachOther() throws Exception {
        create(instance("cx", "TC", "p1", A, "p2", "cy:q1"));
        assertEquals(List.of("p1=UP", "p2=DOWN"), statuses("cx"));
        ConfigNode y = instance("cy", "TC", "q1", "cx:p2", "q2", C);
        create(y);
        assertEquals(List.of("p1=UP", "p2=UP"), statuses("cx"));
        assertEquals(List.of("q1=UP", "q2=UP"), statuses("cy"));
        // cy's port q1 (index 0) has a pcn_link program: the hop needs no metadata (consts.h PCN_PEER_LINK).
        java.nio.ByteBuffer entry = java.nio.ByteBuffer.wrap(contexts.get("cx").dataplane().arrayMap("pcn_ports").get(1))
            .order(java.nio.ByteOrder.nativeOrder());
        assertEquals(DataplaneLayout.PEER_LINK, entry.getShort(0));
        assertEquals(0, entry.getShort(2), "the peer's input port");

        change(y, instance("cy", "TC", "q1", null, "q2", C));
        assertEquals(List.of("p1=UP", "p2=DOWN"), statuses("cx"));
        change(instance("cy", "TC", "q1", null, "q2", C), y);
        assertEquals(List.of("p1=UP", "p2=UP"), statuses("cx"));

        manager.apply(List.of(new InstanceChange("portswap", "cy", Optional.of(y), Optional.empty())));
        assertEquals(List.of("p1=UP", "p2=DOWN"), statuses("cx"));
    }

    @Test
    void aChainUsesOneHook() throws CubeException {
        create(instance("hx", "TC", "p1", "hy:q1"));
        CubeException e = assertThrows(CubeException.class, () -> create(instance("hy", "XDP_SKB", "q1", "hx:p1", "q2", A)));
        assertEquals(CubeException.Kind.INVALID_VALUE, e.kind());
        assertTrue(e.getMessage().contains("one hook type"), e.getMessage());
        assertTrue(manager.state("portswap", "hy").isEmpty());
        assertFalse(xdpAttached(A));
    }

    @Test
    void instanceNamesAreUniqueAcrossCubeTypes() throws CubeException {
        create(instance("same", "TC", "p1", A));
        CubeException e = assertThrows(CubeException.class, () -> manager.apply(List.of(new InstanceChange(
            "otherswap", "same", Optional.empty(), Optional.of(instance("same", "TC", "p1", C))))));
        assertEquals(CubeException.Kind.CONFLICT, e.kind());
        assertFalse(tcAttached(C));
    }

    private static final String SWAP_SOURCE = """
        #include <pcn/cube.h>
        static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
        {
            pcn_log(ctx, LOG_DEBUG, "reloaded code on %P", md->in_port);
            return pcn_pkt_redirect(ctx, md, md->in_port ^ 1);
        }
        """;

    private static String tcProgramId(String dev) {
        List<Integer> ids = tcPrograms(dev);
        return ids.isEmpty() ? "none" : ids.get(0).toString();
    }

    private static ConfigNode withLevel(ConfigNode base, String level) {
        Map<String, String> leaves = new HashMap<>(Map.of("name", base.leaf("name").orElseThrow(),
            "type", base.leaf("type").orElseThrow(), "loglevel", level));
        return ConfigNode.of(leaves, Map.of(), Map.of(), Map.of("ports", base.list("ports")));
    }

    @Test
    void aLoglevelChangeSwapsTheAttachedProgram() throws CubeException {
        ConfigNode before = instance("l1", "TC", "p1", A);
        create(before);
        String first = tcProgramId(A);
        change(before, withLevel(before, "TRACE"));
        String second = tcProgramId(A);
        assertFalse(first.equals(second), "a new program must be attached");
        assertTrue(tcAttached(A));
        assertEquals(List.of("p1=UP"), statuses("l1"));
    }

    @Test
    void reloadingFromSourceReplacesTheMasterAndKeepsTheTables() throws Exception {
        create(instance("r1", "XDP_SKB", "p1", A, "p2", C));
        byte[] portTable = contexts.get("r1").dataplane().arrayMap("pcn_ports").get(1);
        contexts.get("r1").dataplane().hashMap("pcn_port_of_big_ifindex").update(new byte[] {1, 2, 3, 4}, new byte[4]);
        String before = Sh.run("ip", "-d", "link", "show", "dev", A);
        manager.reload("r1", 0, new DataplaneCode.Source(SWAP_SOURCE));
        String after = Sh.run("ip", "-d", "link", "show", "dev", A);
        assertFalse(before.equals(after), "the attached XDP program must change");
        assertTrue(after.contains("xdpgeneric"));
        // The new MASTER sees the old tables: what the core wrote, and what was put there by hand.
        assertArrayEquals(portTable, contexts.get("r1").dataplane().arrayMap("pcn_ports").get(1));
        assertTrue(contexts.get("r1").dataplane().hashMap("pcn_port_of_big_ifindex").lookup(new byte[] {1, 2, 3, 4})
            .isPresent());
        assertEquals(List.of("p1=UP", "p2=UP"), statuses("r1"));
        manager.reload("r1", 5, new DataplaneCode.Source(SWAP_SOURCE));
        manager.reload("r1", 69, new DataplaneCode.Source(SWAP_SOURCE));
        CubeException e = assertThrows(CubeException.class, () -> manager.reload("r1", 64, new DataplaneCode.Source(SWAP_SOURCE)));
        assertEquals(CubeException.Kind.INVALID_VALUE, e.kind());
        assertEquals(List.of("p1=UP", "p2=UP"), statuses("r1"));
    }

    @Test
    void aRejectedReloadReturnsTheVerifierLogAndKeepsTheOldProgram() throws CubeException {
        create(instance("r2", "TC", "p1", A));
        String id = tcProgramId(A);
        String unbounded = SWAP_SOURCE.replace("return pcn_pkt_redirect(ctx, md, md->in_port ^ 1);",
            "return ((unsigned char *)(long)ctx->data)[md->packet_len];");
        CubeException e = assertThrows(CubeException.class, () -> manager.reload("r2", 0, new DataplaneCode.Source(unbounded)));
        assertEquals(CubeException.Kind.INVALID_VALUE, e.kind());
        assertTrue(e.getMessage().contains("invalid access to packet"), e.getMessage());
        assertEquals(id, tcProgramId(A));
        CubeException compile = assertThrows(CubeException.class,
            () -> manager.reload("r2", 0, new DataplaneCode.Source("int x = ;")));
        assertTrue(compile.getMessage().contains("does not compile"), compile.getMessage());
        assertEquals(id, tcProgramId(A));
    }

    /**
     * A SLAVE valid only below DEBUG (the level is a constant the verifier prunes with): a change to DEBUG is
     * refused with the verifier's reason and swaps nothing, neither the MASTER nor the SLAVE's slot.
     */
    @Test
    void aLoglevelChangeTheVerifierRefusesSwapsNothing() throws Exception {
        ConfigNode before = instance("r3", "TC", "p1", A);
        create(before);
        String debugOnlyBad = SWAP_SOURCE.replace("pcn_log(ctx, LOG_DEBUG, \"reloaded code on %P\", md->in_port);",
            "if (pcn_log_level >= LOG_DEBUG) return ((unsigned char *)(long)ctx->data)[md->packet_len];");
        manager.reload("r3", 1, new DataplaneCode.Source(debugOnlyBad));
        String master = tcProgramId(A);
        byte[] slot = {1, 0, 0, 0};
        byte[] slave = contexts.get("r3").dataplane().progArray("pcn_ingress_progs").lookup(slot).orElseThrow();
        CubeException e = assertThrows(CubeException.class, () -> change(before, withLevel(before, "DEBUG")));
        assertEquals(CubeException.Kind.INVALID_VALUE, e.kind());
        assertTrue(e.getMessage().contains("invalid access to packet"), e.getMessage());
        assertEquals(master, tcProgramId(A));
        assertArrayEquals(slave, contexts.get("r3").dataplane().progArray("pcn_ingress_progs").lookup(slot).orElseThrow());
        change(before, withLevel(before, "WARN"));
        assertFalse(master.equals(tcProgramId(A)), "an accepted change swaps the MASTER");
        assertFalse(java.util.Arrays.equals(slave,
            contexts.get("r3").dataplane().progArray("pcn_ingress_progs").lookup(slot).orElseThrow()), "and the SLAVE");
    }

    private static ConfigNode transparent(String name, String type, String parent, String direction, String position) {
        return ConfigNode.of(Map.of("name", name, "type", type, "parent", parent, "direction", direction,
            "position", position), Map.of(), Map.of(), Map.of());
    }

    private void createTransparent(ConfigNode config) throws CubeException {
        manager.apply(List.of(new InstanceChange("passthru", config.leaf("name").orElseThrow(), Optional.empty(),
            Optional.of(config))));
    }

    private static long tcFilters(String dev) {
        return tcPrograms(dev).size();
    }

    @Test
    void transparentCubesOnAFreeNetdevTakeTurnsAsTheAttachedProgram() throws CubeException {
        createTransparent(transparent("t1", "TC", A, "INGRESS", "last"));
        String t1 = tcProgramId(A);
        assertEquals(1, tcFilters(A));
        createTransparent(transparent("t2", "TC", A, "INGRESS", "first"));
        assertEquals(List.of("t2", "t1"), manager.transparentChain("", A, false));
        assertEquals(1, tcFilters(A), "only the first transparent cube is attached");
        assertFalse(t1.equals(tcProgramId(A)), "t2 is now first");
        manager.apply(List.of(new InstanceChange("passthru", "t2",
            Optional.of(transparent("t2", "TC", A, "INGRESS", "first")), Optional.empty())));
        assertEquals(1, tcFilters(A));
        assertEquals(List.of("t1"), manager.transparentChain("", A, false));
    }

    @Test
    void aPortNetdevRunsThePortsLinkProgramUnlessTransparentCubesComeFirst() throws Exception {
        create(instance("tw", "TC", "p1", A, "p2", C));
        io.polycube.dataplane.api.BpfObject master = contexts.get("tw").dataplane();
        String link0 = Integer.toString(master.program("pcn_link_0").id());
        String entry = Integer.toString(master.program("pcn_entry").id());
        assertEquals(link0, tcProgramId(A), "port 0's own program: no ifindex lookup per packet");
        assertEquals(Integer.toString(master.program("pcn_link_1").id()), tcProgramId(C));
        ConfigNode filter = transparent("tf", "TC", "tw:p1", "INGRESS", "first");
        createTransparent(filter);
        assertEquals(entry, tcProgramId(A), "pcn_entry hands packets to the ingress transparent cube first");
        assertEquals(Integer.toString(master.program("pcn_link_1").id()), tcProgramId(C));
        manager.apply(List.of(new InstanceChange("passthru", "tf", Optional.of(filter), Optional.empty())));
        assertEquals(link0, tcProgramId(A));
        assertEquals(List.of("p1=UP", "p2=UP"), statuses("tw"));
    }

    @Test
    void positionsOrderTheTransparentCubesOfAPort() throws CubeException {
        create(instance("tx", "TC", "p1", A, "p2", C));
        createTransparent(transparent("ta", "TC", "tx:p1", "INGRESS", "last"));
        createTransparent(transparent("tb", "TC", "tx:p1", "INGRESS", "before ta"));
        createTransparent(transparent("tc", "TC", "tx:p1", "INGRESS", "first"));
        createTransparent(transparent("td", "TC", A, "INGRESS", "after tb"));
        assertEquals(List.of("tc", "tb", "td", "ta"), manager.transparentChain("tx", "p1", false));
        assertEquals(1, tcFilters(A), "the cube's own entry stays the only program on its netdev");
        CubeException e = assertThrows(CubeException.class,
            () -> createTransparent(transparent("te", "TC", "tx:p1", "INGRESS", "after nobody")));
        assertEquals(CubeException.Kind.INVALID_VALUE, e.kind());
        assertTrue(e.getMessage().contains("nobody"), e.getMessage());
        assertEquals(List.of("tc", "tb", "td", "ta"), manager.transparentChain("tx", "p1", false));
    }

    @Test
    void transparentCubesFollowTheirCubesRules() throws CubeException {
        create(instance("ty", "TC", "p1", A));
        CubeException hook = assertThrows(CubeException.class,
            () -> createTransparent(transparent("tf", "XDP_SKB", "ty:p1", "INGRESS", "last")));
        assertTrue(hook.getMessage().contains("one hook type"), hook.getMessage());
        CubeException egress = assertThrows(CubeException.class,
            () -> createTransparent(transparent("tg", "XDP_SKB", C, "EGRESS", "last")));
        assertTrue(egress.getMessage().contains("no XDP egress"), egress.getMessage());
        CubeException missing = assertThrows(CubeException.class,
            () -> createTransparent(transparent("th", "TC", PREFIX + "zz", "INGRESS", "last")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertFalse(xdpAttached(C));
        assertEquals(0, tcFilters(C));
    }

    /** Found by a stress run: a port on lo dropped the daemon's own RESTCONF traffic. */
    @Test
    void nothingTakesTheLoopbackDevice() throws CubeException {
        for (String type : List.of("TC", "XDP_SKB")) {
            CubeException port = assertThrows(CubeException.class, () -> create(instance("tl", type, "p1", "lo")));
            assertTrue(port.getMessage().contains("loopback"), port.getMessage());
            CubeException parent = assertThrows(CubeException.class,
                () -> createTransparent(transparent("tk", type, "lo", "INGRESS", "last")));
            assertTrue(parent.getMessage().contains("loopback"), parent.getMessage());
        }
        assertFalse(xdpAttached("lo"));
        assertEquals(0, tcFilters("lo"));
        assertEquals(List.of(), manager.transparentChain("", "lo", false));
    }

    /** Found by a stress run: two hooks on one point failed in the kernel (EINVAL, a 500) instead of being refused. */
    @Test
    void transparentCubesOnOnePointShareTheirHook() throws CubeException {
        createTransparent(transparent("tm", "TC", "nocube:p1", "EGRESS", "last"));
        CubeException mixed = assertThrows(CubeException.class,
            () -> createTransparent(transparent("tn", "XDP_SKB", "nocube:p1", "EGRESS", "last")));
        assertEquals(CubeException.Kind.INVALID_VALUE, mixed.kind());
        assertTrue(mixed.getMessage().startsWith("tn is XDP_SKB but tm"), mixed.getMessage());
        createTransparent(transparent("to", "TC", C, "INGRESS", "last"));
        String attached = tcProgramId(C);
        assertThrows(CubeException.class, () -> createTransparent(transparent("tp", "XDP_SKB", C, "INGRESS", "first")));
        assertEquals(List.of("tm"), manager.transparentChain("nocube", "p1", true));
        assertEquals(List.of("to"), manager.transparentChain("", C, false));
        assertEquals(attached, tcProgramId(C));
        assertFalse(xdpAttached(C));
    }

    private static String xdpProgram(String dev) {
        var m = java.util.regex.Pattern.compile("prog/xdp id (\\d+)").matcher(Sh.run("ip", "-d", "link", "show", "dev", dev));
        return m.find() ? m.group(1) : "none";
    }

    /** XDP allows one program per device: a port taking a free netdev takes it from its transparent cube and gives it back. */
    @Test
    void aPortTakesAFreeNetdevFromItsTransparentCubeAndGivesItBack() throws CubeException {
        createTransparent(transparent("tx1", "XDP_SKB", A, "INGRESS", "last"));
        String transparentProgram = xdpProgram(A);
        assertFalse(transparentProgram.equals("none"));
        ConfigNode owner = instance("ow", "XDP_SKB", "p1", A, "p2", C);
        create(owner);
        assertEquals(List.of("tx1"), manager.transparentChain("ow", "p1", false), "now on the port that owns A");
        assertFalse(transparentProgram.equals(xdpProgram(A)), "the cube's entry program is on A");
        manager.apply(List.of(new InstanceChange("portswap", "ow", Optional.of(owner), Optional.empty())));
        assertEquals(List.of("tx1"), manager.transparentChain("", A, false));
        assertTrue(xdpAttached(A), "the transparent cube is back on A");
    }

    /**
     * A released daemon (as kill -9 or a stop that keeps the data plane leaves it) with a transparent cube on a
     * port's ingress and one on a free netdev: everything stays attached and in the kept patch panel; the next
     * daemon gives each its slot back and takes every attachment over, whichever comes back first, and until the
     * other is back its kept hand-offs stand (the port's netdev keeps pcn_entry, the filter's next stage stays).
     */
    @Test
    void transparentCubesAreTakenOverWithTheirSlotsWhicheverComesBackFirst() throws Exception {
        for (boolean filterFirst : new boolean[] {true, false}) {
            manager.setOrphanGrace(java.time.Duration.ofMinutes(5));
            ConfigNode owner = instance("tw", "TC", "p1", A, "p2", C);
            ConfigNode filter = transparent("tf", "TC", "tw:p1", "INGRESS", "last");
            ConfigNode onNetdev = transparent("tn", "TC", B, "INGRESS", "last");
            create(owner);
            createTransparent(filter);
            createTransparent(onNetdev);
            int slot = InstancePins.of(PINS, "tf").slot("tc").orElseThrow();
            int filterChain = contexts.get("tf").dataplane().program("pcn_chain").id();
            String entryOnA = tcProgramId(A);
            assertEquals(Integer.toString(contexts.get("tw").dataplane().program("pcn_entry").id()), entryOnA);
            String onB = tcProgramId(B);

            manager.release();
            assertEquals(filterChain, panelEntry(slot), "released: the filter stays in the pinned panel");
            assertEquals(entryOnA, tcProgramId(A));
            assertEquals(onB, tcProgramId(B), "released: the netdev's transparent cube stays attached");

            startManager(new PortSwapType("portswap"), new PassThruType());
            if (filterFirst) {
                createTransparent(filter);
                assertEquals(entryOnA, tcProgramId(A), "the owner is not back: its program runs on");
                byte[] next = contexts.get("tf").dataplane().arrayMap("pcn_next").get(0);
                assertFalse(java.util.Arrays.equals(new byte[next.length], next), "its kept next stage stays");
                create(owner);
            } else {
                create(owner);
                String entry = Integer.toString(contexts.get("tw").dataplane().program("pcn_entry").id());
                assertEquals(entry, tcProgramId(A), "the port keeps handing packets to the filter that is not back yet");
                createTransparent(filter);
            }
            createTransparent(onNetdev);
            assertEquals(slot, InstancePins.of(PINS, "tf").slot("tc").orElseThrow(), "the same slot");
            assertEquals(contexts.get("tf").dataplane().program("pcn_chain").id(), panelEntry(slot));
            assertEquals(Integer.toString(contexts.get("tw").dataplane().program("pcn_entry").id()), tcProgramId(A),
                "the new owner's pcn_entry, which hands packets to the filter");
            assertEquals(List.of("tf"), manager.transparentChain("tw", "p1", false));
            assertEquals(1, tcFilters(B), "taken over, not attached twice");
            assertEquals(Integer.toString(contexts.get("tn").dataplane().program("pcn_entry").id()), tcProgramId(B));
            assertEquals(List.of("p1=UP", "p2=UP"), statuses("tw"));
            manager.close();
            startManager(new PortSwapType("portswap"), new PassThruType());
        }
    }

    /** A transparent cube left by an earlier daemon that nothing claims is swept: its port runs pcn_link again. */
    @Test
    void anUnclaimedTransparentCubeIsSweptAndItsPortLinkedDirectly() throws Exception {
        create(instance("tv", "TC", "p1", A, "p2", C));
        createTransparent(transparent("tg", "TC", "tv:p1", "INGRESS", "last"));
        int slot = InstancePins.of(PINS, "tg").slot("tc").orElseThrow();
        manager.release();
        startManager(new PortSwapType("portswap"));
        create(instance("tv", "TC", "p1", A, "p2", C));
        manager.sweepLeftoversAfter(java.time.Duration.ofMillis(100));
        long deadline = System.currentTimeMillis() + 10_000;
        while (!InstancePins.pinned(PINS).equals(List.of("tv")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of("tv"), InstancePins.pinned(PINS));
        String link0 = Integer.toString(contexts.get("tv").dataplane().program("pcn_link_0").id());
        while (!link0.equals(tcProgramId(A)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(link0, tcProgramId(A), "no transparent cube: the port's own program");
        assertEquals(-1, panelEntry(slot), "the swept cube's slot is empty");
    }

    /** The program id in slot {@code slot} of the pinned TC panel, -1 if empty. */
    private static int panelEntry(int slot) throws Exception {
        try (io.polycube.dataplane.api.PinnedProgArray panel = io.polycube.dataplane.api.PinnedProgArray.open(
                PINS.resolve("tc").resolve(DataplaneLayout.MAP_PATCH))) {
            return panel.map().lookup(new byte[] {(byte) slot, (byte) (slot >> 8), 0, 0})
                .map(v -> java.nio.ByteBuffer.wrap(v).order(java.nio.ByteOrder.nativeOrder()).getInt()).orElse(-1);
        }
    }

    /**
     * µCube code reloaded at runtime (MASTER, an ingress and an egress SLAVE) is kept beside the configuration and
     * runs again after a take-over (the same instructions: the kernel's program tag), not the bundle's; deleting
     * the instance deletes it.
     */
    @Test
    void reloadedCodeRunsAgainAfterATakeOverAndGoesWithTheInstance() throws Exception {
        Path store = java.nio.file.Files.createTempDirectory(PREFIX + "-ucubes");
        try {
            manager.keepReloadedCode(new UcubeStore(store));
            ConfigNode config = instance("k3", "TC", "p1", A, "p2", C);
            create(config);
            String bundled = tag(tcProgramId(A));
            manager.reload("k3", 0, new DataplaneCode.Source(SWAP_SOURCE));
            manager.reload("k3", 1, new DataplaneCode.Source(SWAP_SOURCE));
            manager.reload("k3", 65, new DataplaneCode.Source(SWAP_SOURCE.replace("reloaded code", "egress code")));
            String master = tag(tcProgramId(A));
            assertFalse(bundled.equals(master));
            String ingress = tag(slaveId("k3", "pcn_ingress_progs", 1));
            String egress = tag(slaveId("k3", "pcn_egress_progs", 1));

            manager.release();
            manager = new InstanceManager(PINS);
            manager.keepReloadedCode(new UcubeStore(store));
            manager.addType(new PortSwapType("portswap"));
            create(config);
            assertEquals(master, tag(tcProgramId(A)), "the reloaded MASTER, not the bundle's");
            assertEquals(ingress, tag(slaveId("k3", "pcn_ingress_progs", 1)));
            assertEquals(egress, tag(slaveId("k3", "pcn_egress_progs", 1)));
            assertEquals(List.of("p1=UP", "p2=UP"), statuses("k3"));

            manager.apply(List.of(new InstanceChange("portswap", "k3", Optional.of(config), Optional.empty())));
            assertFalse(java.nio.file.Files.exists(store.resolve("k3")), "deleted with the instance");
            create(config);
            assertEquals(bundled, tag(tcProgramId(A)), "created again: the bundle's code");
        } finally {
            Sh.tryRun("rm", "-rf", store.toString());
        }
    }

    private String slaveId(String instance, String array, int slot) throws Exception {
        byte[] id = contexts.get(instance).dataplane().progArray(array).lookup(new byte[] {(byte) slot, 0, 0, 0})
            .orElseThrow();
        return Integer.toString(java.nio.ByteBuffer.wrap(id).order(java.nio.ByteOrder.nativeOrder()).getInt());
    }

    /** The kernel's tag (a hash of the instructions) of program {@code id}. */
    private static String tag(String id) {
        var m = java.util.regex.Pattern.compile("\"tag\":\"([0-9a-f]+)\"").matcher(Sh.run("bpftool", "-j", "prog", "show",
            "id", id));
        assertTrue(m.find(), "program " + id);
        return m.group(1);
    }

    /**
     * A clearing stop while the replay has not taken everything over yet (a stop right after the start): what is
     * still pinned goes too (checked by the test's own teardown: nothing attached, nothing pinned), and a change
     * arriving after the stop is refused.
     */
    @Test
    void aClearingStopAlsoRemovesWhatIsNotTakenOverYet() throws Exception {
        ConfigNode config = leftForwarding("k4");
        manager.close();
        assertFalse(tcAttached(A));
        CubeException late = assertThrows(CubeException.class, () -> create(config));
        assertTrue(late.getMessage().contains("stopping"), late.getMessage());
        manager = new InstanceManager(PINS);
    }

    /**
     * Two transparent cubes on a free netdev come back in the other order (their types register one by one): the
     * one now first adopts the attachment the other left, one replace, never a second program on the device.
     */
    @Test
    void transparentCubesOnANetdevComeBackInAnotherOrder() throws Exception {
        for (String hook : List.of("TC", "XDP_SKB")) {
            ConfigNode first = transparent("ta", hook, B, "INGRESS", "last");
            ConfigNode second = transparent("tb", hook, B, "INGRESS", "last");
            createTransparent(first);
            createTransparent(second);
            String held = onB(hook);
            manager.release();
            startManager(new PassThruType());
            createTransparent(second);
            assertEquals(held, onB(hook), hook + ": ta not back yet, its program stays on B");
            createTransparent(first);
            assertEquals(List.of("tb", "ta"), manager.transparentChain("", B, false));
            assertEquals(Integer.toString(contexts.get("tb").dataplane().program("pcn_entry").id()), onB(hook),
                hook + ": the first one's program, by one replace");
            if (hook.equals("TC")) {
                assertEquals(1, tcFilters(B), "not attached twice");
            }
            assertTrue(InstancePins.of(PINS, "tb").holdsLink(HookType.valueOf(hook), ifindex(B), false));
            assertFalse(InstancePins.of(PINS, "ta").holdsLink(HookType.valueOf(hook), ifindex(B), false));
            manager.close();
            assertFalse(tcAttached(B) || xdpAttached(B), "nothing left on B");
            startManager(new PortSwapType("portswap"), new PassThruType());
        }
    }

    /**
     * A portswap instance {@code name} between A and C, released (as by a stop that keeps the data plane) and a
     * new manager started with its type, which has not taken it over yet: it still forwards. Its configuration.
     */
    private ConfigNode leftForwarding(String name) throws Exception {
        ConfigNode config = instance(name, "TC", "p1", A, "p2", C);
        create(config);
        manager.release();
        startManager(new PortSwapType("portswap"));
        assertTrue(tcAttached(A), "left forwarding, not taken over yet");
        return config;
    }

    /** An instance deleted before it is taken over loses its data path at once, not at the sweep. */
    @Test
    void deletingAnInstanceNotBackYetRemovesWhatWasLeft() throws Exception {
        ConfigNode config = leftForwarding("k5");
        manager.apply(List.of(new InstanceChange("portswap", "k5", Optional.of(config), Optional.empty())));
        assertFalse(tcAttached(A), "detached");
        assertFalse(tcAttached(C));
        assertEquals(List.of(), InstancePins.pinned(PINS), "unpinned");
    }

    private String onB(String hook) {
        return hook.equals("TC") ? tcProgramId(B) : xdpProgram(B);
    }

    private static int ifindex(String dev) {
        return io.polycube.dataplane.api.Netdevs.ifindex(dev).orElseThrow();
    }
}
