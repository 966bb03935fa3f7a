// SPDX-License-Identifier: Apache-2.0
// This file contains the end-to-end test of isolation: a cube bundle broken three ways, installed next to
// working cubes that carry a counted flood.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * One Karaf, four namespaces. Hosts 1 and 2 (10.215.0.0/24) are joined by a simplebridge that carries a
 * 50,000 datagrams/s flood, counted at both ends; host 3's veth is the one port of a helloworld whose action is
 * SLOWPATH (a working slow path, its rate measured); host 4's veth is the port of a {@code stuck} cube. While
 * the flood runs, {@code itests/broken-cubes} is installed: cube type {@code throwing} (activation throws),
 * {@code unverifiable} (the verifier refuses its data path) and {@code stuck} (its slow-path handler never
 * returns), which is then flooded itself. A probe reads RESTCONF every 100 ms all along. TC and XDP_DRV.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class IsolationIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(IsolationIT.class);
    private static final String DATA = "/restconf/data";
    private static final String FRAMEWORK = DATA + "/pcn-polycubed:polycubed";
    private static final String BROKEN_JAR = "pcn.test.brokencubes.jar";
    private static final String BROKEN_BUNDLE = "io.polycube.itest.brokencubes";
    /** ThrowingType.REASON (the bundle is not on this class path). */
    private static final String THROWING_REASON = "broken on purpose: this cube type's activation throws";
    private static final int FLOOD_PPS = 50_000;
    /** The working slow path's probe: datagrams at this rate, each a packet_in of helloworld. */
    private static final int SLOW_PPS = 1_000;
    private static final int SLOW_COUNT = 3_000;
    /** The stuck cube's flood: its lane (4,096 records) fills in under half a second. */
    private static final int STUCK_PPS = 10_000;

    private static List<Netns> hosts;

    @Override
    protected Set<String> excludedBootFeatures() {
        return Set.of("pcn-bridge", "pcn-router", "pcn-protofilter", "pcn-simplefwd");
    }

    @Override
    protected Option[] additionalOptions() {
        Option[] topology = sharedTopology(IsolationIT.class, PREFIX, "1", "2", "3", "4");
        return new Option[] {topology[0], CoreOptions.systemProperty(BROKEN_JAR).value(brokenJar())};
    }

    /** The broken bundle built by the reactor before this module. */
    private static String brokenJar() {
        return reactorJar("broken-cubes", "pcn-itest-broken-cubes");
    }

    private static synchronized List<Netns> topology() {
        if (hosts == null) {
            List<Netns> made = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                Netns ns = Netns.named(PREFIX + i).addAddress(ip(i) + "/24").withGro();
                // nothing of their own (IPv6 router solicitations, MLD) into a slow path whose packet_ins are counted
                Netns.runChecked("ip", "netns", "exec", ns.name(), "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
                Netns.runChecked("ip", "netns", "exec", ns.name(), "sysctl", "-qw", "net.ipv6.conf.eth0.disable_ipv6=1");
                if (i >= 3) {
                    // its datagrams go to a cube's slow path, nowhere else: no ARP to answer
                    Netns.runChecked("ip", "-n", ns.name(), "neigh", "add", sink(i), "lladdr", "02:00:00:00:0" + i + ":99",
                            "dev", "eth0");
                }
                made.add(ns);
            }
            hosts = made;
        }
        return hosts;
    }

    private static String ip(int host) {
        return host <= 2 ? "10.215.0." + host : "10.215." + (host - 2) + ".1";
    }

    private static String sink(int host) {
        return "10.215." + (host - 2) + ".99";
    }

    @Test
    public void tc() throws Exception {
        brokenBundleNextToWorkingCubes("TC");
    }

    @Test
    public void xdpDriver() throws Exception {
        brokenBundleNextToWorkingCubes("XDP_DRV");
    }

    private void brokenBundleNextToWorkingCubes(String type) throws Exception {
        List<Netns> h = topology();
        awaitCubeTypes("simplebridge", "helloworld");
        String suffix = type.toLowerCase().replace('_', '-');
        String bridge = DATA + "/pcn-simplebridge:simplebridge=iso-br-" + suffix;
        String hello = DATA + "/pcn-helloworld:helloworld=iso-hello-" + suffix;
        String helloName = "iso-hello-" + suffix;
        String stuckName = "iso-stuck-" + suffix;
        create(bridge, "{\"pcn-simplebridge:simplebridge\":[{\"name\":\"iso-br-" + suffix + "\",\"type\":\"" + type
                + "\",\"ports\":[{\"name\":\"p1\",\"peer\":\"" + PREFIX + "1a\"},{\"name\":\"p2\",\"peer\":\"" + PREFIX
                + "2a\"}]}]}");
        // WARN: the hello it logs per packet stays out of the log (the rate is read from the metrics)
        create(hello, "{\"pcn-helloworld:helloworld\":[{\"name\":\"" + helloName + "\",\"type\":\"" + type
                + "\",\"loglevel\":\"WARN\",\"ports\":[{\"name\":\"p\",\"peer\":\"" + PREFIX + "3a\"}],"
                + "\"actions\":[{\"port\":\"p\",\"action\":\"SLOWPATH\"}]}]}");
        Bundle broken = null;
        try {
            waitFor(type + " 1 -> 2", Duration.ofSeconds(15), () -> Traffic.pingsReceived(h.get(0), ip(2)) == 3);
            long before = slowPathDelivered(helloName, h);
            assertEquals(type + ": helloworld's slow path takes every packet_in before", SLOW_COUNT, before);

            Probe probe = Probe.start(http());
            List<Long> operations = new ArrayList<>();
            long deliveredUnderStress;
            long stuckDrops;
            Flood.Result stuckFlood;
            // long enough for every step on a loaded CI machine (they took up to 13 s there)
            Flood flood = Flood.start(h.get(0), h.get(1), ip(2), FLOOD_PPS, Duration.ofSeconds(20));
            Flood.Result r;
            try {
                sleep(1000);
                operations.add(System.currentTimeMillis());
                broken = bundleContext.installBundle("file:" + System.getProperty(BROKEN_JAR));
                broken.start();
                awaitCubeTypes("stuck", "unverifiable");
                operations.add(System.currentTimeMillis());

                // The API reports the type that never came up, with its exception's message.
                String framework = http().get(FRAMEWORK).body();
                assertContains(framework, "\"component\":\"io.polycube.itest.brokencubes.ThrowingType\"");
                assertContains(framework, "\"state\":\"activation-failed\"");
                assertContains(framework, THROWING_REASON);
                assertTrue(framework, !framework.contains("\"name\":\"throwing\""));

                // An instance of the type whose data path the verifier refuses: refused with the verifier's words,
                // nothing left behind.
                String bad = DATA + "/pcn-unverifiable:unverifiable=iso-bad-" + suffix;
                Http.Response refused = http().put(bad, "{\"pcn-unverifiable:unverifiable\":[{\"name\":\"iso-bad-" + suffix
                        + "\",\"type\":\"" + type + "\"}]}");
                operations.add(System.currentTimeMillis());
                assertTrue(refused.status() + " " + refused.body(), refused.status() >= 400 && refused.status() < 500);
                assertContains(refused.body(), "invalid access to packet");
                assertEquals(404, http().get(bad).status());
                assertTrue(!http().get(FRAMEWORK).body().contains("iso-bad-" + suffix));

                // The stuck cube, flooded: its lane fills and drops; helloworld's slow path keeps its rate.
                String stuck = DATA + "/pcn-stuck:stuck=" + stuckName;
                create(stuck, "{\"pcn-stuck:stuck\":[{\"name\":\"" + stuckName + "\",\"type\":\"" + type
                        + "\",\"ports\":[{\"name\":\"p\",\"peer\":\"" + PREFIX + "4a\"}]}]}");
                operations.add(System.currentTimeMillis());
                Flood toStuck = Flood.start(h.get(3), h.get(3), sink(4), STUCK_PPS, Duration.ofSeconds(5));
                try {
                    sleep(500);
                    operations.add(System.currentTimeMillis());
                    deliveredUnderStress = slowPathDelivered(helloName, h);
                    operations.add(System.currentTimeMillis());
                } finally {
                    stuckFlood = toStuck.await();
                }
                stuckDrops = metric("pcn_slowpath_queue_drops_total", "stuck", stuckName);
                long stuckTaken = metric("pcn_slowpath_events_total", "stuck", stuckName);
                System.out.println(type + ": stuck cube flooded with " + stuckFlood.sent() + " datagrams: its handler took "
                        + stuckTaken + ", its lane dropped " + stuckDrops);
                assertTrue("the stuck handler holds its first packet_in: " + stuckTaken, stuckTaken <= 1);

                // Deleting the stuck instance waits (boundedly) for its handler; then the bundle goes.
                operations.add(System.currentTimeMillis());
                assertEquals(204, http().delete(stuck).status());
                operations.add(System.currentTimeMillis());
                broken.uninstall();
                broken = null;
                waitFor("the broken types gone", Duration.ofSeconds(30), () -> {
                    String body = http().get(FRAMEWORK).body();
                    return !body.contains("ThrowingType") && !body.contains("\"name\":\"stuck\"");
                });
                operations.add(System.currentTimeMillis());
            } finally {
                r = flood.await();
            }
            Probe.Summary probed = probe.stop();
            System.out.println(type + ": broken bundle installed, used and removed during a flood through simplebridge: " + r
                    + "; RESTCONF probe " + probed + "; helloworld's slow path took " + before + " of " + SLOW_COUNT
                    + " before and " + deliveredUnderStress + " of " + SLOW_COUNT + " while the stuck cube was flooded");
            r.assertOperationsInside("broken-bundle operation", operations, Duration.ofMillis(200), FLOOD_PPS);
            // Two floods and a Karaf on two cores: with a 4 MB socket buffer the receiver overflowed (7,192 of
            // 700,000 in one run); it holds seconds of the flood now (Flood), so every datagram sent must arrive.
            assertEquals(type + ": the bridge's flood while the broken bundle came and went: " + r, 0, r.lost());
            assertTrue(type + ": the stuck cube's lane dropped (it was full): " + stuckDrops, stuckDrops > 0);
            assertEquals(type + ": helloworld's slow path keeps its rate while the stuck one is flooded", SLOW_COUNT,
                    deliveredUnderStress);
            probed.assertAllAnswered();
            assertEquals(type + " still forwards", 3, Traffic.pingsReceived(h.get(1), ip(1)));
        } finally {
            if (broken != null) {
                broken.uninstall();
            }
            assertEquals(204, http().delete(hello).status());
            assertEquals(204, http().delete(bridge).status());
        }
    }

    private void create(String path, String body) {
        Http.Response created = http().put(path, body);
        assertEquals(created.body(), 201, created.status());
    }

    /** Sends SLOW_COUNT datagrams at SLOW_PPS from host 3 into helloworld's SLOWPATH port; how many its handler got. */
    private long slowPathDelivered(String instance, List<Netns> h) {
        long before = metric("pcn_slowpath_events_total", "helloworld", instance);
        Flood.Result sent = Flood.send(h.get(2), h.get(2), sink(3), SLOW_COUNT, SLOW_PPS);
        assertEquals("datagrams sent to the slow path: " + sent, SLOW_COUNT, sent.sent());
        // The lane hands records over asynchronously: wait until the count stops moving.
        long[] last = {-1};
        waitFor("helloworld's slow path to settle", Duration.ofSeconds(10), () -> {
            long now = metric("pcn_slowpath_events_total", "helloworld", instance);
            boolean settled = now == last[0];
            last[0] = now;
            if (!settled) {
                sleep(300);
            }
            return settled;
        });
        return last[0] - before;
    }

    /** A counter of /metrics with labels cube_type and instance (0 if the series is not there). */
    private long metric(String name, String cubeType, String instance) {
        String body = http().get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{cube_type=\"" + Pattern.quote(cubeType)
                + "\",instance=\"" + Pattern.quote(instance) + "\"} ([0-9.eE+]+)$").matcher(body);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    /** GETs the framework model every 100 ms on its own thread, recording statuses and the slowest answer. */
    private static final class Probe {
        record Summary(int requests, List<String> failures, long slowestMillis) {
            void assertAllAnswered() {
                assertTrue("RESTCONF answered every probe: " + failures, failures.isEmpty());
                assertTrue("RESTCONF probes answered", requests > 50);
            }

            @Override
            public String toString() {
                return requests + " GETs, " + failures.size() + " failed, slowest " + slowestMillis + " ms";
            }
        }

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<String> failures = new ArrayList<>();
        private final Thread thread;
        private int requests;
        private long slowest;

        private Probe(Http http) {
            thread = new Thread(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        Http.Response response = http.get(FRAMEWORK);
                        if (response.status() != 200) {
                            failures.add(response.status() + " " + response.body());
                        }
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    synchronized (this) {
                        requests++;
                        slowest = Math.max(slowest, millis);
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "pcn-isolation-probe");
            thread.start();
        }

        static Probe start(Http http) {
            return new Probe(http);
        }

        Summary stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
            synchronized (this) {
                return new Summary(requests, List.copyOf(failures), slowest);
            }
        }
    }
}
