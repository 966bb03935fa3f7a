package io.polycube.cube.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.TestRunResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packet fixtures through BPF_PROG_TEST_RUN on router's compiled data path (XDP and TC builds). The
 * frame enters port 0 on lo (ifindex 1); both ports' peers are lo, so a redirect is a verdict and the
 * output port is told by the framework's tx counters. Port 0: 10.0.1.1/24, port 1: 10.0.2.1/24; the
 * address maps are written by the control plane's own {@link KernelTables}.
 */
class RouterDataPathTest {
    private static final int LO = 1;
    static final byte[] MAC0 = {2, 0, 0, 0, 1, 1};
    static final byte[] MAC1 = {2, 0, 0, 0, 2, 1};
    static final byte[] HOST = {2, 0, 0, 0, 1, 9};
    private static final byte[] NH_A = {2, 0, 0, 0, 0xa, 0xa};
    private static final byte[] NH_B = {2, 0, 0, 0, 0xb, 0xb};
    private static final byte[] NH_C = {2, 0, 0, 0, 0xc, 0xc};

    private record Verdicts(int drop, int redirect) {
        static Verdicts of(String hook) {
            return hook.equals("xdp") ? new Verdicts(1, 4) : new Verdicts(2, 7);
        }
    }

    static RouterConfig config() {
        return new RouterConfig(List.of(
            new RouterConfig.Port("p0", 0, MAC0, List.of(new RouterConfig.Address(ip("10.0.1.1"), 24))),
            new RouterConfig.Port("p1", 1, MAC1, List.of(new RouterConfig.Address(ip("10.0.2.1"), 24),
                new RouterConfig.Address(ip("10.0.3.1"), 24)))), List.of(), List.of(), 1000, 64);
    }

