// SPDX-License-Identifier: Apache-2.0
// This file contains the end-to-end test of helloworld: per-port actions over RESTCONF, real pings, TC and XDP.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * One Karaf, two namespaces ({@code <prefix>1} 10.202.0.1, {@code <prefix>2} 10.202.0.2) whose root-side
 * veths are helloworld's ports a and b: FORWARD both ways carries pings, DROP on one port stops them,
 * SLOWPATH reaches the Java slow path (its log line), a FORWARD without outport is a 400.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HelloWorldIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(HelloWorldIT.class);
    private static final String IP_A = "10.202.0.1";
    private static final String IP_B = "10.202.0.2";
    private static final String LIST = "/restconf/data/pcn-helloworld:helloworld";

    private static Netns a;
    private static Netns b;

    @Override
    protected Option[] additionalOptions() {
        return sharedTopology(HelloWorldIT.class, PREFIX, "1", "2");
    }

    private static synchronized void topology() {
        if (a == null) {
            a = Netns.named(PREFIX + "1").addAddress(IP_A + "/24");
            b = Netns.named(PREFIX + "2").addAddress(IP_B + "/24");
            for (Netns ns : List.of(a, b)) { // XDP_DRV redirects into a veth need GRO (or XDP) at its far end
                Netns.runChecked("ip", "netns", "exec", ns.name(), "ethtool", "-K", "eth0", "gro", "on");
            }
        }
    }

    private static String body(String name, String type, String actionA, String actionB) {
        return "{\"pcn-helloworld:helloworld\":[{\"name\":\"" + name + "\",\"type\":\"" + type + "\","
                + "\"ports\":[{\"name\":\"a\",\"peer\":\"" + PREFIX + "1a\"},{\"name\":\"b\",\"peer\":\"" + PREFIX + "2a\"}],"
                + "\"actions\":[{\"port\":\"a\",\"action\":\"" + actionA + "\",\"outport\":\"b\"},"
                + "{\"port\":\"b\",\"action\":\"" + actionB + "\",\"outport\":\"a\"}]}]}";
    }

    private void forwardsThenDrops(String type) {
        topology();
        String path = LIST + "=hw-" + type.toLowerCase().replace('_', '-');
        http().awaitReachable("/restconf/data", DEFAULT_TIMEOUT);
        assertEquals("no path without the cube", 0, Traffic.pingsReceived(a, IP_B));
        Http.Response created = http().put(path, body(path.substring(path.indexOf('=') + 1), type, "FORWARD", "FORWARD"));
        assertEquals(created.body(), 201, created.status());
        try {
            // A native XDP attach re-creates the veth's queues: the first packets may meet it half-way.
            waitFor(type + ": a -> b -> a", Duration.ofSeconds(15), () -> Traffic.pingsReceived(a, IP_B) == 3);
            Http.Response drop = http().patch(path + "/actions=b", "{\"pcn-helloworld:actions\":[{\"port\":\"b\",\"action\":\"DROP\"}]}");
            assertEquals(drop.body(), 204, drop.status());
            assertEquals(type + ": replies dropped on b", 0, Traffic.pingsReceived(a, IP_B));
        } finally {
            assertEquals(204, http().delete(path).status());
        }
    }

    @Test
    public void tc() {
        forwardsThenDrops("TC");
    }

    @Test
    public void xdpDriver() {
        forwardsThenDrops("XDP_DRV");
    }

    /** The container's log file (the test runs inside Karaf). */
    private static String karafLog() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("karaf.data"), "log", "karaf.log"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    public void slowPathSaysHelloAndBadForwardIsRefused() {
        topology();
        String path = LIST + "=hw-slow";
        http().awaitReachable("/restconf/data", DEFAULT_TIMEOUT);
        Http.Response bad = http().put(path, body("hw-slow", "TC", "FORWARD", "DROP").replace(",\"outport\":\"b\"", ""));
        assertEquals(bad.body(), 400, bad.status());
        assertContains(bad.body(), "needs an outport");
        assertEquals(404, http().get(path).status());
        assertEquals(201, http().put(path, body("hw-slow", "TC", "SLOWPATH", "DROP")).status());
        try {
            Traffic.pingsReceived(a, IP_B);
            waitFor("the slow path's hello in the log", DEFAULT_TIMEOUT,
                    () -> karafLog().contains("hello from port a"));
        } finally {
            assertEquals(204, http().delete(path).status());
        }
    }
}
