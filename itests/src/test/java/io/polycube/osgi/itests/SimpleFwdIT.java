// SPDX-License-Identifier: Apache-2.0
// This file contains the end-to-end tests of simplefwd: RESTCONF over HTTP drives real packets between namespaces.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.polycube.core.api.Direction;
import io.polycube.core.api.Polycube;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * One Karaf and one topology for the class: namespaces {@code <prefix>1} (10.201.0.1) and {@code <prefix>2}
 * (10.201.0.2), each with a veth to the root namespace where the cube attaches. Without a cube the two are
 * not connected, so every packet that crosses went through the cube. Names derive from a prefix that
 * failsafe's JVM picks and passes to Karaf as a system property.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SimpleFwdIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(SimpleFwdIT.class);
    private static final String NS_A = PREFIX + "1";
    private static final String NS_B = PREFIX + "2";
    private static final String IP_A = "10.201.0.1";
    private static final String IP_B = "10.201.0.2";
    private static final String DEV_A = NS_A + "a";
    private static final String DEV_B = NS_B + "a";
    private static final String DATA = "/restconf/data";
    private static final String LIST = DATA + "/pcn-simplefwd:simplefwd";

    private static Netns a;
    private static Netns b;

    @Override
    protected Option[] additionalOptions() {
        return sharedTopology(SimpleFwdIT.class, PREFIX, "1", "2");
    }

    /** Made on first use inside Karaf and kept for the class; removed when Karaf or failsafe's JVM exits. */
    private static synchronized void topology() {
        if (a != null) {
            return;
        }
        a = Netns.named(NS_A).addAddress(IP_A + "/24");
        b = Netns.named(NS_B).addAddress(IP_B + "/24");
        // XDP_DRV redirects into a veth are dropped unless its far end has an XDP program or GRO.
        for (Netns ns : List.of(a, b)) {
            Netns.runChecked("ip", "netns", "exec", ns.name(), "ethtool", "-K", "eth0", "gro", "on");
        }
    }

    private static String instance(String name, String type, String actionA, String actionB) {
        return "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"" + name + "\",\"type\":\"" + type + "\","
                + "\"ports\":[{\"name\":\"pa\",\"peer\":\"" + DEV_A + "\"},{\"name\":\"pb\",\"peer\":\"" + DEV_B + "\"}],"
                + "\"actions\":[{\"inport\":\"pa\",\"action\":\"" + actionA + "\",\"outport\":\"pb\"},"
                + "{\"inport\":\"pb\",\"action\":\"" + actionB + "\",\"outport\":\"pa\"}]}]}";
    }

    /** A simplefwd instance with ports pa and pb (peers: netdevs or {@code cube:port}) forwarding pa <-> pb. */
    private static String cube(String name, String type, String peerA, String peerB) {
        return "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"" + name + "\",\"type\":\"" + type + "\","
                + "\"ports\":[{\"name\":\"pa\",\"peer\":\"" + peerA + "\"},{\"name\":\"pb\",\"peer\":\"" + peerB + "\"}],"
                + "\"actions\":[{\"inport\":\"pa\",\"action\":\"FORWARD\",\"outport\":\"pb\"},"
                + "{\"inport\":\"pb\",\"action\":\"FORWARD\",\"outport\":\"pa\"}]}]}";
    }

    /** A port's counter from a GET body (RFC 7951 encodes uint64 as a string). */
    private static long counter(String json, String port, String leaf) {
        var entry = java.util.regex.Pattern.compile("\\{[^{}]*\"name\":\"" + port + "\"[^{}]*\\}").matcher(json);
        assertTrue(json, entry.find());
        var value = java.util.regex.Pattern.compile("\"" + leaf + "\":\"(\\d+)\"").matcher(entry.group());
        assertTrue(entry.group(), value.find());
        return Long.parseLong(value.group(1));
    }

    private static int received(Netns from, String ip) {
        Netns.Result result = from.ping(ip, 3);
        var m = java.util.regex.Pattern.compile("(\\d+) received").matcher(result.output());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** What the kernel has attached to the two root-side veths (XDP and TC), as one comparable text. */
    private static String attached() {
        StringBuilder sb = new StringBuilder();
        for (String dev : List.of(DEV_A, DEV_B)) {
            String link = Netns.runChecked("ip", "-d", "link", "show", "dev", dev).output();
            sb.append(dev).append(" xdp=").append(link.lines().filter(l -> l.contains("prog/xdp")).map(String::trim)
                    .findFirst().orElse("none"));
            sb.append(" tc=").append(tcPrograms(dev)).append('\n');
        }
        return sb.toString();
    }

    private void assertNothingAttached() {
        String now = attached();
        assertFalse(now, now.contains("prog/xdp"));
        for (String dev : List.of(DEV_A, DEV_B)) {
            assertTrue(now, tcPrograms(dev).isEmpty());
        }
        for (String dev : List.of(DEV_A, DEV_B)) {
            String net = Netns.runChecked("bpftool", "net", "show", "dev", dev).output();
            assertFalse(net, net.contains("pcn_entry") || net.contains("id "));
        }
    }

    private void crossesBothWaysThenDropThenDelete(String type) {
        String name = "fwd-" + type.toLowerCase().replace('_', '-');
        String path = LIST + "=" + name;
        topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        assertEquals("namespaces must be disconnected without a cube", 0, received(a, IP_B));
        try {
            Http.Response created = http().put(path, instance(name, type, "FORWARD", "FORWARD"));
            assertEquals(created.body(), 201, created.status());
            String state = http().get(path).body();
            assertContains(state, "\"status\":\"UP\"");
            String link = Netns.runChecked("ip", "-d", "link", "show", "dev", DEV_A).output();
            if (type.equals("TC")) {
                assertFalse("a TC program on " + DEV_A, tcPrograms(DEV_A).isEmpty());
            } else {
                assertContains(link.lines().findFirst().orElse(""), type.equals("XDP_SKB") ? "xdpgeneric" : "xdp ");
            }

            assertEquals("A -> B through " + type, 3, received(a, IP_B));
            assertEquals("B -> A through " + type, 3, received(b, IP_A));
            String counted = http().get(path).body();
            assertTrue(counted, counter(counted, "pa", "rx-packets") >= 6);
            assertTrue(counted, counter(counted, "pb", "tx-packets") >= 6);
            assertTrue(counted, counter(counted, "pb", "rx-packets") >= 6);

            Http.Response dropped = http().patch(path + "/actions=pa",
                    "{\"pcn-simplefwd:actions\":[{\"inport\":\"pa\",\"action\":\"DROP\"}]}");
            assertEquals(dropped.body(), 204, dropped.status());
            assertEquals("DROP on pa must stop A -> B", 0, received(a, IP_B));
        } finally {
            Http.Response deleted = http().delete(path);
            assertEquals(deleted.body(), 204, deleted.status());
        }
        assertEquals(404, http().get(path).status());
        assertNothingAttached();
        assertEquals(0, received(a, IP_B));
    }

    @Test
    public void tcMode() {
        crossesBothWaysThenDropThenDelete("TC");
    }

    @Test
    public void xdpDriverMode() {
        crossesBothWaysThenDropThenDelete("XDP_DRV");
    }

    @Test
    public void xdpGenericMode() {
        crossesBothWaysThenDropThenDelete("XDP_SKB");
    }

    /** Each bad request gets a 4xx with an RFC 8040 error body and changes neither the datastore nor the kernel. */
    @Test
    public void badRequestsChangeNothing() {
        String path = LIST + "=guard";
        topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        Http.Response created = http().put(path, instance("guard", "TC", "FORWARD", "FORWARD"));
        assertEquals(created.body(), 201, created.status());
        try {
            String dataBefore = http().get(DATA + "?content=config").body();
            String kernelBefore = attached();
            String mapsBefore = KernelSnapshot.now();
            assertFalse(kernelBefore, tcPrograms(DEV_A).isEmpty() || tcPrograms(DEV_B).isEmpty());
            String[][] bad = {
                // method, path, body, expected status
                {"PUT", path, instance("guard", "XDP_FOO", "FORWARD", "FORWARD"), "400"},           // bad enum
                {"POST", DATA, instance("bad name!", "TC", "DROP", "DROP").replace(DEV_A, "x").replace(DEV_B, "y"), "400"}, // pattern
                {"PATCH", path, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"guard\",\"colour\":\"red\"}]}", "400"}, // unknown leaf
                {"PUT", path, instance("other", "TC", "FORWARD", "FORWARD"), "400"},               // URI key != body key
                {"POST", path, "{\"pcn-simplefwd:ports\":[{\"peer\":\"lo\"}]}", "400"},             // missing key
                {"PATCH", path, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"guard\",", "400"},       // malformed JSON
                {"PATCH", path + "/actions=pa", "{\"pcn-simplefwd:actions\":[{\"inport\":\"pa\",\"action\":\"FORWARD\",\"outport\":\"nope\"}]}", "400"}, // dangling leafref
                {"DELETE", path + "/ports=pb", null, "400"},                                          // a port an action still uses
                {"PATCH", path + "/ports=pb", "{\"pcn-simplefwd:ports\":[{\"name\":\"pb\",\"peer\":\"" + PREFIX + "zz\"}]}", "400"}, // no such netdev
                {"PATCH", path + "/ports=pb", "{\"pcn-simplefwd:ports\":[{\"name\":\"pb\",\"status\":\"DOWN\"}]}", "400"}, // config false
                {"PATCH", path, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"guard\",\"type\":\"XDP_DRV\"}]}", "409"}, // hook change
                {"POST", DATA, instance("guard", "TC", "FORWARD", "FORWARD"), "409"},              // exists
                {"POST", DATA, instance("thief", "TC", "FORWARD", "FORWARD"), "409"},              // netdevs taken
                {"DELETE", LIST + "=nobody", null, "404"},                                            // missing
                {"GET", DATA + "/pcn-nosuch:thing", null, "4xx"},                                     // unknown module
            };
            for (String[] request : bad) {
                Http.Response response = http().request(request[0], request[1], request[2]);
                String what = request[0] + " " + request[1] + " " + request[2] + " -> " + response.status() + " " + response.body();
                if (request[3].equals("4xx")) {
                    assertTrue(what, response.status() >= 400 && response.status() < 500);
                } else {
                    assertEquals(what, Integer.parseInt(request[3]), response.status());
                }
                assertContains(response.body(), "\"ietf-restconf:errors\"");
                assertContains(response.body(), "\"error-tag\"");
                assertFalse(what, response.body().contains("Exception"));
                // Config only: the port counters move with whatever the namespaces send meanwhile (IPv6 ND).
                assertEquals(what, dataBefore, http().get(DATA + "?content=config").body());
                assertEquals(what, kernelBefore, attached());
                KernelSnapshot.assertUnchanged(what, mapsBefore);
            }
        } finally {
            http().delete(path);
        }
        assertNothingAttached();
    }

    /** A -> c1 -> c2 -> c3 -> B: three cubes linked port to port; removing the middle one cuts the path. */
    private void chainOfThree(String type) {
        String tag = type.equals("TC") ? "t" : "x";
        String[] names = {"c1" + tag, "c2" + tag, "c3" + tag};
        topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        try {
            String[][] peers = {
                {DEV_A, names[1] + ":pa"},
                {names[0] + ":pb", names[2] + ":pa"},
                {names[1] + ":pb", DEV_B}};
            for (int i = 0; i < 3; i++) {
                Http.Response created = http().put(LIST + "=" + names[i], cube(names[i], type, peers[i][0], peers[i][1]));
                assertEquals(created.body(), 201, created.status());
            }
            for (String name : names) {
                String state = http().get(LIST + "=" + name).body();
                assertFalse(state, state.contains("\"DOWN\""));
            }
            assertEquals("A -> B through three " + type + " cubes", 3, received(a, IP_B));
            assertEquals("B -> A through three " + type + " cubes", 3, received(b, IP_A));

            Http.Response deleted = http().delete(LIST + "=" + names[1]);
            assertEquals(deleted.body(), 204, deleted.status());
            assertContains(http().get(LIST + "=" + names[0]).body(), "\"DOWN\"");
            assertEquals("the chain is cut without its middle cube", 0, received(a, IP_B));
        } finally {
            for (String name : names) {
                http().delete(LIST + "=" + name);
            }
        }
        assertNothingAttached();
    }

    /** Both actions SLOWPATH with outports: every packet of the pings crosses Java (packet_in, packet_out EGRESS). */
    @Test
    public void slowPathForwardsBothWays() {
        String path = LIST + "=slow";
        topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        try {
            Http.Response created = http().put(path, instance("slow", "TC", "SLOWPATH", "SLOWPATH"));
            assertEquals(created.body(), 201, created.status());
            assertEquals("A -> B through the slow path", 3, received(a, IP_B));
            assertEquals("B -> A through the slow path", 3, received(b, IP_A));
        } finally {
            http().delete(path);
        }
        assertNothingAttached();
    }

    private static long rxPackets(String ns) {
        String out = Netns.runChecked("ip", "-n", ns, "-s", "link", "show", "dev", "eth0").output();
        var m = java.util.regex.Pattern.compile("RX:[^\\n]*\\n\\s*(\\d+)\\s+(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no RX counters in " + out);
        }
        return Long.parseLong(m.group(2));
    }

    /** packet_out INGRESS through the Polycube service: frames injected on pa leave on pb (FORWARD) into B. */
    private void injectedIngressIsForwarded(String type) throws Exception {
        String name = "inj-" + type.toLowerCase().replace('_', '-');
        String path = LIST + "=" + name;
        topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        Polycube polycube = assertServiceAvailable(Polycube.class);
        try {
            Http.Response created = http().put(path, instance(name, type, "FORWARD", "FORWARD"));
            assertEquals(created.body(), 201, created.status());
            assertEquals("simplefwd", polycube.instances().get(name));
            byte[] frame = new byte[60];
            java.util.Arrays.fill(frame, 0, 6, (byte) 0xff);
            frame[6] = 0x02;
            frame[12] = (byte) 0x88;
            frame[13] = (byte) 0xb6;
            int count = 20;
            long before = rxPackets(NS_B);
            for (int i = 0; i < count; i++) {
                polycube.sendPacketOut(name, "pa", Direction.INGRESS, frame);
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (rxPackets(NS_B) - before < count && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long arrived = rxPackets(NS_B) - before;
            assertTrue("injected " + count + " on pa, B received " + arrived, arrived >= count);
        } finally {
            http().delete(path);
        }
        assertNothingAttached();
    }

    @Test
    public void injectionTc() throws Exception {
        injectedIngressIsForwarded("TC");
    }

    @Test
    public void injectionXdpDriver() throws Exception {
        injectedIngressIsForwarded("XDP_DRV");
    }

    @Test
    public void chainOfThreeTc() {
        chainOfThree("TC");
    }

    @Test
    public void chainOfThreeXdp() {
        chainOfThree("XDP_DRV");
    }

    /** A transparent cube that drops UDP sits on one port's ingress, then moves to the other port. */
    @Test
    public void aTransparentProtocolFilterChangesWhatArrives() {
        topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        String fwd = LIST + "=tfwd";
        String pf = DATA + "/pcn-protofilter:protofilter=pf1";
        try {
            assertEquals(201, http().put(fwd, cube("tfwd", "TC", DEV_A, DEV_B)).status());
            assertEquals(3, received(a, IP_B));
            assertEquals(50, Traffic.udpArrivals(NS_A, NS_B, IP_B));

            Http.Response attached = http().put(pf, "{\"pcn-protofilter:protofilter\":[{\"name\":\"pf1\",\"type\":\"TC\","
                    + "\"parent\":\"tfwd:pa\",\"direction\":\"INGRESS\",\"position\":\"first\",\"drop-protocol\":[17]}]}");
            assertEquals(attached.body(), 201, attached.status());
            long aToB = Traffic.udpArrivals(NS_A, NS_B, IP_B);
            long bToA = Traffic.udpArrivals(NS_B, NS_A, IP_A);
            assertEquals("UDP entering on pa must be dropped", 0, aToB);
            assertEquals("UDP entering on pb passes", 50, bToA);
            assertEquals("ICMP is not filtered", 3, received(a, IP_B));

            Http.Response moved = http().patch(pf, "{\"pcn-protofilter:protofilter\":[{\"name\":\"pf1\",\"parent\":\"tfwd:pb\"}]}");
            assertEquals(moved.body(), 204, moved.status());
            aToB = Traffic.udpArrivals(NS_A, NS_B, IP_B);
            bToA = Traffic.udpArrivals(NS_B, NS_A, IP_A);
            assertEquals("after the move UDP from A passes", 50, aToB);
            assertEquals("after the move UDP entering on pb is dropped", 0, bToA);
        } finally {
            http().delete(pf);
            http().delete(fwd);
        }
        assertNothingAttached();
    }

    @Test
    public void sourcePrefixTablesTc() {
        sourcePrefixTable("TC", true);
    }

    @Test
    public void sourcePrefixTablesXdp() {
        sourcePrefixTable("XDP_DRV", false);
    }

    /**
     * protofilter's zero-code source table on pa's ingress: 10,000 entries in one PUT (all in the map), the
     * longest prefix decides what A may send, and ({@code overflow}; the rollback does not depend on the hook)
     * a request one entry too big for the map (16,384) is refused with the map bytes, the list and the
     * forwarding as they were.
     */
    private void sourcePrefixTable(String type, boolean overflow) {
        topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        String fwd = LIST + "=sfwd";
        String pf = DATA + "/pcn-protofilter:protofilter=spf";
        try {
            assertEquals(201, http().put(fwd, cube("sfwd", type, DEV_A, DEV_B)).status());
            assertEquals(3, received(a, IP_B));
            java.util.Set<Integer> before = SourceTables.maps();
            Http.Response bulk = http().put(pf, SourceTables.protofilter("spf", type, "sfwd:pa", 9_999,
                    "10.201.0.0/24 DROP"));
            assertEquals(bulk.body(), 201, bulk.status());
            int id = SourceTables.newMap(before);
            assertEquals(10_000, SourceTables.mapEntries(SourceTables.mapDump(id)));
            assertEquals("A's source is in a DROP /24", 0, received(a, IP_B));

            Http.Response exception = http().patch(pf, "{\"pcn-protofilter:protofilter\":[{\"name\":\"spf\","
                    + "\"source-ipv4\":[{\"prefix\":\"10.201.0.1/32\",\"action\":\"PASS\"}]}]}");
            assertEquals(exception.body(), 204, exception.status());
            assertEquals("the PASS /32 is longer than the DROP /24", 3, received(a, IP_B));
            if (!overflow) {
                return;
            }

            String map = SourceTables.mapDump(id);
            String list = http().get(pf + "/source-ipv4?content=config").body();
            assertEquals(10_001, SourceTables.entries(list));
            Http.Response tooBig = http().put(pf, SourceTables.protofilter("spf", type, "sfwd:pa", 16_384,
                    "10.201.0.0/16 DROP"));
            assertEquals(tooBig.body(), 409, tooBig.status());
            assertContains(tooBig.body(), "does not fit in map source_ipv4 (max_entries 16384)");
            assertEquals("the map is byte for byte as before", map, SourceTables.mapDump(id));
            assertEquals(list, http().get(pf + "/source-ipv4?content=config").body());
            assertEquals("still forwarded", 3, received(a, IP_B));
        } finally {
            http().delete(pf);
            http().delete(fwd);
        }
        assertNothingAttached();
    }

    /** pcn_log() in the data path (simplefwd traces each packet at TRACE) reaches the container log, formatted. */
    @Test
    public void dataPathLogLinesArriveFormatted() {
        topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        String path = LIST + "=lfwd";
        try {
            String body = cube("lfwd", "TC", DEV_A, DEV_B).replace("\"type\":\"TC\"", "\"type\":\"TC\",\"loglevel\":\"TRACE\"");
            assertEquals(201, http().put(path, body).status());
            assertEquals(3, received(a, IP_B));
            assertContains(executeCommand("pcn:list"), "lfwd");
            String expected = "in pa: " + a.mac() + " > " + b.mac() + ", " + IP_A + " > " + IP_B;
            waitFor("log line '" + expected + "'", DEFAULT_TIMEOUT,
                    () -> executeCommand("log:display -n 400").contains(expected));
        } finally {
            http().delete(path);
        }
    }

    /** A ping every 5 ms crosses the cube while its programs are swapped six times: nothing is lost. */
    @Test
    public void reloadsUnderTrafficLoseNothing() throws Exception {
        topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        String path = LIST + "=rfwd";
        io.polycube.core.api.Polycube polycube = assertServiceAvailable(io.polycube.core.api.Polycube.class);
        try {
            assertEquals(201, http().put(path, cube("rfwd", "XDP_DRV", DEV_A, DEV_B)).status());
            assertEquals(3, received(a, IP_B));
            long bBefore = rxPackets(NS_B);
            java.util.concurrent.CompletableFuture<Netns.Result> ping = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> Netns.run(java.time.Duration.ofSeconds(30), "ip", "netns", "exec", NS_A,
                            "ping", "-n", "-q", "-c", "600", "-i", "0.005", "-W", "1", IP_B));
            sleep(300);
            for (int i = 0; i < 6; i++) {
                String level = i % 2 == 0 ? "DEBUG" : "INFO";
                Http.Response swapped = http().patch(path,
                        "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rfwd\",\"loglevel\":\"" + level + "\"}]}");
                assertEquals(swapped.body(), 204, swapped.status());
                sleep(250);
            }
            Netns.Result result = ping.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertContains(result.output(), "600 packets transmitted, 600 received");
            assertTrue("B must have received all 600 requests", rxPackets(NS_B) - bBefore >= 600);

            String unbounded = "#include <pcn/cube.h>\n"
                    + "static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)\n"
                    + "{ return ((unsigned char *)(long)ctx->data)[md->packet_len]; }\n";
            try {
                polycube.reload("rfwd", 0, new io.polycube.core.spi.DataplaneCode.Source(unbounded));
                throw new AssertionError("the verifier must refuse an unbounded packet read");
            } catch (io.polycube.core.spi.CubeException e) {
                assertContains(e.getMessage(), "invalid access to packet");
            }
            assertEquals("the old program keeps forwarding", 3, received(a, IP_B));
        } finally {
            http().delete(path);
        }
    }
}