    static BpfObject load(String hook) throws Exception {
        BpfObject object;
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/classes/bpf/router." + hook + ".o"))) {
            object = spec.load();
        }
        try {
            object.arrayMap("pcn_port_of_ifindex").set(LO, KernelTables.u32(1));
            for (int port = 0; port < 2; port++) {
                object.arrayMap("pcn_ports").set(port, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder())
                    .putShort((short) 1).putShort((short) 0).putInt(LO).array());
                if (hook.equals("xdp")) {
                    object.devMap("pcn_tx_devmap").set(port, LO);
                }
            }
            new KernelTables().apply(object, config());
            return object;
        } catch (Exception | Error e) {
            object.close();
            throw e;
        }
    }

    static int ip(String dotted) {
        return Ipv4.parse(dotted);
    }

    static void route(BpfObject object, String network, int length, String nexthop) throws Exception {
        object.map("routes").update(KernelTables.lpmKey(ip(network), length), Ipv4.bytes(ip(nexthop)));
    }

    static void neighbour(BpfObject object, String address, byte[] mac) throws Exception {
        object.map("arp_static").update(Ipv4.bytes(ip(address)), KernelTables.arpEntry(mac, 0));
    }

    /** Ethernet + IPv4 + UDP (8 bytes of payload) from 10.0.1.9 (HOST) to dst, addressed to port 0's MAC. */
    static byte[] udp(String dst, int ttl) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + 8);
        b.put(MAC0).put(HOST).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 36).putShort((short) 7).putShort((short) 0x4000)
            .put((byte) ttl).put((byte) 17).putShort((short) 0).put(Ipv4.bytes(ip("10.0.1.9"))).put(Ipv4.bytes(ip(dst)));
        b.putShort((short) 1000).putShort((short) 2000).putShort((short) 16).putShort((short) 0);
        b.put("pcn-test".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] frame = b.array();
        setIpChecksum(frame);
        return frame;
    }

    static void setIpChecksum(byte[] frame) {
        frame[24] = 0;
        frame[25] = 0;
        int c = Frames.checksum(frame, 14, 20);
        frame[24] = (byte) (c >> 8);
        frame[25] = (byte) c;
    }

    static byte[] arp(int op, byte[] sha, String spa, String tpa) {
        return ByteBuffer.allocate(42).put(op == 1 ? new byte[] {-1, -1, -1, -1, -1, -1} : MAC0).put(sha)
            .putShort((short) 0x0806).putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4)
            .putShort((short) op).put(sha).put(Ipv4.bytes(ip(spa))).put(op == 1 ? new byte[6] : MAC0)
            .put(Ipv4.bytes(ip(tpa))).array();
    }

    static long tx(BpfObject object, int port) throws Exception {
        long sum = 0;
        for (byte[] cpu : object.perCpuArrayMap("pcn_port_stats").get(0)) {
            sum += ByteBuffer.wrap(cpu, port * 48 + 16, 8).order(ByteOrder.nativeOrder()).getLong();
        }
        return sum;
    }

    static long stat(BpfObject object, int slot) throws Exception {
        long sum = 0;
        for (byte[] cpu : object.perCpuArrayMap("router_stats").get(slot)) {
            sum += ByteBuffer.wrap(cpu).order(ByteOrder.nativeOrder()).getLong();
        }
        return sum;
    }

    /** Slow-path records: {reason, md0, md1} each. */
    static List<int[]> slowPath(BpfObject object) throws Exception {
        List<int[]> records = new ArrayList<>();
        object.ringBuffer("pcn_slowpath").poll(Duration.ofMillis(200), r -> {
            r.order(ByteOrder.nativeOrder());
            r.getShort();
            int reason = r.getShort();
            r.getInt();
            r.getInt();
            records.add(new int[] {reason, r.getInt(), r.getInt()});
        });
        return records;
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void longestPrefixWinsAmongOverlappingRoutes(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            route(object, "0.0.0.0", 0, "10.0.2.9");
            route(object, "172.16.0.0", 12, "10.0.1.7");
            route(object, "172.16.5.0", 24, "10.0.2.7");
            neighbour(object, "10.0.2.9", NH_C);
            neighbour(object, "10.0.1.7", NH_A);
            neighbour(object, "10.0.2.7", NH_B);
            String[][] cases = {{"172.16.5.9", "1"}, {"172.16.9.9", "0"}, {"8.8.8.8", "1"}, {"172.32.0.1", "1"}};
            byte[][] macs = {NH_B, NH_A, NH_C, NH_C};
            for (int i = 0; i < cases.length; i++) {
                int port = Integer.parseInt(cases[i][1]);
                long before = tx(object, port);
                TestRunResult r = object.program("pcn_entry").testRun(udp(cases[i][0], 64), 1);
                assertEquals(Verdicts.of(hook).redirect(), r.retval(), cases[i][0]);
                assertArrayEquals(macs[i], Arrays.copyOfRange(r.dataOut(), 0, 6), cases[i][0] + ": next hop's MAC");
                assertArrayEquals(port == 0 ? MAC0 : MAC1, Arrays.copyOfRange(r.dataOut(), 6, 12), "output port's MAC");
                assertEquals(before + 1, tx(object, port), cases[i][0] + " leaves through port " + port);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void forwardingDecrementsTtlAndUpdatesTheChecksum(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            neighbour(object, "10.0.2.5", NH_B);
            for (int ttl : new int[] {64, 2, 255, 128}) {
                byte[] in = udp("10.0.2.5", ttl);
                byte[] out = object.program("pcn_entry").testRun(in, 1).dataOut();
                assertEquals(ttl - 1, out[22] & 0xff);
                assertEquals(0, Frames.checksum(out, 14, 20), "the IP header checksum is valid after TTL " + ttl);
                byte[] expected = in.clone();
                expected[22] = (byte) (ttl - 1);
                setIpChecksum(expected);
                System.arraycopy(NH_B, 0, expected, 0, 6);
                System.arraycopy(MAC1, 0, expected, 6, 6);
                assertArrayEquals(expected, out, "only MACs, TTL and checksum change");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void ttlOneGoesToTheSlowPathForTimeExceeded(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            neighbour(object, "10.0.2.5", NH_B);
            assertEquals(Verdicts.of(hook).drop(), object.program("pcn_entry").testRun(udp("10.0.2.5", 1), 1).retval());
            List<int[]> records = slowPath(object);
            assertEquals(1, records.size());
            assertEquals(Router.REASON_TTL_EXCEEDED, records.get(0)[0]);
            assertEquals(1, stat(object, 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void arpMissGoesToTheSlowPathWithNextHopAndPort(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            route(object, "192.168.0.0", 16, "10.0.3.77"); // next hop on port 1's secondary subnet
            assertEquals(Verdicts.of(hook).drop(), object.program("pcn_entry").testRun(udp("192.168.4.4", 64), 1).retval());
            assertEquals(Verdicts.of(hook).drop(), object.program("pcn_entry").testRun(udp("10.0.2.50", 64), 1).retval());
            List<int[]> records = slowPath(object);
            assertEquals(2, records.size());
            assertEquals(List.of(Router.REASON_ARP_MISS, ip("10.0.3.77"), 1),
                List.of(records.get(0)[0], Ipv4.fromWire(records.get(0)[1]), records.get(0)[2]));
            assertEquals(List.of(Router.REASON_ARP_MISS, ip("10.0.2.50"), 1),
                List.of(records.get(1)[0], Ipv4.fromWire(records.get(1)[1]), records.get(1)[2]));
            assertEquals(2, stat(object, 3));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void noRouteGoesToTheSlowPathForUnreachable(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            assertEquals(Verdicts.of(hook).drop(), object.program("pcn_entry").testRun(udp("9.9.9.9", 64), 1).retval());
            assertEquals(Router.REASON_NO_ROUTE, slowPath(object).get(0)[0]);
            assertEquals(1, stat(object, 2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void arpRequestForTheOwnAddressIsAnsweredAndTheSenderLearned(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            TestRunResult r = object.program("pcn_entry").testRun(arp(1, HOST, "10.0.1.9", "10.0.1.1"), 1);
            assertEquals(Verdicts.of(hook).redirect(), r.retval());
            byte[] expected = ByteBuffer.allocate(42).put(HOST).put(MAC0).putShort((short) 0x0806).putShort((short) 1)
                .putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 2).put(MAC0)
                .put(Ipv4.bytes(ip("10.0.1.1"))).put(HOST).put(Ipv4.bytes(ip("10.0.1.9"))).array();
            assertArrayEquals(expected, r.dataOut());
            assertEquals(1, tx(object, 0), "the reply leaves through the input port");
            assertArrayEquals(KernelTables.arpEntry(HOST, 0),
                object.map("arp_table").lookup(Ipv4.bytes(ip("10.0.1.9"))).orElseThrow());
            assertEquals(1, stat(object, 9));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void arpForAnotherPortsAddressOrAnOffLinkSenderIsIgnored(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            assertEquals(Verdicts.of(hook).drop(),
                object.program("pcn_entry").testRun(arp(1, HOST, "10.0.1.9", "10.0.2.1"), 1).retval());
            assertEquals(Verdicts.of(hook).redirect(),
                object.program("pcn_entry").testRun(arp(1, HOST, "10.0.2.9", "10.0.1.1"), 1).retval());
            assertTrue(object.map("arp_table").keys().isEmpty(), "nothing learned");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void arpReplyIsLearnedAndHandedToTheSlowPath(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            assertEquals(Verdicts.of(hook).drop(),
                object.program("pcn_entry").testRun(arp(2, HOST, "10.0.1.9", "10.0.1.1"), 1).retval());
            List<int[]> records = slowPath(object);
            assertEquals(List.of(Router.REASON_ARP_REPLY, ip("10.0.1.9"), 0),
                List.of(records.get(0)[0], Ipv4.fromWire(records.get(0)[1]), records.get(0)[2]));
            assertTrue(object.map("arp_table").lookup(Ipv4.bytes(ip("10.0.1.9"))).isPresent());
            // now a packet for it is forwarded (port 0 back towards the host)
            byte[] out = object.program("pcn_entry").testRun(udp("10.0.1.9", 9), 1).dataOut();
            assertArrayEquals(HOST, Arrays.copyOfRange(out, 0, 6));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void aFullArpTableStopsLearningButNotForwarding(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            var table = object.map("arp_table");
            for (int i = 0; i < table.maxEntries(); i++) {
                table.update(Ipv4.bytes(ip("10.0.2.0") + 2 + i), KernelTables.arpEntry(NH_B, 1)); // 10.0.2.2 upwards
            }
            object.program("pcn_entry").testRun(arp(2, HOST, "10.0.1.9", "10.0.1.1"), 1);
            List<int[]> records = slowPath(object);
            assertEquals(1, records.get(0)[2], "the reply tells the slow path the table was full");
            assertEquals(1, stat(object, 0), "arp-learn-full counted");
            TestRunResult r = object.program("pcn_entry").testRun(udp("10.0.2.5", 64), 1);
            assertEquals(Verdicts.of(hook).redirect(), r.retval(), "known neighbours are still forwarded to");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void echoRequestToAnOwnAddressIsAnswered(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            for (String own : new String[] {"10.0.1.1", "10.0.3.1"}) {
                byte[] in = echoRequest(own, 17);
                TestRunResult r = object.program("pcn_entry").testRun(in, 1);
                assertEquals(Verdicts.of(hook).redirect(), r.retval());
                byte[] out = r.dataOut();
                assertArrayEquals(HOST, Arrays.copyOfRange(out, 0, 6));
                assertArrayEquals(MAC0, Arrays.copyOfRange(out, 6, 12));
                assertEquals(64, out[22] & 0xff);
                assertEquals(ip(own), Ipv4.of(out, 26));
                assertEquals(ip("10.0.1.9"), Ipv4.of(out, 30));
                assertEquals(0, out[34], "echo reply");
                assertEquals(0, Frames.checksum(out, 14, 20), "IP checksum");
                assertEquals(0, Frames.checksum(out, 34, out.length - 34), "ICMP checksum");
                assertArrayEquals(Arrays.copyOfRange(in, 38, in.length), Arrays.copyOfRange(out, 38, out.length),
                    "id, sequence and data unchanged");
            }
            assertEquals(2, stat(object, 8));
            assertEquals(Verdicts.of(hook).drop(), object.program("pcn_entry").testRun(udp("10.0.1.1", 64), 1).retval(),
                "UDP to the router is dropped");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void framesNotAddressedToThePortsMacAreDropped(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            neighbour(object, "10.0.2.5", NH_B);
            byte[] frame = udp("10.0.2.5", 64);
            frame[5] = 0x77;
            assertEquals(Verdicts.of(hook).drop(), object.program("pcn_entry").testRun(frame, 1).retval());
        }
    }

    static byte[] echoRequest(String dst, int ttl) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + 16);
        b.put(MAC0).put(HOST).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 44).putShort((short) 9).putShort((short) 0)
            .put((byte) ttl).put((byte) 1).putShort((short) 0).put(Ipv4.bytes(ip("10.0.1.9"))).put(Ipv4.bytes(ip(dst)));
        b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) 0x1234).putShort((short) 1);
        b.put("0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] frame = b.array();
        setIpChecksum(frame);
        int c = Frames.checksum(frame, 34, frame.length - 34);
        frame[36] = (byte) (c >> 8);
        frame[37] = (byte) c;
        return frame;
    }
}
