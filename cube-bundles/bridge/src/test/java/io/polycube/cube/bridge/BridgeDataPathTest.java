package io.polycube.cube.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.spi.ConfigNode;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.TestRunResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packet fixtures (BPF_PROG_TEST_RUN) for bridge, XDP and TC builds. Ports 0..3 all have the netdev lo
 * (ifindex 1, where test packets arrive) as peer; {@link #enterOn} says which port lo's frames enter on.
 * Port 0: TRUNK of VLANs 10 and 20 without native VLAN; port 1: ACCESS 10; port 2: ACCESS 20; port 3:
 * TRUNK of 10 and 20, native 10. Where frames go is told by the per-port tx counters, the frame that
 * comes out (XDP; in TC a pushed tag is out of band, skb->vlan_tci, and only a pop shows) and the counters.
 */
class BridgeDataPathTest {
    private static final int LO = 1;
    private static final byte[] HOST_A = {2, 0, 0, 0, 0, 0xa};
    private static final byte[] HOST_B = {2, 0, 0, 0, 0, 0xb};
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    private static final long AGING = TimeUnit.SECONDS.toNanos(300);

    private static boolean xdp(String hook) {
        return hook.equals("xdp");
    }

    private static int drop(String hook) {
        return xdp(hook) ? 1 : 2;
    }

    private static int redirect(String hook) {
        return xdp(hook) ? 4 : 7;
    }

    static ConfigNode port(String name, String mode, String vlan, List<String> allowed, String nativeVlan) {
        Map<String, String> leaves = new java.util.HashMap<>(Map.of("name", name, "mode", mode, "vlan", vlan));
        if (nativeVlan != null) {
            leaves.put("native-vlan", nativeVlan);
        }
        return ConfigNode.of(leaves, Map.of("allowed-vlans", allowed), Map.of(), Map.of());
    }

    private static final List<ConfigNode> PORTS = List.of(
        port("t0", "TRUNK", "1", List.of("10", "20"), null),
        port("a1", "ACCESS", "10", List.of(), null),
        port("a2", "ACCESS", "20", List.of(), null),
        port("t3", "TRUNK", "1", List.of("10", "20"), "10"));

    /** An untagged frame (ethertype IEEE local experimental 2: nothing on lo takes it). */
    static byte[] frame(byte[] dst, byte[] src) {
        return ByteBuffer.allocate(60).put(dst).put(src).putShort((short) 0x88b6).array();
    }

    static byte[] tagged(byte[] dst, byte[] src, int vlan) {
        return ByteBuffer.allocate(64).put(dst).put(src).putShort((short) 0x8100).putShort((short) vlan)
            .putShort((short) 0x88b6).array();
    }

    private static BpfObject load(String hook) throws Exception {
        BpfObject object;
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/classes/bpf/bridge." + hook + ".o"))) {
            object = spec.load();
        }
        try {
            enterOn(object, 0);
            for (int p = 0; p < PORTS.size(); p++) {
                object.arrayMap("pcn_ports").set(p, pcnPort(1, 0, LO));
                object.arrayMap("vlan_ports").set(p, VlanPort.of(PORTS.get(p)).bytes());
                if (xdp(hook)) {
                    object.devMap("pcn_tx_devmap").set(p, LO);
                }
            }
            if (xdp(hook)) {
                Bridge.writeFloodDevmap(object, Map.of(0, LO, 1, LO, 2, LO, 3, LO));
            }
            object.arrayMap("bridge_config").set(0, Fdb.config(AGING, PORTS.size()));
            return object;
        } catch (Exception | Error e) {
            object.close();
            throw e;
        }
    }

    /** Frames from lo enter on {@code port}. */
    private static void enterOn(BpfObject object, int port) throws Exception {
        object.arrayMap("pcn_port_of_ifindex").set(LO, u32(port + 1));
    }

    private static TestRunResult run(BpfObject object, byte[] frame) throws Exception {
        return object.program("pcn_entry").testRun(frame, 1);
    }

    private static void known(BpfObject object, int vlan, byte[] mac, int port) throws Exception {
        object.hashMap("fdb").update(Fdb.key(vlan, mac), Fdb.entry(port, System.nanoTime()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void learningIsPerVlan(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            run(object, tagged(BROADCAST, HOST_A, 10));
            run(object, tagged(BROADCAST, HOST_A, 20));
            enterOn(object, 3);
            run(object, frame(BROADCAST, HOST_B)); // untagged on t3: its native VLAN 10
            var fdb = object.hashMap("fdb");
            assertEquals(3, fdb.keys().size(), "the same address in two VLANs: two entries");
            assertEquals(0, port(fdb.lookup(Fdb.key(10, HOST_A)).orElseThrow()));
            assertEquals(0, port(fdb.lookup(Fdb.key(20, HOST_A)).orElseThrow()));
            assertEquals(3, port(fdb.lookup(Fdb.key(10, HOST_B)).orElseThrow()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void floodsReachOnlyTheMembersOfTheVlan(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            assertEquals(redirect(hook), run(object, tagged(BROADCAST, HOST_A, 10)).retval());
            assertEquals(List.of(0L, 1L, 0L, 1L), txAll(object), "VLAN 10: a1 and t3, never the input port");
            assertEquals(redirect(hook), run(object, tagged(HOST_B, HOST_A, 20)).retval()); // unknown unicast
            assertEquals(List.of(0L, 1L, 1L, 2L), txAll(object), "VLAN 20: a2 and t3");
            assertEquals(2, statistic(object, 1), "flooded");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void anXdpFloodLeavesTaggedForTheEgressProgramToUntag(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            enterOn(object, 1);
            TestRunResult r = run(object, frame(BROADCAST, HOST_A));
            assertEquals(redirect(hook), r.retval());
            assertEquals(List.of(1L, 0L, 0L, 1L), txAll(object), "VLAN 10 of access port a1: t0 and t3");
            if (xdp(hook)) {
                assertArrayEquals(tagged(BROADCAST, HOST_A, 10), r.dataOut(), "one broadcast, tagged");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void aTagIsPushedOnTrunkEgress(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            known(object, 10, HOST_B, 0);
            enterOn(object, 1);
            TestRunResult r = run(object, frame(HOST_B, HOST_A));
            assertEquals(redirect(hook), r.retval());
            assertEquals(List.of(1L, 0L, 0L, 0L), txAll(object));
            if (xdp(hook)) {
                assertArrayEquals(tagged(HOST_B, HOST_A, 10), r.dataOut());
            }
            assertEquals(0, statistic(object, 1), "known: not flooded");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void theTagIsPoppedOnAccessAndNativeEgress(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            known(object, 10, HOST_B, 1);
            TestRunResult r = run(object, tagged(HOST_B, HOST_A, 10));
            assertEquals(redirect(hook), r.retval());
            assertArrayEquals(frame(HOST_B, HOST_A), java.util.Arrays.copyOf(r.dataOut(), 60), "untagged to a1");
            known(object, 10, HOST_B, 3);
            r = run(object, tagged(HOST_B, HOST_A, 10));
            assertArrayEquals(frame(HOST_B, HOST_A), java.util.Arrays.copyOf(r.dataOut(), 60), "untagged: t3's native VLAN");
            assertEquals(List.of(0L, 1L, 0L, 1L), txAll(object));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void vlansAreIsolated(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            known(object, 20, HOST_B, 2); // HOST_B is known in VLAN 20 only
            assertEquals(redirect(hook), run(object, tagged(HOST_B, HOST_A, 10)).retval());
            assertEquals(List.of(0L, 1L, 0L, 1L), txAll(object), "unknown in VLAN 10: flooded there, never to a2");
            known(object, 10, HOST_B, 2); // a stale entry on a port outside the VLAN is not used
            run(object, tagged(HOST_B, HOST_A, 10));
            assertEquals(0, tx(object, 2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void framesOfAVlanTheInputPortDoesNotAllowAreDroppedAndCounted(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            assertEquals(drop(hook), run(object, tagged(BROADCAST, HOST_A, 30)).retval(), "30 not allowed on t0");
            assertEquals(drop(hook), run(object, frame(BROADCAST, HOST_A)).retval(), "untagged on t0: no native VLAN");
            enterOn(object, 1);
            assertEquals(drop(hook), run(object, tagged(BROADCAST, HOST_A, 10)).retval(), "tagged on an access port");
            assertEquals(3, statistic(object, 2), "vlan-dropped");
            assertEquals(List.of(0L, 0L, 0L, 0L), txAll(object));
            assertTrue(object.hashMap("fdb").keys().isEmpty(), "nothing learned from them");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void aStaticEntryForwardsAndIsNeverLearnedOver(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            object.hashMap("static_fdb").update(Fdb.key(20, HOST_B), u32(2));
            object.hashMap("static_fdb").update(Fdb.key(20, HOST_A), u32(3));
            assertEquals(redirect(hook), run(object, tagged(HOST_B, HOST_A, 20)).retval());
            assertEquals(List.of(0L, 0L, 1L, 0L), txAll(object));
            assertTrue(object.hashMap("fdb").keys().isEmpty(), "(20, HOST_A) is static: not learned");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void aFullFdbStopsLearningNotForwarding(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            var fdb = object.hashMap("fdb");
            long now = System.nanoTime();
            for (int i = 0; i < fdb.maxEntries(); i++) {
                fdb.update(Fdb.key(10, new byte[] {2, 1, 0, 0, (byte) (i >> 8), (byte) i}), Fdb.entry(1, now));
            }
            assertEquals(redirect(hook), run(object, tagged(new byte[] {2, 1, 0, 0, 0, 0}, HOST_A, 10)).retval());
            assertEquals(1, tx(object, 1), "still forwarded");
            assertTrue(fdb.lookup(Fdb.key(10, HOST_A)).isEmpty());
            assertEquals(1, statistic(object, 0), "learn-refused counted");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void aCubePeerOfTheVlanGetsTheFloodByTailCallOrSlowPathCopy(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            object.arrayMap("pcn_ports").set(3, pcnPort(2, 0, 0)); // t3's peer: a cube (slot 0: never a program)
            enterOn(object, 1);
            run(object, frame(BROADCAST, HOST_A));
            assertEquals(1, tx(object, 0), "netdev member t0");
            List<int[]> records = slowPath(object);
            if (xdp(hook)) {
                // the broadcast takes the original: the cube port's copy comes from Java, tagged per md[2]
                assertEquals(1, records.size());
                assertEquals(Bridge.REASON_FLOOD, records.get(0)[1]);
                assertEquals(10, records.get(0)[4], "the VLAN travels in md[2]");
            } else {
                assertTrue(records.isEmpty(), "TC: t0 took a clone, the one cube port the original by tail call");
            }
        }
    }

    /** Slow-path records: {in_port, reason, md[0], md[1], md[2]}. */
    private static List<int[]> slowPath(BpfObject object) throws Exception {
        List<int[]> records = new java.util.ArrayList<>();
        object.ringBuffer("pcn_slowpath").poll(java.time.Duration.ofMillis(200), r -> {
            int in = r.getShort() & 0xffff;
            int reason = r.getShort() & 0xffff;
            r.getInt();
            r.getInt();
            records.add(new int[] {in, reason, r.getInt(), r.getInt(), r.getInt()});
        });
        return records;
    }

    private static int port(byte[] entry) {
        return ByteBuffer.wrap(entry).order(ByteOrder.nativeOrder()).getInt(0);
    }

    private static List<Long> txAll(BpfObject object) throws Exception {
        return List.of(tx(object, 0), tx(object, 1), tx(object, 2), tx(object, 3));
    }

    private static long tx(BpfObject object, int port) throws Exception {
        long sum = 0;
        for (byte[] cpu : object.perCpuArrayMap("pcn_port_stats").get(0)) {
            sum += ByteBuffer.wrap(cpu).order(ByteOrder.nativeOrder()).getLong(port * 48 + 16);
        }
        return sum;
    }

    /** struct bridge_stats field {@code field} (0 learn_refused, 1 flooded, 2 vlan_dropped), summed over CPUs. */
    private static long statistic(BpfObject object, int field) throws Exception {
        long sum = 0;
        for (byte[] cpu : object.perCpuArrayMap("bridge_stats").get(0)) {
            sum += ByteBuffer.wrap(cpu).order(ByteOrder.nativeOrder()).getLong(field * 8);
        }
        return sum;
    }

    static byte[] pcnPort(int kind, int peerPort, int target) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putShort((short) kind).putShort((short) peerPort)
            .putInt(target).array();
    }

    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }
}
