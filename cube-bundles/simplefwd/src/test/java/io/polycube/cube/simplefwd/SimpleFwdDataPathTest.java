package io.polycube.cube.simplefwd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polycube.cube.simplefwd.SimpleFwd.Action;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.TestRunResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packet fixtures through BPF_PROG_TEST_RUN: a frame enters simplefwd's compiled data path on the
 * loopback device (ifindex 1, where the kernel runs test packets) and the verdict, the output frame
 * and the slow-path record are checked. Runs the XDP and the TC build.
 */
class SimpleFwdDataPathTest {
    private static final int LO = 1;
    private static final int XDP_DROP = 1;
    private static final int XDP_PASS = 2;
    private static final int XDP_REDIRECT = 4;
    private static final int TC_ACT_OK = 0;
    private static final int TC_ACT_SHOT = 2;
    private static final int TC_ACT_REDIRECT = 7;

    private static final byte[] FRAME = udpFrame();

    private record Verdicts(int pass, int drop, int redirect) {
        static Verdicts of(String hook) {
            return hook.equals("xdp") ? new Verdicts(XDP_PASS, XDP_DROP, XDP_REDIRECT)
                : new Verdicts(TC_ACT_OK, TC_ACT_SHOT, TC_ACT_REDIRECT);
        }
    }

    private static BpfObject load(String hook) throws Exception {
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/classes/bpf/simplefwd." + hook + ".o"))) {
            return spec.load();
        }
    }

    /** Loaded, port 0 receiving on lo, port 1's peer lo too (any existing device will do for a redirect verdict). */
    private static BpfObject loadWired(String hook) throws Exception {
        BpfObject object = load(hook);
        try {
            object.arrayMap("pcn_port_of_ifindex").set(LO, u32(1));
            object.arrayMap("pcn_ports").set(1, port(1, 0, LO));
            if (hook.equals("xdp")) {
                object.devMap("pcn_tx_devmap").set(1, LO);
            }
            return object;
        } catch (Exception | Error e) {
            object.close();
            throw e;
        }
    }

    /** The entry program's verdict for FRAME arriving on lo. */
    private static int entryVerdict(BpfObject object) throws Exception {
        return object.program("pcn_entry").testRun(FRAME, 1).retval();
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void unknownInputDeviceIsPassedToTheStack(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            TestRunResult result = object.program("pcn_entry").testRun(FRAME, 1);
            assertEquals(Verdicts.of(hook).pass(), result.retval());
            assertArrayEquals(FRAME, result.dataOut());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void noActionMeansDrop(String hook) throws Exception {
        try (BpfObject object = loadWired(hook)) {
            assertEquals(Verdicts.of(hook).drop(), entryVerdict(object));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void forwardRedirectsTheUnchangedFrame(String hook) throws Exception {
        try (BpfObject object = loadWired(hook)) {
            object.arrayMap("actions").set(0, SimpleFwd.encode(Action.FORWARD, 1));
            TestRunResult result = object.program("pcn_entry").testRun(FRAME, 1);
            assertEquals(Verdicts.of(hook).redirect(), result.retval());
            assertArrayEquals(FRAME, result.dataOut());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void forwardToAPortWithoutPeerDrops(String hook) throws Exception {
        try (BpfObject object = loadWired(hook)) {
            object.arrayMap("actions").set(0, SimpleFwd.encode(Action.FORWARD, 5));
            assertEquals(Verdicts.of(hook).drop(), entryVerdict(object));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void explicitDropDrops(String hook) throws Exception {
        try (BpfObject object = loadWired(hook)) {
            object.arrayMap("actions").set(0, SimpleFwd.encode(Action.DROP, 1));
            assertEquals(Verdicts.of(hook).drop(), entryVerdict(object));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void slowPathDeliversACopyWithMetadata(String hook) throws Exception {
        try (BpfObject object = loadWired(hook)) {
            object.arrayMap("actions").set(0, SimpleFwd.encode(Action.SLOWPATH, 0));
            assertEquals(Verdicts.of(hook).drop(), object.program("pcn_entry").testRun(FRAME, 3).retval());
            List<byte[]> packets = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            object.ringBuffer("pcn_slowpath").poll(Duration.ofSeconds(1), record -> {
                ports.add(record.getShort() & 0xffff);
                record.getShort(); // reason
                int wireLen = record.getInt();
                int captured = record.getInt();
                record.position(record.position() + 12); // md[3]
                assertEquals(FRAME.length, wireLen);
                byte[] bytes = new byte[captured];
                record.get(bytes);
                packets.add(bytes);
            });
            assertEquals(List.of(0, 0, 0), ports);
            for (byte[] packet : packets) {
                assertArrayEquals(FRAME, packet);
            }
        }
    }

    /** struct pcn_port { __u16 peer_kind; __u16 peer_port; __u32 target; } */
    static byte[] port(int kind, int peerPort, int target) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putShort((short) kind).putShort((short) peerPort)
            .putInt(target).array();
    }

    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    /** Ethernet + IPv4 + UDP, 10.0.0.1:1000 -> 10.0.0.2:2000, 8 bytes of payload. */
    static byte[] udpFrame() {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + 8);
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 36).putShort((short) 1).putShort((short) 0)
            .put((byte) 64).put((byte) 17).putShort((short) 0)
            .put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        b.putShort((short) 1000).putShort((short) 2000).putShort((short) 16).putShort((short) 0);
        b.put("pcn-test".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return b.array();
    }

    /** rx/tx/drop packets and bytes of a port, summed over CPUs (struct pcn_port_stats). */
    static long[] stats(BpfObject object, int port) throws Exception {
        long[] sum = new long[6];
        for (byte[] cpu : object.perCpuArrayMap("pcn_port_stats").get(0)) {
            ByteBuffer b = ByteBuffer.wrap(cpu, port * 48, 48).order(ByteOrder.nativeOrder());
            for (int i = 0; i < 6; i++) {
                sum[i] += b.getLong();
            }
        }
        return sum;
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void theFrameworkCountsPerPort(String hook) throws Exception {
        try (BpfObject object = loadWired(hook)) {
            object.arrayMap("actions").set(0, SimpleFwd.encode(Action.FORWARD, 1));
            object.program("pcn_entry").testRun(FRAME, 3);
            long n = FRAME.length;
            assertArrayEquals(new long[] {3, 3 * n, 0, 0, 0, 0}, stats(object, 0));
            assertArrayEquals(new long[] {0, 0, 3, 3 * n, 0, 0}, stats(object, 1));

            object.arrayMap("actions").set(0, SimpleFwd.encode(Action.DROP, 0));
            object.program("pcn_entry").testRun(FRAME, 2);
            assertArrayEquals(new long[] {5, 5 * n, 0, 0, 2, 2 * n}, stats(object, 0));

            object.arrayMap("actions").set(0, SimpleFwd.encode(Action.SLOWPATH, 0));
            object.program("pcn_entry").testRun(FRAME, 1);
            assertArrayEquals(new long[] {6, 6 * n, 0, 0, 2, 2 * n}, stats(object, 0), "the slow path is not a drop");
        }
    }
}
