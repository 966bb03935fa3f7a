// SPDX-License-Identifier: Apache-2.0
// This file contains the end-to-end tests of simplebridge: hosts in namespaces switched by the cube, TC and XDP.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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
 * One Karaf (booted without pcn-helloworld) and one topology: three namespaces {@code <prefix>1..3}
 * (10.203.0.1..3/24) whose root-side veths are the ports p1..p3 of a simplebridge. Without the cube the
 * hosts are not connected, so every frame that arrives was switched (learned, flooded) by it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SimpleBridgeIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(SimpleBridgeIT.class);
    private static final String LIST = "/restconf/data/pcn-simplebridge:simplebridge";

    private static List<Netns> hosts;

    @Override
    protected Set<String> excludedBootFeatures() {
        return Set.of("pcn-helloworld");
    }

    @Override
    protected Option[] additionalOptions() {
        return sharedTopology(SimpleBridgeIT.class, PREFIX, "1", "2", "3");
    }

    private static synchronized List<Netns> topology() {
        if (hosts == null) {
            hosts = List.of(host(1), host(2), host(3));
        }
        return hosts;
    }

    private static Netns host(int i) {
        return Netns.named(PREFIX + i).addAddress(ip(i) + "/24").withGro();
    }

    private static String ip(int i) {
        return "10.203.0." + i;
    }

    private static String bridge(String name, String type, int agingSeconds) {
        return "{\"pcn-simplebridge:simplebridge\":[{\"name\":\"" + name + "\",\"type\":\"" + type + "\","
                + "\"aging-time\":" + agingSeconds + ",\"ports\":["
                + "{\"name\":\"p1\",\"peer\":\"" + PREFIX + "1a\"},{\"name\":\"p2\",\"peer\":\"" + PREFIX + "2a\"},"
                + "{\"name\":\"p3\",\"peer\":\"" + PREFIX + "3a\"}]}]}";
    }

    private static long counter(Netns ns, String direction) {
        String out = Netns.runChecked("ip", "-n", ns.name(), "-s", "link", "show", "dev", "eth0").output();
        Matcher m = Pattern.compile(direction + ":[^\\n]*\\n\\s*(\\d+)\\s+(\\d+)").matcher(out);
        assertTrue(out, m.find());
        return Long.parseLong(m.group(2));
    }

    /** Hosts reach each other, a UDP flood arrives whole, the FDB shows the hosts and ages them out. */
    private void switchesLearnsAndAges(String type) {
        List<Netns> h = topology();
        http().awaitReachable("/restconf/data", DEFAULT_TIMEOUT);
        String name = "br-" + type.toLowerCase().replace('_', '-');
        String path = LIST + "=" + name;
        assertEquals("not connected without the cube", 0, Traffic.pingsReceived(h.get(0), ip(2)));
        Http.Response created = http().put(path, bridge(name, type, 300));
        assertEquals(created.body(), 201, created.status());
        try {
            // A native XDP attach re-creates the veth's queues: the first packets may meet it half-way.
            waitFor(type + " 1 -> 2", Duration.ofSeconds(15), () -> Traffic.pingsReceived(h.get(0), ip(2)) == 3);
            assertEquals(type + " 3 -> 1", 3, Traffic.pingsReceived(h.get(2), ip(1)));

            long elsewhere = counter(h.get(2), "RX");
            Flood.Result udp = Flood.start(h.get(0), h.get(1), ip(2), 20_000, Duration.ofSeconds(2)).await();
            assertTrue(udp.toString(), udp.sent() > 10_000);
            assertEquals(type + " UDP flood 1 -> 2: " + udp, udp.sent(), udp.received());
            assertTrue("known unicast is not flooded to host 3", counter(h.get(2), "RX") - elsewhere < 100);

            String state = http().get(path + "/fdb").body();
            for (int i = 0; i < 3; i++) {
                String entry = "\\{\"address\":\"" + h.get(i).mac() + "\"[^}]*\"port\":\"p" + (i + 1) + "\"";
                assertTrue(entry + " in " + state, Pattern.compile(entry).matcher(state).find());
            }
            String third = h.get(2).mac();
            Http.Response flushOne = http().post(path + "/flush", "{\"pcn-simplebridge:input\":{\"address\":\"" + third + "\"}}");
            assertEquals(flushOne.body(), 204, flushOne.status());
            String flushed = http().get(path + "/fdb").body();
            assertFalse("flushed: " + flushed, flushed.contains(third));
            assertContains(flushed, h.get(0).mac());
            Http.Response badFlush = http().post(path + "/flush", "{\"pcn-simplebridge:input\":{\"address\":\"02:00\"}}");
            assertEquals(badFlush.body(), 400, badFlush.status());
            assertContains(http().get(path + "/fdb").body(), h.get(0).mac());

            Http.Response aging = http().patch(path, "{\"pcn-simplebridge:simplebridge\":[{\"name\":\"" + name
                    + "\",\"aging-time\":2}]}");
            assertEquals(aging.body(), 204, aging.status());
            waitFor("learned entries aged out", Duration.ofSeconds(20), () -> {
                String now = http().get(path + "?content=nonconfig").body();
                return !now.contains(h.get(0).mac()) && !now.contains(h.get(1).mac());
            });
            assertEquals("relearned after aging", 3, Traffic.pingsReceived(h.get(1), ip(1)));
            assertContains(http().get(path + "/fdb").body(), h.get(1).mac());
        } finally {
            assertEquals(204, http().delete(path).status());
        }
        assertEquals("gone with the cube", 0, Traffic.pingsReceived(h.get(0), ip(2)));
    }

    @Test
    public void tc() {
        switchesLearnsAndAges("TC");
    }

    @Test
    public void xdpDriver() {
        switchesLearnsAndAges("XDP_DRV");
    }

    /**
     * Floods reach ports whose peer is another cube: bridge {@code hub} has host 1 and two cube ports, to
     * {@code leaf2} (host 2) and {@code leaf3} (host 3). Host 1's ARP broadcast reaches leaf2 by tail call and
     * leaf3 as a slow-path copy (pcn/flood.h); the replies come back as known unicast.
     */
    @Test
    public void floodsReachCubePeers() {
        List<Netns> h = topology();
        http().awaitReachable("/restconf/data", DEFAULT_TIMEOUT);
        String hub = "{\"name\":\"hub\",\"ports\":[{\"name\":\"p1\",\"peer\":\"" + PREFIX + "1a\"},"
                + "{\"name\":\"to2\",\"peer\":\"leaf2:up\"},{\"name\":\"to3\",\"peer\":\"leaf3:up\"}]}";
        String leaf2 = "{\"name\":\"leaf2\",\"ports\":[{\"name\":\"p2\",\"peer\":\"" + PREFIX + "2a\"},"
                + "{\"name\":\"up\",\"peer\":\"hub:to2\"}]}";
        String leaf3 = "{\"name\":\"leaf3\",\"ports\":[{\"name\":\"p3\",\"peer\":\"" + PREFIX + "3a\"},"
                + "{\"name\":\"up\",\"peer\":\"hub:to3\"}]}";
        // One PATCH of the datastore: the three link to each other, so they must come together.
        Http.Response created = http().patch("/restconf/data", "{\"ietf-restconf:data\":{\"pcn-simplebridge:simplebridge\":["
                + hub + "," + leaf2 + "," + leaf3 + "]}}");
        assertEquals(created.body(), 204, created.status());
        try {
            Netns.runChecked("ip", "-n", h.get(0).name(), "neigh", "flush", "dev", "eth0");
            waitFor("1 -> 3 across two cubes", Duration.ofSeconds(15), () -> Traffic.pingsReceived(h.get(0), ip(3)) == 3);
            assertEquals("1 -> 2 across two cubes", 3, Traffic.pingsReceived(h.get(0), ip(2)));
            assertEquals("3 -> 2 through the hub", 3, Traffic.pingsReceived(h.get(2), ip(2)));
        } finally {
            for (String name : List.of("hub", "leaf2", "leaf3")) {
                http().delete(LIST + "=" + name);
            }
        }
    }

    /** Static entries: on a missing port or with an invalid MAC a 400 and nothing changed; a good one is kept. */
    @Test
    public void staticEntries() {
        topology();
        http().awaitReachable("/restconf/data", DEFAULT_TIMEOUT);
        String path = LIST + "=br-static";
        assertEquals(201, http().put(path, bridge("br-static", "TC", 300)).status());
        try {
            String before = http().get(path + "?content=config").body();
            Http.Response missing = http().post(path, "{\"pcn-simplebridge:static-entries\":[{\"address\":\"02:00:00:00:00:01\","
                    + "\"port\":\"p9\"}]}");
            assertEquals(missing.body(), 400, missing.status());
            Http.Response badMac = http().post(path, "{\"pcn-simplebridge:static-entries\":[{\"address\":\"02:00:00:00:00\","
                    + "\"port\":\"p1\"}]}");
            assertEquals(badMac.body(), 400, badMac.status());
            assertEquals(before, http().get(path + "?content=config").body());

            String mac = topology().get(2).mac();
            Http.Response ok = http().post(path, "{\"pcn-simplebridge:static-entries\":[{\"address\":\"" + mac
                    + "\",\"port\":\"p3\"}]}");
            assertEquals(ok.body(), 201, ok.status());
            assertEquals("static entry used", 3, Traffic.pingsReceived(topology().get(0), ip(3)));
            String fdb = http().get(path + "?content=nonconfig").body();
            assertFalse("a static address is not learned: " + fdb, fdb.contains("\"address\":\"" + mac + "\""));
            assertEquals(204, http().delete(path + "/static-entries=" + mac.replace(":", "%3A")).status());
        } finally {
            assertEquals(204, http().delete(path).status());
        }
    }

    /** feature:install / uninstall of pcn-helloworld while a simplebridge carries pings: none lost. */
    @Test
    public void installingAnotherCubeDoesNotDisturbTheBridge() throws Exception {
        List<Netns> h = topology();
        http().awaitReachable("/restconf/data", DEFAULT_TIMEOUT);
        String path = LIST + "=br-busy";
        assertEquals(201, http().put(path, bridge("br-busy", "TC", 300)).status());
        try {
            assertEquals(3, Traffic.pingsReceived(h.get(0), ip(2)));
            CompletableFuture<Netns.Result> pings = CompletableFuture.supplyAsync(() -> Netns.run(Duration.ofSeconds(90),
                    "ip", "netns", "exec", h.get(0).name(), "ping", "-n", "-q", "-c", "400", "-i", "0.05", "-W", "1", ip(2)));
            sleep(500);
            installAndAssertFeature("pcn-helloworld");
            assertBundleActive("io.polycube.cube.helloworld");
            executeCommand("feature:uninstall pcn-helloworld", Duration.ofMinutes(2));
            waitFor("helloworld gone", DEFAULT_TIMEOUT, () -> !isInstalled("pcn-helloworld"));
            String out = pings.get().output();
            assertContains(out, "400 packets transmitted, 400 received");
        } finally {
            assertEquals(204, http().delete(path).status());
        }
    }
}
