package io.polycube.cube.simplebridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packet fixtures (BPF_PROG_TEST_RUN) for simplebridge, XDP and TC builds. Frames enter on the loopback
 * device (ifindex 1, where test packets arrive) = port 0. Ports 1 and 2 have the netdev lo as peer (any
 * device gives a redirect verdict; TC clones really go to lo, so frames carry an ethertype no protocol
 * takes); port 3, where a test says so, has a cube as peer. Flooding and forwarding are told apart by
 * the per-port tx counters, the {@code flooded} counter and the slow-path records.
 */
class SimpleBridgeDataPathTest {
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

    private static byte[] frame(byte[] dst, byte[] src) {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.put(dst).put(src).putShort((short) 0x88b6); // IEEE local experimental 2: nothing on lo takes it
        return b.array();
    }

    /** Loaded with ports 0..2 on lo, the aging time 300 s; port 3 a cube peer if {@code cubePort}. */
    private static BpfObject load(String hook, boolean cubePort) throws Exception {
        BpfObject object;
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/classes/bpf/simplebridge." + hook + ".o"))) {
            object = spec.load();
        }
        try {
            object.arrayMap("pcn_port_of_ifindex").set(LO, u32(1));
            for (int p = 0; p < 3; p++) {
                object.arrayMap("pcn_ports").set(p, port(1, 0, LO));
                if (xdp(hook)) {
                    object.devMap("pcn_tx_devmap").set(p, LO);
                }
            }
            if (cubePort) {
                object.arrayMap("pcn_ports").set(3, port(2, 0, 0)); // PCN_PEER_CUBE, slot 0: never a program
            }
            object.arrayMap("bridge_config").set(0, Fdb.config(AGING, 4));
            return object;
        } catch (Exception | Error e) {
            object.close();
            throw e;
        }
    }

    private static int run(BpfObject object, byte[] frame) throws Exception {
        return object.program("pcn_entry").testRun(frame, 1).retval();
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void theSourceIsLearnedOnTheInputPort(String hook) throws Exception {
        try (BpfObject object = load(hook, false)) {
            long before = System.nanoTime();
            run(object, frame(BROADCAST, HOST_A));
            byte[] entry = object.hashMap("fdb").lookup(HOST_A).orElseThrow();
            ByteBuffer b = ByteBuffer.wrap(entry).order(ByteOrder.nativeOrder());
            assertEquals(0, b.getInt(0), "port");
            assertTrue(b.getLong(8) >= before && b.getLong(8) <= System.nanoTime(), "last_seen is CLOCK_MONOTONIC now");
            assertEquals(1, object.hashMap("fdb").keys().size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void aKnownDestinationGoesOutOfItsPortOnly(String hook) throws Exception {
        try (BpfObject object = load(hook, false)) {
            object.hashMap("fdb").update(HOST_B, Fdb.entry(2, System.nanoTime()));
            assertEquals(redirect(hook), run(object, frame(HOST_B, HOST_A)));
            assertEquals(0, tx(object, 1));
            assertEquals(1, tx(object, 2));
            assertEquals(0, flooded(object));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void aDestinationOnTheInputPortIsDropped(String hook) throws Exception {
        try (BpfObject object = load(hook, false)) {
            object.hashMap("fdb").update(HOST_B, Fdb.entry(0, System.nanoTime()));
            assertEquals(drop(hook), run(object, frame(HOST_B, HOST_A)));
            assertEquals(0, tx(object, 0) + tx(object, 1) + tx(object, 2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void broadcastAndUnknownAreFloodedToEveryOtherPort(String hook) throws Exception {
        try (BpfObject object = load(hook, false)) {
            assertEquals(redirect(hook), run(object, frame(BROADCAST, HOST_A)));
            assertEquals(redirect(hook), run(object, frame(HOST_B, HOST_A)));
            assertEquals(redirect(hook), run(object, frame(new byte[] {1, 0, 0x5e, 0, 0, 1}, HOST_A)));
            assertEquals(List.of(0L, 3L, 3L), List.of(tx(object, 0), tx(object, 1), tx(object, 2)), "never the input port");
            assertEquals(3, flooded(object));
            assertTrue(slowPath(object).isEmpty(), "no cube port: no slow-path copy");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void anAgedEntryIsFloodedAndTheSweepRemovesIt(String hook) throws Exception {
        try (BpfObject object = load(hook, false)) {
            long now = System.nanoTime();
            object.hashMap("fdb").update(HOST_B, Fdb.entry(2, now - AGING - 1_000_000_000L));
            run(object, frame(HOST_B, HOST_A));
            assertEquals(1, flooded(object), "aged: not used");
            assertEquals(1, tx(object, 1));

            object.arrayMap("bridge_config").set(0, Fdb.config(AGING * 2, 4)); // a longer aging time, at runtime
            run(object, frame(HOST_B, HOST_A));
            assertEquals(1, flooded(object), "young again under the new aging time");

            int removed = new Fdb(object).removeIf((mac, port, seen) -> System.nanoTime() - seen > AGING);
            assertEquals(1, removed);
            assertEquals(List.of(HOST_A.length), object.hashMap("fdb").keys().stream().map(k -> k.length).toList());
            assertArrayEquals(HOST_A, object.hashMap("fdb").keys().get(0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void aStaticEntryForwardsAndIsNeverLearned(String hook) throws Exception {
        try (BpfObject object = load(hook, false)) {
            object.hashMap("static_fdb").update(HOST_B, u32(1));
            object.hashMap("static_fdb").update(HOST_A, u32(2));
            assertEquals(redirect(hook), run(object, frame(HOST_B, HOST_A)));
            assertEquals(List.of(1L, 0L), List.of(tx(object, 1), tx(object, 2)));
            assertTrue(object.hashMap("fdb").keys().isEmpty(), "HOST_A is static: not learned");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void aFullFdbStopsLearningNotForwarding(String hook) throws Exception {
        try (BpfObject object = load(hook, false)) {
            var fdb = object.hashMap("fdb");
            long now = System.nanoTime();
            for (int i = 0; i < fdb.maxEntries(); i++) {
                fdb.update(new byte[] {2, 1, 0, 0, (byte) (i >> 8), (byte) i}, Fdb.entry(i == 0 ? 2 : 1, now));
            }
            byte[] known = {2, 1, 0, 0, 0, 0};
            assertEquals(redirect(hook), run(object, frame(known, HOST_A)));
            assertEquals(1, tx(object, 2), "still forwarded");
            assertTrue(fdb.lookup(HOST_A).isEmpty());
            assertEquals(1, statistic(object, 0), "learn-refused counted");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void cubePortsGetFloodsTooThroughTheSlowPathWhenTheKernelCannot(String hook) throws Exception {
        try (BpfObject object = load(hook, true)) {
            object.arrayMap("pcn_ports").set(2, port(2, 0, 0)); // two cube ports: 2 and 3
            int verdict = run(object, frame(BROADCAST, HOST_A));
            List<int[]> records = slowPath(object);
            assertEquals(1, records.size(), "one copy for the cube ports");
            assertEquals(0, records.get(0)[0], "input port");
            assertEquals(SimpleBridge.REASON_FLOOD, records.get(0)[1]);
            if (xdp(hook)) {
                // netdev port 1 takes the original by devmap broadcast; both cube ports get it from Java
                assertEquals(redirect(hook), verdict);
                assertEquals(SimpleBridge.FLOOD_NONE, records.get(0)[2]);
            } else {
                // port 1 gets a clone, port 2 the original by tail call (no program in this fixture: a drop), 3 from Java
                assertEquals(2, records.get(0)[2], "served in the kernel");
                assertEquals(1, tx(object, 1));
            }
        }
    }

    /** Slow-path records: {in_port, reason, md[0], md[1]}. */
    private static List<int[]> slowPath(BpfObject object) throws Exception {
        List<int[]> records = new ArrayList<>();
        object.ringBuffer("pcn_slowpath").poll(Duration.ofMillis(200), r -> {
            int in = r.getShort() & 0xffff;
            int reason = r.getShort() & 0xffff;
            r.getInt();
            r.getInt();
            records.add(new int[] {in, reason, r.getInt(), r.getInt()});
        });
        return records;
    }

    private static long tx(BpfObject object, int port) throws Exception {
        long sum = 0;
        for (byte[] cpu : object.perCpuArrayMap("pcn_port_stats").get(0)) {
            sum += ByteBuffer.wrap(cpu).order(ByteOrder.nativeOrder()).getLong(port * 48 + 16);
        }
        return sum;
    }

    private static long flooded(BpfObject object) throws Exception {
        return statistic(object, 1);
    }

    /** struct bridge_stats field {@code field} (0 learn_refused, 1 flooded), summed over CPUs. */
    private static long statistic(BpfObject object, int field) throws Exception {
        long sum = 0;
        for (byte[] cpu : object.perCpuArrayMap("bridge_stats").get(0)) {
            sum += ByteBuffer.wrap(cpu).order(ByteOrder.nativeOrder()).getLong(field * 8);
        }
        return sum;
    }

    static byte[] port(int kind, int peerPort, int target) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putShort((short) kind).putShort((short) peerPort)
            .putInt(target).array();
    }

    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }
}
