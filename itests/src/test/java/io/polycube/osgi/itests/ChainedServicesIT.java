// SPDX-License-Identifier: Apache-2.0
// This file contains the end-to-end tests of services chained cube to cube (bridge, router, bridge) and of
// installing and removing services while others carry a counted flood.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * One Karaf, six namespaces. Hosts 1, 2 (10.213.1.0/24) sit on simplebridge {@code sba}, hosts 3, 4
 * (10.213.2.0/24) on simplebridge {@code sbb}; each bridge's port {@code up} is peered directly with a port of
 * router {@code rt} (10.213.1.1, 10.213.2.1): no veth between the cubes, packets cross by tail calls. The hosts
 * have default routes via the router and no static neighbours: the router answers ARP for itself and resolves
 * the hosts in its slow path. Hosts 5, 6 (10.213.3.0/24) are joined by a helloworld for the feature churn.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ChainedServicesIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(ChainedServicesIT.class);
    private static final String DATA = "/restconf/data";
    private static final String BRIDGES = DATA + "/pcn-simplebridge:simplebridge";
    private static final String ROUTERS = DATA + "/pcn-router:router";
    private static final String HELLO = DATA + "/pcn-helloworld:helloworld";
    /** A UDP flood through the cubes while features come and go: well above the 50,000 datagrams/s. */
    private static final int FLOOD_PPS = 50_000;

    private static List<Netns> hosts;

    @Override
    protected Option[] additionalOptions() {
        return sharedTopology(ChainedServicesIT.class, PREFIX, "1", "2", "3", "4", "5", "6");
    }

    private static String ip(int host) {
        return host <= 2 ? "10.213.1." + (host + 1) : host <= 4 ? "10.213.2." + (host - 1) : "10.213.3." + (host - 4);
    }

    private static synchronized List<Netns> topology() {
        if (hosts == null) {
            List<Netns> made = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                Netns ns = Netns.named(PREFIX + i).addAddress(ip(i) + "/24");
                if (i <= 4) {
                    Netns.runChecked("ip", "-n", ns.name(), "route", "add", "default", "via",
                            i <= 2 ? "10.213.1.1" : "10.213.2.1");
                }
                // GRO: XDP_DRV redirects into a veth need it (or XDP) at the far end. tx off: an XDP redirect
                // loses a veth frame's CHECKSUM_PARTIAL note, so TCP and UDP need their checksums complete.
                Netns.runChecked("ip", "netns", "exec", ns.name(), "ethtool", "-K", "eth0", "gro", "on", "tx", "off");
                made.add(ns);
            }
            hosts = List.copyOf(made);
        }
        return hosts;
    }

    /** Both bridges and the router in one request: they name each other as peers, so they come together. */
    private static String chain(String type) {
        String sba = "{\"name\":\"sba\",\"type\":\"" + type + "\",\"ports\":[{\"name\":\"p1\",\"peer\":\"" + PREFIX
                + "1a\"},{\"name\":\"p2\",\"peer\":\"" + PREFIX + "2a\"},{\"name\":\"up\",\"peer\":\"rt:pa\"}]}";
        String sbb = "{\"name\":\"sbb\",\"type\":\"" + type + "\",\"ports\":[{\"name\":\"p1\",\"peer\":\"" + PREFIX
                + "3a\"},{\"name\":\"p2\",\"peer\":\"" + PREFIX + "4a\"},{\"name\":\"up\",\"peer\":\"rt:pb\"}]}";
        String rt = "{\"name\":\"rt\",\"type\":\"" + type + "\",\"ports\":["
                + "{\"name\":\"pa\",\"peer\":\"sba:up\",\"ip\":\"10.213.1.1\",\"prefix-length\":24},"
                + "{\"name\":\"pb\",\"peer\":\"sbb:up\",\"ip\":\"10.213.2.1\",\"prefix-length\":24}]}";
        return "{\"ietf-restconf:data\":{\"pcn-simplebridge:simplebridge\":[" + sba + "," + sbb + "],"
                + "\"pcn-router:router\":[" + rt + "]}}";
    }

    private void createChain(String type) {
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        waitFor("router and simplebridge served", DEFAULT_TIMEOUT, () -> served(ROUTERS) && served(BRIDGES));
        for (Netns host : topology()) {
            Netns.runChecked("ip", "-n", host.name(), "neigh", "flush", "all");
        }
        Http.Response created = http().patch(DATA, chain(type));
        assertEquals(created.body(), 204, created.status());
    }

    /** The module of the list is known (its cube type registered): an empty list is a 404 of another kind. */
    private boolean served(String list) {
        Http.Response r = http().get(list);
        return r.status() == 200 || (r.status() == 404 && !r.body().contains("unknown module"));
    }

    private void deleteChain() {
        for (String path : List.of(ROUTERS + "=rt", BRIDGES + "=sba", BRIDGES + "=sbb")) {
            http().delete(path);
        }
    }

    @Test
    public void a_bridgeRouterBridgeTc() throws Exception {
        bridgeRouterBridge("TC");
    }

    @Test
    public void b_bridgeRouterBridgeXdp() throws Exception {
        bridgeRouterBridge("XDP_DRV");
    }

    /** Pings and UDP both ways across the chain, ARP learned by the router, an iperf3 TCP transfer arrives whole. */
    private void bridgeRouterBridge(String type) throws Exception {
        List<Netns> h = topology();
        createChain(type);
        try {
            // The first echo waits in the router's slow path for the MAC of host 3.
            waitFor(type + " 1 -> 3", Duration.ofSeconds(20), () -> Traffic.pingsReceived(h.get(0), ip(3)) == 3);
            Netns.Result ping = h.get(3).ping(ip(2), 3);
            assertTrue(ping.output(), ping.output().contains("3 received") && ping.output().contains("ttl=63"));
            assertEquals(type + " 2 -> 1 on one bridge", 3, Traffic.pingsReceived(h.get(1), ip(1)));
            assertEquals(type + " UDP 1 -> 4", 50, Traffic.udpArrivals(h.get(0), h.get(3), ip(4)));
            assertEquals(type + " UDP 3 -> 2", 50, Traffic.udpArrivals(h.get(2), h.get(1), ip(2)));

            long bytes = 64L << 20;
            long[] tcp = iperf3(h.get(0), h.get(3), ip(4), bytes);
            System.out.printf("chain.%s.iperf3 %d bytes sent, %d received, %.2f Gbit/s%n", type, tcp[0], tcp[1],
                    tcp[2] / 1e9);
            // iperf3 -n sends whole blocks of 128 KiB: it may pass the amount by a block (67,239,936 seen in CI).
            assertTrue(type + " TCP bytes sent: " + tcp[0], tcp[0] >= bytes && tcp[0] <= bytes + (1 << 20));
            // iperf3's server stops counting at the client's end-of-test message, while the tail of the transfer
            // may still sit in socket buffers (up to several MiB): it reports a little less than was delivered.
            assertTrue(type + " TCP bytes received: " + tcp[1], tcp[1] > bytes / 2 && tcp[1] <= tcp[0]);

            String arp = http().get(ROUTERS + "=rt/arp-table").body();
            for (int i : new int[] {1, 4}) {
                assertTrue(arp, arp.contains("\"address\":\"" + ip(i) + "\"") && arp.contains(h.get(i - 1).mac()));
            }
            String fdb = http().get(BRIDGES + "=sbb/fdb").body();
            assertTrue(fdb, fdb.contains(h.get(3).mac()));
            for (Netns host : h.subList(0, 4)) {
                String neigh = Netns.runChecked("ip", "-n", host.name(), "neigh", "show").output();
                assertFalse(neigh, neigh.contains("PERMANENT"));
            }
        } finally {
            deleteChain();
        }
        assertEquals("nothing left to cross", 0, Traffic.pingsReceived(h.get(0), ip(3)));
    }

    /**
     * An iperf3 TCP transfer of exactly {@code bytes} from {@code from} to {@code ip} (in {@code to}): bytes the
     * client sent, bytes the server received, and the receiver's bits per second.
     */
    private static long[] iperf3(Netns from, Netns to, String ip, long bytes) throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", to.name(), "iperf3", "-s", "-1", "-J", "-B", ip,
                "-p", "5399").redirectErrorStream(true).start();
        try {
            waitFor("iperf3 listens", DEFAULT_TIMEOUT, () -> Netns.run(Duration.ofSeconds(5), "ip", "netns", "exec",
                    to.name(), "ss", "-Hltn", "sport = :5399").output().contains("5399"));
            Netns.Result client = Netns.run(Duration.ofSeconds(120), "ip", "netns", "exec", from.name(), "iperf3", "-c",
                    ip, "-p", "5399", "-n", Long.toString(bytes), "-J");
            assertEquals(client.output(), 0, client.exitCode());
            assertTrue("iperf3 server did not finish", server.waitFor(30, TimeUnit.SECONDS));
            String received = new String(server.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return new long[] {sum(client.output(), "sum_sent", "bytes"), sum(received, "sum_received", "bytes"),
                sum(received, "sum_received", "bits_per_second")};
        } finally {
            server.destroyForcibly();
        }
    }

    /** A number of iperf3's {@code end.<section>} object. */
    private static long sum(String json, String section, String key) {
        int at = json.lastIndexOf("\"" + section + "\"");
        assertTrue("no " + section + " in " + json, at >= 0);
        Matcher m = Pattern.compile("\"" + key + "\":\\s*([0-9.eE+]+)").matcher(json.substring(at));
        assertTrue(json, m.find());
        return (long) Double.parseDouble(m.group(1));
    }

    /**
     * feature:uninstall and feature:install of services while others carry a flood of 50,000 UDP datagrams/s,
     * counted at both sockets: pcn-router and pcn-simplebridge while a helloworld carries it, then pcn-helloworld,
     * pcn-protofilter and pcn-simplefwd while the bridge-router-bridge chain carries it. Not one datagram lost,
     * and every operation ran inside its flood.
     */
    @Test
    public void c_servicesComeAndGoWhileOthersForward() throws Exception {
        List<Netns> h = topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        Http.Response hello = http().put(HELLO + "=hw", "{\"pcn-helloworld:helloworld\":[{\"name\":\"hw\",\"type\":\"TC\","
                + "\"ports\":[{\"name\":\"a\",\"peer\":\"" + PREFIX + "5a\"},{\"name\":\"b\",\"peer\":\"" + PREFIX + "6a\"}],"
                + "\"actions\":[{\"port\":\"a\",\"action\":\"FORWARD\",\"outport\":\"b\"},"
                + "{\"port\":\"b\",\"action\":\"FORWARD\",\"outport\":\"a\"}]}]}");
        assertEquals(hello.body(), 201, hello.status());
        try {
            waitFor("helloworld forwards", Duration.ofSeconds(15), () -> Traffic.pingsReceived(h.get(4), ip(6)) == 3);
            churnDuring(h.get(4), h.get(5), ip(6), List.of("pcn-router", "pcn-simplebridge"));
        } finally {
            http().delete(HELLO + "=hw");
        }

        createChain("TC");
        try {
            waitFor("chain forwards", Duration.ofSeconds(20), () -> Traffic.pingsReceived(h.get(0), ip(4)) == 3);
            churnDuring(h.get(0), h.get(3), ip(4), List.of("pcn-helloworld", "pcn-protofilter", "pcn-simplefwd"));
        } finally {
            deleteChain();
        }
    }

    private void churnDuring(Netns from, Netns to, String ip, List<String> features) {
        // Long enough for every uninstall and install on a loaded 2-core machine; the flood ends on its own.
        Flood flood = Flood.start(from, to, ip, FLOOD_PPS, Duration.ofSeconds(12L * features.size() + 6));
        List<Long> operations = new ArrayList<>();
        try {
            sleep(2000);
            for (String feature : features) {
                operations.add(System.currentTimeMillis());
                executeCommand("feature:uninstall " + feature, Duration.ofMinutes(2));
                waitFor(feature + " gone", DEFAULT_TIMEOUT, () -> !isInstalled(feature));
                operations.add(System.currentTimeMillis());
                installAndAssertFeature(feature);
                operations.add(System.currentTimeMillis());
            }
        } finally {
            Flood.Result r = flood.await();
            System.out.println("churn of " + features + " during a flood " + from.name() + " -> " + ip + ": " + r);
            r.assertOperationsInside("operation", operations, Duration.ofMillis(500), FLOOD_PPS);
            // Both flood ends run SCHED_FIFO and the receiver's socket holds seconds of the flood (Flood), so CPU
            // taken by the feature installs cannot make the receiver overflow: every datagram sent must arrive.
            assertEquals(features + " churned during the flood: " + r, 0, r.lost());
        }
    }
}
