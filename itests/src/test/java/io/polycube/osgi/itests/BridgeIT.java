// SPDX-License-Identifier: Apache-2.0
// This file contains the end-to-end tests of bridge (802.1Q): VLAN isolation, a trunk between two bridges, TC and XDP.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * One Karaf (booted without pcn-bridge, which the tests install) and one topology: bridge {@code bra} has
 * host 1 (VLAN 10, access), host 2 (VLAN 20, access) and host 5 (a trunk of 10 and 20 that sends raw
 * tagged frames), bridge {@code brb} host 3 (VLAN 10) and host 4 (VLAN 20); the two bridges'
 * ports {@code tr} are a trunk of 10 and 20 over the veth pair {@code <prefix>t} ↔ {@code <prefix>u}.
 * Hosts 1..4 share one subnet (10.204.0.0/24), so only the VLANs keep 1 from 2 and 4. Without the cubes
 * nothing is connected, so every frame that arrives was switched by them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BridgeIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(BridgeIT.class);
    private static final String LIST = "/restconf/data/pcn-bridge:bridge";

    private static List<Netns> hosts;

    @Override
    protected Set<String> excludedBootFeatures() {
        return Set.of("pcn-bridge");
    }

    @Override
    protected Option[] additionalOptions() {
        Runtime.getRuntime().addShutdownHook(trunkSweep());
        return sharedTopology(BridgeIT.class, PREFIX, "1", "2", "3", "4", "5");
    }

    /** The trunk veth between the two bridges is the test's own, not a {@link Netns}: both JVMs remove it. */
    private static Thread trunkSweep() {
        return new Thread(() -> Netns.run(Netns.DEFAULT_TIMEOUT, "ip", "link", "del", PREFIX + "t"), "pcn-bridge-it-trunk");
    }

    private static synchronized List<Netns> topology() {
        if (hosts == null) {
            Runtime.getRuntime().addShutdownHook(trunkSweep());
            hosts = List.of(host(1), host(2), host(3), host(4), trunkHost());
            Netns.runChecked("ip", "link", "add", PREFIX + "t", "type", "veth", "peer", "name", PREFIX + "u");
            Netns.runChecked("ip", "link", "set", PREFIX + "t", "up");
            Netns.runChecked("ip", "link", "set", PREFIX + "u", "up");
        }
        return hosts;
    }

    private static Netns host(int i) {
        Netns ns = Netns.named(PREFIX + i).addAddress(ip(i) + "/24");
        // XDP_DRV redirects into a veth need GRO (or XDP) at its far end; an XDP redirect drops the
        // checksum-offload state of a veth frame, so datagrams counted at the socket need full checksums
        Netns.runChecked("ip", "netns", "exec", ns.name(), "ethtool", "-K", "eth0", "gro", "on", "tx", "off");
        return ns;
    }

    /**
     * Host 5 sits on a trunk port. This kernel has no VLAN devices (no 8021q), so it speaks raw frames:
     * {@link #TAGGED} sends one broadcast tagged 10 and one tagged 20 from its MAC (tags in line).
     */
    private static Netns trunkHost() {
        Netns ns = Netns.named(PREFIX + 5);
        Netns.runChecked("ip", "netns", "exec", ns.name(), "ethtool", "-K", "eth0", "gro", "on");
        return ns;
    }

    private static final String TAGGED = "import socket, sys\n"
            + "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(('eth0', 0))\n"
            + "src = bytes.fromhex(sys.argv[1].replace(':', ''))\n"
            + "for vlan in (10, 20):\n"
            + "    s.send(b'\\xff' * 6 + src + bytes([0x81, 0, 0, vlan, 0x88, 0xb6]) + bytes(46))\n";

    private static String ip(int i) {
        return "10.204.0." + i;
    }

    private static String access(String name, int host, int vlan) {
        return "{\"name\":\"" + name + "\",\"peer\":\"" + PREFIX + host + "a\",\"mode\":\"ACCESS\",\"vlan\":" + vlan + "}";
    }

    private static String trunk(String name, String peer) {
        return "{\"name\":\"" + name + "\",\"peer\":\"" + peer + "\",\"mode\":\"TRUNK\",\"allowed-vlans\":[10,20]}";
    }

    private static String bridge(String name, String type, String... ports) {
        return "{\"pcn-bridge:bridge\":[{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"ports\":["
                + String.join(",", ports) + "]}]}";
    }

    private void ensureBridgeFeature() {
        http().awaitReachable("/restconf/data", DEFAULT_TIMEOUT);
        if (!isInstalled("pcn-bridge")) {
            installAndAssertFeature("pcn-bridge");
        }
        waitFor("bridge module served", DEFAULT_TIMEOUT, () -> http().get(LIST).status() != 400);
    }

    /** UDP datagrams of 100 sent from {@code from} to {@code ip} that reached a socket in {@code to}. */
    private static long udpReceived(Netns from, Netns to, String ip) {
        Flood.Result r = Flood.send(from, to, ip, 100, 2000);
        assertEquals("sent " + r, 100, r.sent());
        return r.received();
    }

    /** The fdb entry of address, as JSON text ("" if none). */
    private static String entry(String fdb, String mac, int vlan) {
        Matcher m = Pattern.compile("\\{[^{}]*\"address\":\"" + mac + "\"[^{}]*\\}").matcher(fdb);
        while (m.find()) {
            if (m.group().contains("\"vlan\":" + vlan + ",") || m.group().contains("\"vlan\":" + vlan + "}")) {
                return m.group();
            }
        }
        return "";
    }

    /** Same VLAN reaches (ping, UDP), other VLAN does not, the trunk carries both, the fdb is per VLAN. */
    private void isolatesVlans(String type) {
        List<Netns> h = topology();
        ensureBridgeFeature();
        String suffix = type.toLowerCase().replace('_', '-');
        String a = "bra-" + suffix;
        String b = "brb-" + suffix;
        assertEquals("not connected without the cubes", 0, Traffic.pingsReceived(h.get(0), ip(3)));
        Http.Response created = http().put(LIST + "=" + a, bridge(a, type, access("a1", 1, 10), access("b1", 2, 20),
                trunk("h5", PREFIX + "5a"), trunk("tr", PREFIX + "t")));
        assertEquals(created.body(), 201, created.status());
        try {
            created = http().put(LIST + "=" + b, bridge(b, type, access("a2", 3, 10), access("b2", 4, 20),
                    trunk("tr", PREFIX + "u")));
            assertEquals(created.body(), 201, created.status());
            // A native XDP attach re-creates the veth's queues: the first packets may meet it half-way.
            waitFor(type + " 1 -> 3 over the trunk", Duration.ofSeconds(15), () -> Traffic.pingsReceived(h.get(0), ip(3)) == 3);
            assertEquals(type + " 2 -> 4 over the trunk", 3, Traffic.pingsReceived(h.get(1), ip(4)));
            assertEquals(type + " 1 -/-> 2", 0, Traffic.pingsReceived(h.get(0), ip(2)));
            assertEquals(type + " 1 -/-> 4", 0, Traffic.pingsReceived(h.get(0), ip(4)));
            assertEquals(type + " 3 -/-> 2", 0, Traffic.pingsReceived(h.get(2), ip(2)));

            assertEquals("UDP 1 -> 3", 100L, udpReceived(h.get(0), h.get(2), ip(3)));
            assertEquals("UDP 4 -> 2", 100L, udpReceived(h.get(3), h.get(1), ip(2)));
            // host 1 knows host 2's address only from its own VLAN's ARP, which host 2 never hears
            Netns.runChecked("ip", "-n", h.get(0).name(), "neigh", "replace", ip(2), "lladdr", h.get(1).mac(), "dev", "eth0");
            assertEquals("UDP 1 -> 2 (other VLAN, MAC known)", 0L, udpReceived(h.get(0), h.get(1), ip(2)));
            Netns.runChecked("ip", "-n", h.get(0).name(), "neigh", "del", ip(2), "dev", "eth0");

            Netns.runChecked("ip", "netns", "exec", h.get(4).name(), "/usr/bin/python3", "-c", TAGGED, h.get(4).mac());
            String fdb = http().get(LIST + "=" + a + "/fdb").body();
            assertTrue(fdb, entry(fdb, h.get(0).mac(), 10).contains("\"port\":\"a1\""));
            assertTrue(fdb, entry(fdb, h.get(1).mac(), 20).contains("\"port\":\"b1\""));
            assertTrue(fdb, entry(fdb, h.get(2).mac(), 10).contains("\"port\":\"tr\""));
            assertTrue(fdb, entry(fdb, h.get(3).mac(), 20).contains("\"port\":\"tr\""));
            assertTrue("one MAC, two VLANs, two entries: " + fdb, entry(fdb, h.get(4).mac(), 10).contains("\"port\":\"h5\"")
                    && entry(fdb, h.get(4).mac(), 20).contains("\"port\":\"h5\""));
            assertEquals("host 1 is not in VLAN 20: " + fdb, "", entry(fdb, h.get(0).mac(), 20));
            String stats = http().get(LIST + "=" + b + "/statistics").body();
            assertTrue(stats, stats.contains("\"flooded\""));
        } finally {
            http().delete(LIST + "=" + b);
            assertEquals(204, http().delete(LIST + "=" + a).status());
        }
        assertEquals("gone with the cubes", 0, Traffic.pingsReceived(h.get(0), ip(3)));
    }

    @Test
    public void tc() {
        isolatesVlans("TC");
    }

    @Test
    public void xdpDriver() {
        isolatesVlans("XDP_DRV");
    }

    /**
     * The trunk as a cube-to-cube peer ({@code bca:tr} ↔ {@code bcb:tr}): floods reach it by tail call (TC) or
     * as a slow-path copy tagged by Java (XDP, where the devmap broadcast takes the original).
     */
    private void trunksOverACubePeer(String type) {
        List<Netns> h = topology();
        ensureBridgeFeature();
        String suffix = type.toLowerCase().replace('_', '-');
        String a = "bca-" + suffix;
        String b = "bcb-" + suffix;
        String both = "{\"ietf-restconf:data\":{\"pcn-bridge:bridge\":["
                + "{\"name\":\"" + a + "\",\"type\":\"" + type + "\",\"ports\":[" + access("a1", 1, 10) + ","
                + access("b1", 2, 20) + "," + trunk("tr", b + ":tr") + "]},"
                + "{\"name\":\"" + b + "\",\"type\":\"" + type + "\",\"ports\":[" + access("a2", 3, 10) + ","
                + access("b2", 4, 20) + "," + trunk("tr", a + ":tr") + "]}]}}";
        Http.Response created = http().patch("/restconf/data", both);
        assertEquals(created.body(), 204, created.status());
        try {
            for (Netns host : h) {
                Netns.runChecked("ip", "-n", host.name(), "neigh", "flush", "dev", "eth0");
            }
            waitFor(type + " 1 -> 3 over a cube trunk", Duration.ofSeconds(15), () -> Traffic.pingsReceived(h.get(0), ip(3)) == 3);
            assertEquals(type + " 4 -> 2 over a cube trunk", 3, Traffic.pingsReceived(h.get(3), ip(2)));
            assertEquals(type + " 1 -/-> 4", 0, Traffic.pingsReceived(h.get(0), ip(4)));
            assertEquals("UDP 3 -> 1", 100L, udpReceived(h.get(2), h.get(0), ip(1)));
            String fdb = http().get(LIST + "=" + b + "/fdb").body();
            assertTrue(fdb, entry(fdb, h.get(0).mac(), 10).contains("\"port\":\"tr\""));
            assertTrue(fdb, entry(fdb, h.get(1).mac(), 20).contains("\"port\":\"tr\""));
        } finally {
            http().delete(LIST + "=" + b);
            http().delete(LIST + "=" + a);
        }
    }

    @Test
    public void cubeTrunkTc() {
        trunksOverACubePeer("TC");
    }

    @Test
    public void cubeTrunkXdpDriver() {
        trunksOverACubePeer("XDP_DRV");
    }

    /** Bad input: a 400 with the reason and nothing changed. */
    @Test
    public void badInputChangesNothing() {
        topology();
        ensureBridgeFeature();
        String path = LIST + "=br-bad";
        assertEquals(201, http().put(path, bridge("br-bad", "TC", access("a1", 1, 10), trunk("tr", PREFIX + "t"))).status());
        try {
            String before = http().get(path + "?content=config").body();
            Http.Response range = http().patch(path, "{\"pcn-bridge:bridge\":[{\"name\":\"br-bad\",\"ports\":[{\"name\":\"a1\","
                    + "\"vlan\":4095}]}]}");
            assertEquals(range.body(), 400, range.status());
            Http.Response nativeVlan = http().patch(path, "{\"pcn-bridge:bridge\":[{\"name\":\"br-bad\",\"ports\":[{\"name\":\"tr\","
                    + "\"native-vlan\":30}]}]}");
            assertEquals(nativeVlan.body(), 400, nativeVlan.status());
            assertTrue(nativeVlan.body(), nativeVlan.body().contains("native-vlan 30 is not in allowed-vlans"));
            Http.Response missingPort = http().post(path, "{\"pcn-bridge:static-entries\":[{\"vlan\":10,"
                    + "\"address\":\"02:00:00:00:00:01\",\"port\":\"p9\"}]}");
            assertEquals(missingPort.body(), 400, missingPort.status());
            Http.Response notMember = http().post(path, "{\"pcn-bridge:static-entries\":[{\"vlan\":20,"
                    + "\"address\":\"02:00:00:00:00:01\",\"port\":\"a1\"}]}");
            assertEquals(notMember.body(), 400, notMember.status());
            assertTrue(notMember.body(), notMember.body().contains("not a member of VLAN 20"));
            assertEquals(before, http().get(path + "?content=config").body());
            Http.Response ok = http().post(path, "{\"pcn-bridge:static-entries\":[{\"vlan\":10,"
                    + "\"address\":\"02:00:00:00:00:01\",\"port\":\"a1\"}]}");
            assertEquals(ok.body(), 201, ok.status());
        } finally {
            assertEquals(204, http().delete(path).status());
        }
    }

    /** feature:install / uninstall of pcn-bridge while a simplebridge carries pings: none lost. */
    @Test
    public void installingTheBridgeDoesNotDisturbASimpleBridge() throws Exception {
        List<Netns> h = topology();
        http().awaitReachable("/restconf/data", DEFAULT_TIMEOUT);
        if (isInstalled("pcn-bridge")) {
            executeCommand("feature:uninstall pcn-bridge", Duration.ofMinutes(2));
            waitFor("bridge gone", DEFAULT_TIMEOUT, () -> !isInstalled("pcn-bridge"));
        }
        String path = "/restconf/data/pcn-simplebridge:simplebridge=sb-busy";
        Http.Response created = http().put(path, "{\"pcn-simplebridge:simplebridge\":[{\"name\":\"sb-busy\",\"type\":\"TC\","
                + "\"ports\":[{\"name\":\"p1\",\"peer\":\"" + PREFIX + "1a\"},{\"name\":\"p3\",\"peer\":\"" + PREFIX + "3a\"}]}]}");
        assertEquals(created.body(), 201, created.status());
        try {
            assertEquals(3, Traffic.pingsReceived(h.get(0), ip(3)));
            CompletableFuture<Netns.Result> pings = CompletableFuture.supplyAsync(() -> Netns.run(Duration.ofSeconds(90),
                    "ip", "netns", "exec", h.get(0).name(), "ping", "-n", "-q", "-c", "400", "-i", "0.05", "-W", "1", ip(3)));
            sleep(500);
            installAndAssertFeature("pcn-bridge");
            assertBundleActive("io.polycube.cube.bridge");
            waitFor("bridge module served", DEFAULT_TIMEOUT, () -> http().get(LIST).status() != 400);
            executeCommand("feature:uninstall pcn-bridge", Duration.ofMinutes(2));
            waitFor("bridge gone", DEFAULT_TIMEOUT, () -> !isInstalled("pcn-bridge"));
            String out = pings.get().output();
            assertContains(out, "400 packets transmitted, 400 received");
        } finally {
            assertEquals(204, http().delete(path).status());
        }
    }
}
