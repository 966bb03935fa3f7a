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
 * XDP_DRV (one pair of hosts each), with a transparent protofilter on the ingress of its port p1 that drops what a
 * second address of the first host sends (a chain of two cube types, which come back one after the other). While 50,000 datagrams/s cross the bridge, the JVM is killed with
 * {@code kill -9}, stays dead for a while, and is started again: the pinned data path forwards on its own
 * meanwhile, the new polycubed takes it over from the pins (no re-attach, no flap), every datagram arrives,
 * the configuration, the learned entries and the counters are those of before, and the kernel holds as many
 * polycubed programs, maps and links as before (nothing duplicated, nothing leaked). Then {@code bin/stop} keeps
 * the cubes forwarding (dataplane.keep.on.stop) and, with that setting false, clears everything. The same checks
 * for {@code bundle:update} (and refresh) of pcn-core, then of pcn-dataplane-native, under the flood.
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

    @org.junit.Rule
    public final org.junit.rules.TestName test = new org.junit.rules.TestName();

    @Before
    public void unpack() throws IOException {
        polycubed = new PolycubedProcess("crash-" + test.getMethodName().substring(0, 12), tag);
        for (int i = 1; i <= 4; i++) {
            Netns host = Netns.named("pcn" + tag + i).addAddress(ip(i) + "/24").withGro();
            hosts.add(i % 2 == 1 ? host.addAddress(blocked(i) + "/24") : host);
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

    /** The second address of host 1 or 3, whose packets the protofilter drops. */
    private static String blocked(int host) {
        return (host <= 2 ? "10.216.1." : "10.216.2.") + (100 + host);
    }

    @Test
    public void theDataPathOutlivesKillAndIsTakenOverAfterTheRestart() throws Exception {
        start();
        String tc = bridge("crash-tc", "TC", hosts.get(0), hosts.get(1), blocked(1));
        String xdp = bridge("crash-xdp", "XDP_DRV", hosts.get(2), hosts.get(3), blocked(3));
        // A µCube reloaded at runtime (not called by simplebridge: no change to its traffic) comes back after the kill.
        Path slave = polycubed.home().resolve("slave.c");
        Files.writeString(slave, "#include <pcn/cube.h>\n"
                + "static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)\n"
                + "{ return RX_DROP; }\n");
        polycubed.console("pcn:reload crash-tc 5 " + slave);
        int reloadedId = slaveProgram("crash-tc", 5);
        String reloadedTag = tag(reloadedId);
        // the boot competes with the flood's SCHED_FIFO programs for 2 cores: 17-30 s until the instance answers
        underFlood("TC", "kill -9 and restart", tc, hosts.get(0), hosts.get(1), ip(2), Duration.ofSeconds(45),
                this::killAndRestart);
        int restoredId = slaveProgram("crash-tc", 5);
        assertTrue("the reloaded µCube loaded again by the new polycubed: " + reloadedId + " -> " + restoredId,
                restoredId != reloadedId);
        assertEquals("the same code", reloadedTag, tag(restoredId));
        underFlood("XDP_DRV", "kill -9 and restart", xdp, hosts.get(2), hosts.get(3), ip(4), Duration.ofSeconds(45),
                this::killAndRestart);

        // A clean stop keeps the data plane too (dataplane.keep.on.stop, default true): forwarding with polycubed down.
        polycubed.stop();
        assertTrue("polycubed is stopped", polycubed.jvm().isEmpty());
        for (Netns host : hosts) {
            assertTrue("still attached after bin/stop", !PcnTestSupport.tcPrograms(host.hostIfName()).isEmpty()
                    || Netns.runChecked("ip", "-d", "link", "show", "dev", host.hostIfName()).output().contains("prog/xdp"));
        }
        assertEquals("TC forwards with polycubed stopped", 3, Traffic.pingsReceived(hosts.get(0), ip(2)));
        assertEquals("XDP forwards with polycubed stopped", 3, Traffic.pingsReceived(hosts.get(2), ip(4)));
        assertEquals(List.of("crash-tc", "crash-tc-f", "crash-xdp", "crash-xdp-f"), pinned());
        assertEquals("the filter still drops with polycubed stopped", 0, pingsFrom(hosts.get(0), blocked(1), ip(2)));

        // The explicit option clears it: started (taking over), then stopped with keep.on.stop = false.
        polycubed.set("etc/io.polycube.core.cfg", "dataplane.keep.on.stop", "false");
        start();
        PolycubedProcess.await("every instance back", () -> probeStatus(tc) == 200 && probeStatus(xdp) == 200
                && probeStatus(filterOf(tc)) == 200 && probeStatus(filterOf(xdp)) == 200);
        polycubed.stop();
        for (Netns host : hosts) {
            assertEquals("nothing attached after a clearing stop", List.of(), PcnTestSupport.tcPrograms(host.hostIfName()));
            assertTrue(!Netns.runChecked("ip", "-d", "link", "show", "dev", host.hostIfName()).output().contains("prog/xdp"));
        }
        assertEquals("nothing pinned after a clearing stop", List.of(), pinned());
    }

    /**
     * {@code bundle:update} of pcn-core and the refresh that rewires its cube bundles (the core stops, every cube
     * bundle stops, all start again) while the flood crosses the bridge: the stopping core leaves the data path
     * (dataplane.keep.on.stop), the updated one takes it over.
     */
    @Test
    public void anUpdateOfTheCoreKeepsForwardingAndTakesTheDataPathOver() throws Exception {
        start();
        String tc = bridge("upd-tc", "TC", hosts.get(0), hosts.get(1), blocked(1));
        String xdp = bridge("upd-xdp", "XDP_DRV", hosts.get(2), hosts.get(3), blocked(3));
        // bundle:update alone leaves the cube bundles wired to the old revision (the new core would see no cube type);
        // then the same for pcn-dataplane-native, whose refresh restarts the core and every cube bundle too
        underFlood("TC", "bundle:update of pcn-core and pcn-dataplane-native", tc, hosts.get(0), hosts.get(1), ip(2),
                Duration.ofSeconds(25), () -> updateCoreAndDataplane(tc));
        underFlood("XDP_DRV", "bundle:update of pcn-core and pcn-dataplane-native", xdp, hosts.get(2), hosts.get(3),
                ip(4), Duration.ofSeconds(25), () -> updateCoreAndDataplane(xdp));
    }

    private void updateCoreAndDataplane(String path) {
        polycubed.console("bundle:update io.polycube.core", "bundle:refresh io.polycube.core");
        PolycubedProcess.await("the bridge and its filter served after the core's update", () -> probeStatus(path) == 200
                && probeStatus(filterOf(path)) == 200);
        polycubed.console("bundle:update io.polycube.dataplane", "bundle:refresh io.polycube.dataplane");
    }

    private void killAndRestart() {
        polycubed.kill();
        PcnTestSupport.sleep(DEAD.toMillis());
        // dead: nothing of polycubed runs, the kernel forwards on its own
        assertTrue("polycubed is dead", polycubed.jvm().isEmpty());
        start();
    }

    /** The program in slot {@code slot} of an instance's pinned ingress µCube prog array, by the kernel's tool. */
    private int slaveProgram(String instance, int slot) {
        String json = Netns.runChecked("bpftool", "-j", "map", "lookup", "pinned", polycubed.bpffsRoot()
                + "/instances/" + instance + "/maps/pcn_ingress_progs", "key", Integer.toString(slot), "0", "0", "0")
                .output();
        Matcher m = Pattern.compile("\"value\":\\[\"0x(..)\",\"0x(..)\",\"0x(..)\",\"0x(..)\"").matcher(json);
        assertTrue(json, m.find());
        return Integer.parseInt(m.group(4) + m.group(3) + m.group(2) + m.group(1), 16);
    }

    /** The kernel's tag (a hash of the instructions) of program {@code id}. */
    private static String tag(int id) {
        String json = Netns.runChecked("bpftool", "-j", "prog", "show", "id", Integer.toString(id)).output();
        Matcher m = Pattern.compile("\"tag\":\"([0-9a-f]+)\"").matcher(json);
        assertTrue(json, m.find());
        return m.group(1);
    }

    private List<String> pinned() throws IOException {
        Path root = Path.of(polycubed.bpffsRoot(), "instances");
        try (Stream<Path> left = Files.exists(root) ? Files.list(root) : Stream.empty()) {
            return left.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private int probeStatus(String path) {
        try {
            return polycubed.probe().get(path).status();
        } catch (java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /** A simplebridge between {@code one} and {@code two}, and on its p1 ingress a filter dropping {@code drop}. */
    private String bridge(String name, String hook, Netns one, Netns two, String drop) {
        String path = DATA + "/pcn-simplebridge:simplebridge=" + name;
        Http.Response created = polycubed.http().put(path, "{\"pcn-simplebridge:simplebridge\":[{\"name\":\"" + name
                + "\",\"type\":\"" + hook + "\",\"aging-time\":300,\"ports\":[{\"name\":\"p1\",\"peer\":\""
                + one.hostIfName() + "\"},{\"name\":\"p2\",\"peer\":\"" + two.hostIfName() + "\"}]}]}");
        assertEquals(created.body(), 201, created.status());
        Http.Response filter = polycubed.http().put(filterOf(path), "{\"pcn-protofilter:protofilter\":[{\"name\":\""
                + name + "-f\",\"type\":\"" + hook + "\",\"parent\":\"" + name + ":p1\",\"direction\":\"INGRESS\","
                + "\"position\":\"first\",\"source-ipv4\":[{\"prefix\":\"" + drop + "/32\",\"action\":\"DROP\"}]}]}");
        assertEquals(filter.body(), 201, filter.status());
        return path;
    }

    /** The protofilter on the bridge at {@code bridgePath}. */
    private static String filterOf(String bridgePath) {
        return DATA + "/pcn-protofilter:protofilter=" + bridgePath.replaceAll(".*=", "") + "-f";
    }

    /** Replies to 3 pings from {@code source}, an address of {@code from}, to {@code ip}. */
    private static int pingsFrom(Netns from, String source, String ip) {
        Matcher m = Pattern.compile("(\\d+) received").matcher(
                from.exec("ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", "-I", source, ip).output());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private void underFlood(String hook, String what, String path, Netns from, Netns to, String toIp, Duration length,
            Runnable operation) throws Exception {
        String fromIp = from.addresses().get(0).replaceAll("/.*", "");
        String dropped = from.addresses().get(1).replaceAll("/.*", "");
        PolycubedProcess.await(hook + " forwards", () -> Traffic.pingsReceived(from, toIp) == 3
                && Traffic.pingsReceived(to, fromIp) == 3);
        assertEquals(hook + ": the filter drops " + dropped, 0, pingsFrom(from, dropped, toIp));
        String configBefore = canonicalConfig();
        String fdbBefore = polycubed.http().get(path + "/fdb").body();
        assertTrue(fdbBefore, fdbBefore.contains(from.mac()) && fdbBefore.contains(to.mac()));
        long rxBefore = rxPackets(path);
        KernelCount kernelBefore = KernelCount.now();

        List<Long> operations = new ArrayList<>();
        Flood flood = Flood.start(from, to, toIp, FLOOD_PPS, length);
        Flood.Result r;
        long downMillis;
        try {
            PcnTestSupport.sleep(1500);
            operations.add(System.currentTimeMillis());
            operation.run();
            operations.add(System.currentTimeMillis());
            PolycubedProcess.await("the bridge and its filter served again", () -> probeStatus(path) == 200
                    && probeStatus(filterOf(path)) == 200);
            downMillis = System.currentTimeMillis() - operations.get(0);
            operations.add(System.currentTimeMillis());
        } finally {
            r = flood.await();
        }
        System.out.println(hook + ": " + what + " during a flood through protofilter and simplebridge: " + r
                + "; both instances served again " + downMillis + " ms after it began");
        r.assertOperationsInside(what, operations, Duration.ofMillis(200), FLOOD_PPS);
        assertEquals(hook + ": " + what + " under a flood: " + r, 0, r.lost());

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
        System.out.println(hook + ": kernel objects of polycubed before the " + what + " " + kernelBefore + ", after "
                + kernelAfter[0]);
        assertEquals(hook + " still forwards both ways", 3, Traffic.pingsReceived(to, fromIp));
        assertEquals(hook + ": the filter still drops " + dropped, 0, pingsFrom(from, dropped, toIp));
    }

    /** {@code bin/start}, then waits until both cube types of the chain are registered (each comes on its own). */
    private void start() {
        polycubed.start(() -> polycubed.probe().get(DATA + "/pcn-simplebridge:simplebridge=nobody").body()
                .contains("data-missing")
                && polycubed.probe().get(DATA + "/pcn-protofilter:protofilter=nobody").body().contains("data-missing"));
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
