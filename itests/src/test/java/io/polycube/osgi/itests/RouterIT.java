// SPDX-License-Identifier: Apache-2.0
// This file contains the end-to-end tests of router: two subnets routed through it, ARP resolved by the router.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * One Karaf and one topology: namespace {@code <prefix>1} (10.211.1.2/24, default route via the router's
 * 10.211.1.1) and {@code <prefix>2} (10.211.2.2/24, via 10.211.2.1); the router's two ports are their
 * root-side veths. The namespaces have no static neighbour entries (flushed before each mode): every MAC
 * is learned by ARP, the router's own answered by its data path, the hosts' resolved by its slow path.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RouterIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(RouterIT.class);
    private static final String NS_A = PREFIX + "1";
    private static final String NS_B = PREFIX + "2";
    private static final String IP_A = "10.211.1.2";
    private static final String IP_B = "10.211.2.2";
    private static final String GW_A = "10.211.1.1";
    private static final String GW_B = "10.211.2.1";
    private static final String DATA = "/restconf/data";
    private static final String LIST = DATA + "/pcn-router:router";

    private static Netns a;
    private static Netns b;

    @Override
    protected Option[] additionalOptions() {
        return sharedTopology(RouterIT.class, PREFIX, "1", "2");
    }

    private static synchronized void topology() {
        if (a != null) {
            return;
        }
        a = Netns.named(NS_A).addAddress(IP_A + "/24");
        b = Netns.named(NS_B).addAddress(IP_B + "/24");
        Netns.runChecked("ip", "-n", NS_A, "route", "add", "default", "via", GW_A);
        Netns.runChecked("ip", "-n", NS_B, "route", "add", "default", "via", GW_B);
        for (Netns ns : List.of(a, b)) {
            // XDP_DRV redirects into a veth are dropped unless its far end has an XDP program or GRO.
            Netns.runChecked("ip", "netns", "exec", ns.name(), "ethtool", "-K", "eth0", "gro", "on");
        }
    }

    private static String router(String name, String type, String extra) {
        return "{\"pcn-router:router\":[{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"ports\":["
                + "{\"name\":\"pa\",\"peer\":\"" + NS_A + "a\",\"ip\":\"" + GW_A + "\",\"prefix-length\":24},"
                + "{\"name\":\"pb\",\"peer\":\"" + NS_B + "a\",\"ip\":\"" + GW_B + "\",\"prefix-length\":24}]"
                + extra + "}]}";
    }

    private void routesBetweenSubnets(String type) {
        String name = "r-" + type.toLowerCase().replace('_', '-');
        String path = LIST + "=" + name;
        topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        assertEquals("no path without the router", 0, Traffic.pingsReceived(a, IP_B));
        // forget what the namespaces learned (or failed to learn: a FAILED gateway entry refuses pings for a while)
        for (String ns : List.of(NS_A, NS_B)) {
            Netns.runChecked("ip", "-n", ns, "neigh", "flush", "all");
        }
        Http.Response created = http().put(path, router(name, type, ""));
        assertEquals(created.body(), 201, created.status());
        try {
            // The first echo request waits in the router's slow path for B's MAC, then goes on: none is lost.
            Netns.Result ping = a.ping(IP_B, 3);
            assertContains(ping.output(), "3 received");
            assertContains(ping.output(), "ttl=63"); // B's replies crossed one router
            assertEquals("the router answers pings to its addresses", 3, Traffic.pingsReceived(a, GW_B));
            assertEquals("UDP A -> B", 50, Traffic.udpArrivals(a, b, IP_B));
            assertEquals("UDP B -> A", 50, Traffic.udpArrivals(b, a, IP_A));

            Netns.Result expired = a.exec("ping", "-n", "-c", "1", "-t", "1", "-W", "1", IP_B);
            assertContains(expired.output(), "From " + GW_A);
            assertContains(expired.output(), "Time to live exceeded");

            String arp = http().get(path + "/arp-table").body();
            assertContains(arp, "\"address\":\"" + IP_A + "\"");
            assertContains(arp, "\"mac\":\"" + a.mac() + "\"");
            assertContains(arp, "\"address\":\"" + IP_B + "\"");
            assertContains(arp, "\"mac\":\"" + b.mac() + "\"");
            assertContains(arp, "\"port\":\"pb\"");
            String stats = http().get(path + "/statistics").body();
            assertContains(stats, "\"counter\":\"arp-requests\"");
            assertContains(stats, "\"counter\":\"ttl-exceeded\"");
            String ports = http().get(path + "/ports=pb").body();
            assertTrue(ports, counter(ports, "tx-packets") >= 53);
            // nothing was put in the namespaces by hand: their neighbours are what ARP taught them
            String neigh = Netns.runChecked("ip", "-n", NS_A, "neigh", "show").output();
            assertFalse(neigh, neigh.contains("PERMANENT"));
        } finally {
            Http.Response deleted = http().delete(path);
            assertEquals(deleted.body(), 204, deleted.status());
        }
        assertEquals(0, Traffic.pingsReceived(a, IP_B));
    }

    private static long counter(String json, String leaf) {
        Matcher m = Pattern.compile("\"" + leaf + "\":\"(\\d+)\"").matcher(json);
        assertTrue(json, m.find());
        return Long.parseLong(m.group(1));
    }

    @Test
    public void tcMode() {
        routesBetweenSubnets("TC");
    }

    @Test
    public void xdpDriverMode() {
        routesBetweenSubnets("XDP_DRV");
    }

    /** Refused with 400 and the reason; the datastore is as before. */
    @Test
    public void badInputChangesNothing() {
        topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        String path = LIST + "=guard";
        Http.Response created = http().put(path, router("guard", "TC", ",\"route\":[{\"network\":\"10.99.0.0/16\","
                + "\"nexthop\":\"10.211.2.7\"}]"));
        assertEquals(created.body(), 201, created.status());
        try {
            String before = http().get(DATA + "?content=config").body();
            String[][] bad = {
                {path + "/ports=pb", "{\"pcn-router:ports\":[{\"name\":\"pb\",\"ip\":\"10.211.1.9\"}]}", "overlaps"},
                {path + "/ports=pb", "{\"pcn-router:ports\":[{\"name\":\"pb\",\"ip\":\"10.211.2.0\"}]}", "network address"},
                {path + "/route=10.98.0.0%2F16", "{\"pcn-router:route\":[{\"network\":\"10.98.0.0/16\",\"nexthop\":\"10.77.0.1\"}]}",
                    "not on a connected subnet"},
                {path + "/route=10.98.0.1%2F16", "{\"pcn-router:route\":[{\"network\":\"10.98.0.1/16\",\"nexthop\":\"10.211.1.5\"}]}",
                    "host bits"},
                {path + "/ports=pa", "{\"pcn-router:ports\":[{\"name\":\"pa\",\"ip\":\"10.211.1.1\",\"prefix-length\":33}]}", ""},
            };
            for (String[] request : bad) {
                Http.Response response = http().request("PUT", request[0], request[1]);
                assertEquals(request[0] + " " + request[1] + ": " + response.body(), 400, response.status());
                assertContains(response.body(), "ietf-restconf:errors");
                assertContains(response.body(), request[2]);
                assertEquals(request[1], before, http().get(DATA + "?content=config").body());
            }
        } finally {
            http().delete(path);
        }
    }
}
