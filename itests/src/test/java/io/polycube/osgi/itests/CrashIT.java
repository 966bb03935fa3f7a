// SPDX-License-Identifier: Apache-2.0
// This file contains the crash test: kill -9 of polycubed while a flood crosses its cubes, then a restart.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * polycubed run as its own process ({@link PolycubedProcess}), a simplebridge between two namespaces, TC and
 * XDP_DRV (one pair of hosts each). While 50,000 datagrams/s cross the bridge, the JVM is killed with
 * {@code kill -9}, stays dead for a while, and is started again: the pinned data path forwards on its own
 * meanwhile, the new polycubed takes it over from the pins (no re-attach, no flap), every datagram arrives,
 * the configuration, the learned entries and the counters are those of before, and the kernel holds as many
 * polycubed programs, maps and links as before (nothing duplicated, nothing leaked).
 */
public class CrashIT {
    private static final String DATA = "/restconf/data";
    private static final String CONFIG = DATA + "?content=config";
    private static final int FLOOD_PPS = 50_000;
    /** How long polycubed stays dead before it is started again. */
    private static final Duration DEAD = Duration.ofSeconds(3);

    private final String tag = String.format("%06x", ThreadLocalRandom.current().nextInt(0x1000000));
    private PolycubedProcess polycubed;
    private final List<Netns> hosts = new ArrayList<>();

    @Before
    public void unpack() throws IOException {
        polycubed = new PolycubedProcess("crash", tag);
        for (int i = 1; i <= 4; i++) {
            hosts.add(Netns.named("pcn" + tag + i).addAddress(ip(i) + "/24").withGro());
        }
    }

    @After
    public void cleanUp() {
        try {
            if (polycubed != null) {
                polycubed.close();
            }
        } finally {
            hosts.forEach(Netns::close);
        }
    }

    private static String ip(int host) {
        return (host <= 2 ? "10.216.1." : "10.216.2.") + host;
    }

    @Test
    public void theDataPathOutlivesKillAndIsTakenOverAfterTheRestart() throws Exception {
        start();
        String tc = bridge("crash-tc", "TC", hosts.get(0), hosts.get(1));
        String xdp = bridge("crash-xdp", "XDP_DRV", hosts.get(2), hosts.get(3));
        crashUnderFlood("TC", tc, hosts.get(0), hosts.get(1), ip(2));
        crashUnderFlood("XDP_DRV", xdp, hosts.get(2), hosts.get(3), ip(4));

        // A clean stop still takes everything down; nothing of ours stays pinned.
        polycubed.stop();
        for (Netns host : hosts) {
            assertEquals("nothing attached after a clean stop", List.of(), PcnTestSupport.tcPrograms(host.hostIfName()));
        }
        try (Stream<Path> left = Files.exists(Path.of(polycubed.bpffsRoot(), "instances"))
                ? Files.list(Path.of(polycubed.bpffsRoot(), "instances")) : Stream.empty()) {
            assertEquals("no instance pinned after a clean stop", List.of(), left.toList());
        }
    }

    private String bridge(String name, String hook, Netns one, Netns two) {
        String path = DATA + "/pcn-simplebridge:simplebridge=" + name;
        Http.Response created = polycubed.http().put(path, "{\"pcn-simplebridge:simplebridge\":[{\"name\":\"" + name
                + "\",\"type\":\"" + hook + "\",\"aging-time\":300,\"ports\":[{\"name\":\"p1\",\"peer\":\""
                + one.hostIfName() + "\"},{\"name\":\"p2\",\"peer\":\"" + two.hostIfName() + "\"}]}]}");
        assertEquals(created.body(), 201, created.status());
        return path;
    }

    private void crashUnderFlood(String hook, String path, Netns from, Netns to, String toIp) throws Exception {
        PolycubedProcess.await(hook + " forwards", () -> Traffic.pingsReceived(from, toIp) == 3
                && Traffic.pingsReceived(to, from.addresses().get(0).replaceAll("/.*", "")) == 3);
        String configBefore = canonicalConfig();
        String fdbBefore = polycubed.http().get(path + "/fdb").body();
        assertTrue(fdbBefore, fdbBefore.contains(from.mac()) && fdbBefore.contains(to.mac()));
        long rxBefore = rxPackets(path);
        KernelCount kernelBefore = KernelCount.now();

        List<Long> operations = new ArrayList<>();
        Flood flood = Flood.start(from, to, toIp, FLOOD_PPS, Duration.ofSeconds(45));
        Flood.Result r;
        long downMillis;
        try {
            PcnTestSupport.sleep(1500);
            operations.add(System.currentTimeMillis());
            polycubed.kill();
            PcnTestSupport.sleep(DEAD.toMillis());
            // dead: nothing of polycubed runs, the kernel forwards on its own
            assertTrue("polycubed is dead", polycubed.jvm().isEmpty());
            long restart = System.currentTimeMillis();
            operations.add(restart);
            start();
            PolycubedProcess.await("the instance served again", () -> {
                try {
                    return polycubed.probe().get(path).status() == 200;
                } catch (java.io.UncheckedIOException e) {
                    return false;
                }
            });
            downMillis = System.currentTimeMillis() - operations.get(0);
            operations.add(System.currentTimeMillis());
        } finally {
            r = flood.await();
        }
        System.out.println(hook + ": kill -9 of polycubed during a flood through simplebridge: " + r + "; dead "
                + DEAD.toMillis() + " ms, RESTCONF back " + downMillis + " ms after the kill");
        r.assertOperationsInside("kill/restart", operations, Duration.ofMillis(200), FLOOD_PPS);
        assertEquals(hook + ": kill -9 and restart under a flood: " + r, 0, r.lost());

        assertEquals("the configuration of before", configBefore, canonicalConfig());
        String fdbAfter = polycubed.http().get(path + "/fdb").body();
        assertTrue("the entries learned before, kept: " + fdbAfter, fdbAfter.contains(from.mac()) && fdbAfter.contains(to.mac()));
        long rxAfter = rxPackets(path);
        assertTrue("p1 rx-packets " + rxBefore + " -> " + rxAfter + " after " + r.sent() + " datagrams: counted on",
                rxAfter >= rxBefore + r.sent());
        // The programs of the dead polycubed go once nothing holds them (an RCU grace period or so).
        KernelCount[] kernelAfter = {null};
        PolycubedProcess.await("the kernel to hold what it held before (" + kernelBefore + ")", () -> {
            kernelAfter[0] = KernelCount.now();
            return kernelAfter[0].equals(kernelBefore);
        });
        System.out.println(hook + ": kernel objects of polycubed before the kill " + kernelBefore + ", after the restart "
                + kernelAfter[0]);
        assertEquals(hook + " still forwards both ways", 3, Traffic.pingsReceived(to, from.addresses().get(0)
                .replaceAll("/.*", "")));
    }

    private void start() {
        polycubed.start(() -> polycubed.probe().get(DATA + "/pcn-simplebridge:simplebridge=nobody").body()
                .contains("data-missing"));
    }

    private String canonicalConfig() {
        Http.Response now = polycubed.http().get(CONFIG);
        return now.status() == 200 ? JsonText.canonical(now.body()) : now.status() + " " + now.body();
    }

    private long rxPackets(String path) {
        String body = polycubed.http().get(path + "/ports=p1?content=nonconfig").body();
        Matcher m = Pattern.compile("\"rx-packets\":\"?(\\d+)").matcher(body);
        assertTrue(body, m.find());
        return Long.parseLong(m.group(1));
    }

    /** polycubed's objects in the whole kernel, by the kernel's own tool: programs and maps named pcn_*, links. */
    record KernelCount(long programs, long maps, long links) {
        static KernelCount now() {
            return new KernelCount(count("prog", "\"name\":\"pcn_"), count("map", "\"name\":\"pcn_"),
                    count("link", "\"id\":"));
        }

        private static long count(String object, String needle) {
            String json = Netns.runChecked("bpftool", "-j", object, "show").output();
            return Pattern.compile(Pattern.quote(needle)).matcher(json).results().count();
        }
    }
}
