// SPDX-License-Identifier: Apache-2.0
// This file contains the test that a cube bundle is updated under a flood without losing a packet or its state.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * {@code bundle:update} of the simplebridge bundle (Bundle.update(), what the console command calls) while a
 * 50,000 datagrams/s flood crosses a simplebridge between two namespaces, in TC and XDP_DRV: the cube type
 * leaves, its instance keeps forwarding as an orphan, the new registration adopts it (new programs swapped
 * in, every map kept). Shown: every datagram arrives, the update happened inside the flood, the learned
 * entries and the port counters of before are still there after. And µCube reloads with new code under the
 * same flood, through a simplefwd: a SLAVE, then the MASTER (which from then on hands ICMP to that SLAVE), then
 * the SLAVE again with code that drops ICMP: every datagram arrives, and pings show each new behaviour.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CubeUpgradeIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(CubeUpgradeIT.class);
    private static final String LIST = "/restconf/data/pcn-simplebridge:simplebridge";
    private static final String BUNDLE = "io.polycube.cube.simplebridge";
    private static final int FLOOD_PPS = 50_000;
    private static final String SIMPLEFWD_SOURCE = "pcn.test.simplefwd.source";
    private static final String NEXT_JAR = "pcn.test.simplebridge.next.jar";
    private static final String OVERSIZED_JAR = "pcn.test.simplebridge.oversized.jar";
    private static final String RESTRICTED_JAR = "pcn.test.simplebridge.restricted.jar";
    /** UDP port 9: simplebridge 0.2.0 (itests/simplebridge-next) drops datagrams to it, the shipped one does not. */
    private static final int DISCARD = 9;

    private static List<Netns> hosts;

    @Override
    protected Set<String> excludedBootFeatures() {
        return Set.of("pcn-helloworld", "pcn-bridge", "pcn-router", "pcn-protofilter");
    }

    @Override
    protected Option[] additionalOptions() {
        Option[] topology = sharedTopology(CubeUpgradeIT.class, PREFIX, "1", "2");
        // Resolved here, in the build's JVM (its directory is itests/), for the container, which runs elsewhere.
        String source = java.nio.file.Path.of("../cube-bundles/simplefwd/src/main/c/simplefwd.bpf.c").toAbsolutePath()
                .normalize().toString();
        return new Option[] {topology[0],
            org.ops4j.pax.exam.CoreOptions.systemProperty(SIMPLEFWD_SOURCE).value(source),
            org.ops4j.pax.exam.CoreOptions.systemProperty(NEXT_JAR)
                .value(reactorJar("simplebridge-next", "pcn-itest-simplebridge-next")),
            org.ops4j.pax.exam.CoreOptions.systemProperty(OVERSIZED_JAR)
                .value(reactorJar("simplebridge-oversized", "pcn-itest-simplebridge-oversized")),
            org.ops4j.pax.exam.CoreOptions.systemProperty(RESTRICTED_JAR)
                .value(reactorJar("simplebridge-restricted", "pcn-itest-simplebridge-restricted"))};
    }

    private static synchronized List<Netns> topology() {
        if (hosts == null) {
            hosts = List.of(host(1), host(2));
        }
        return hosts;
    }

    private static Netns host(int i) {
        return Netns.named(PREFIX + i).addAddress(ip(i) + "/24").withGro();
    }

    private static String ip(int i) {
        return "10.214.0." + i;
    }

    @Test
    public void tc() {
        updateUnderFlood("TC");
    }

    @Test
    public void xdpDriver() {
        updateUnderFlood("XDP_DRV");
    }

    @Test
    public void reloadsTc() throws Exception {
        reloadsUnderFlood("TC");
    }

    @Test
    public void reloadsXdpDriver() throws Exception {
        reloadsUnderFlood("XDP_DRV");
    }

    /** SLAVE µCube 1, version 1: sends a packet on out of the other port (ports 0 and 1). */
    private static final String SLAVE_FORWARDS = "#include <pcn/cube.h>\n"
            + "static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)\n"
            + "{ return pcn_pkt_redirect(ctx, md, md->in_port ^ 1); }\n";
    /** SLAVE µCube 1, version 2: drops. */
    private static final String SLAVE_DROPS = "#include <pcn/cube.h>\n"
            + "static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)\n"
            + "{ return RX_DROP; }\n";

    /** simplefwd's own source with one change: ICMP goes to SLAVE µCube 1, the rest as before. */
    private static String masterHandingIcmpToSlave1() throws java.io.IOException {
        String source = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty(SIMPLEFWD_SOURCE)));
        String entry = "{\n    __u32 in = md->in_port;";
        assertTrue("simplefwd's handle_rx starts as this test expects", source.contains(entry));
        return source.replace(entry, "{\n"
                + "    struct ethhdr *eth = pcn_data(ctx);\n"
                + "    struct iphdr *ip = (void *)(eth + 1);\n"
                + "    if ((void *)(ip + 1) <= pcn_data_end(ctx) && eth->h_proto == bpf_htons(ETH_P_IP) && ip->protocol == 1)\n"
                + "        return call_ingress_program(ctx, md, 1);\n"
                + "    __u32 in = md->in_port;");
    }

    private void reloadsUnderFlood(String type) throws Exception {
        List<Netns> h = topology();
        awaitCubeTypes("simplefwd");
        io.polycube.core.api.Polycube polycube = assertServiceAvailable(io.polycube.core.api.Polycube.class);
        String master = masterHandingIcmpToSlave1();
        String name = "rl-" + type.toLowerCase().replace('_', '-');
        String path = "/restconf/data/pcn-simplefwd:simplefwd=" + name;
        Http.Response created = http().put(path, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"" + name + "\",\"type\":\""
                + type + "\",\"ports\":[{\"name\":\"pa\",\"peer\":\"" + PREFIX + "1a\"},{\"name\":\"pb\",\"peer\":\""
                + PREFIX + "2a\"}],\"actions\":[{\"inport\":\"pa\",\"action\":\"FORWARD\",\"outport\":\"pb\"},"
                + "{\"inport\":\"pb\",\"action\":\"FORWARD\",\"outport\":\"pa\"}]}]}");
        assertEquals(created.body(), 201, created.status());
        try {
            waitFor(type + " 1 -> 2", Duration.ofSeconds(15), () -> Traffic.pingsReceived(h.get(0), ip(2)) == 3);
            List<Long> operations = new ArrayList<>();
            int[] pings = new int[2];
            Flood flood = Flood.start(h.get(0), h.get(1), ip(2), FLOOD_PPS, Duration.ofSeconds(8));
            Flood.Result r;
            try {
                sleep(1000);
                operations.add(System.currentTimeMillis());
                polycube.reload(name, 1, new io.polycube.core.spi.DataplaneCode.Source(SLAVE_FORWARDS));
                operations.add(System.currentTimeMillis());
                polycube.reload(name, 0, new io.polycube.core.spi.DataplaneCode.Source(master));
                operations.add(System.currentTimeMillis());
                pings[0] = Traffic.pingsReceived(h.get(0), ip(2));
                polycube.reload(name, 1, new io.polycube.core.spi.DataplaneCode.Source(SLAVE_DROPS));
                operations.add(System.currentTimeMillis());
                pings[1] = Traffic.pingsReceived(h.get(0), ip(2));
                operations.add(System.currentTimeMillis());
            } finally {
                r = flood.await();
            }
            System.out.println("µCube reloads (" + type + ") during a flood: " + r + "; pings " + pings[0] + "/3 then "
                    + pings[1] + "/3");
            r.assertOperationsInside("reload", operations, Duration.ofMillis(200), FLOOD_PPS);
            // Each reload compiles the C source (clang, seconds of CPU on 2 cores): with a 4 MB socket buffer the
            // receiver overflowed (2,433 in one CI run); it holds seconds of the flood now (Flood), so every
            // datagram sent must arrive.
            assertEquals(type + ": three µCube reloads under a flood: " + r, 0, r.lost());
            assertEquals("ICMP through the new MASTER and SLAVE 1 (forwards)", 3, pings[0]);
            assertEquals("ICMP dropped by the new SLAVE 1", 0, pings[1]);
        } finally {
            assertEquals(204, http().delete(path).status());
        }
    }

    private void updateUnderFlood(String type) {
        List<Netns> h = topology();
        awaitCubeTypes("simplebridge");
        String name = "up-" + type.toLowerCase().replace('_', '-');
        String path = LIST + "=" + name;
        Http.Response created = http().put(path, "{\"pcn-simplebridge:simplebridge\":[{\"name\":\"" + name + "\",\"type\":\""
                + type + "\",\"aging-time\":300,\"ports\":[{\"name\":\"p1\",\"peer\":\"" + PREFIX + "1a\"},"
                + "{\"name\":\"p2\",\"peer\":\"" + PREFIX + "2a\"}]}]}");
        assertEquals(created.body(), 201, created.status());
        try {
            // A native XDP attach re-creates the veth's queues: the first packets may meet it half-way.
            waitFor(type + " 1 -> 2", Duration.ofSeconds(15), () -> Traffic.pingsReceived(h.get(0), ip(2)) == 3);
            String fdbBefore = http().get(path + "/fdb").body();
            for (Netns host : h) {
                assertContains(fdbBefore, host.mac());
            }
            long rxBefore = rxPackets(path, "p1");

            Bundle bundle = bundle(BUNDLE);
            long idBefore = bundle.getBundleId();
            List<Long> operations = new ArrayList<>();
            Flood flood = Flood.start(h.get(0), h.get(1), ip(2), FLOOD_PPS, Duration.ofSeconds(8));
            Flood.Result r;
            try {
                sleep(1500);
                operations.add(System.currentTimeMillis());
                bundle.update();
                // Adopted: the type is back (its module served again) and the instance answers with its config.
                waitFor("the instance served again after the update", Duration.ofSeconds(30),
                        () -> http().get(path).status() == 200);
                operations.add(System.currentTimeMillis());
            } catch (org.osgi.framework.BundleException e) {
                throw new AssertionError("bundle update failed", e);
            } finally {
                r = flood.await();
            }
            System.out.println("bundle:update of simplebridge (" + type + ") during a flood: " + r + "; the instance "
                    + "answered RESTCONF again " + (operations.get(1) - operations.get(0)) + " ms after the update began");
            r.assertOperationsInside("update", operations, Duration.ofMillis(200), FLOOD_PPS);
            assertEquals(type + ": bundle:update under a flood: " + r, 0, r.lost());
            assertEquals("the same bundle, updated in place", idBefore, bundle(BUNDLE).getBundleId());
            assertEquals(Bundle.ACTIVE, bundle(BUNDLE).getState());

            // Kernel state kept: the entries learned before (no ping since, for host 1's reverse direction) and
            // counters that went on counting instead of starting again.
            String fdbAfter = http().get(path + "/fdb").body();
            for (Netns host : h) {
                assertContains(fdbAfter, host.mac());
            }
            long rxAfter = rxPackets(path, "p1");
            assertTrue("p1 rx-packets " + rxBefore + " -> " + rxAfter + " after " + r.sent() + " datagrams",
                    rxAfter >= rxBefore + r.sent());
            assertEquals(type + " still forwards after the update", 3, Traffic.pingsReceived(h.get(1), ip(1)));
        } finally {
            assertEquals(204, http().delete(path).status());
        }
    }

    @Test
    public void featureUpgradeTc() throws Exception {
        featureUpgradesUnderFlood("TC");
    }

    @Test
    public void featureUpgradeXdpDriver() throws Exception {
        featureUpgradesUnderFlood("XDP_DRV");
    }

    /**
     * {@code feature:install -u} of newer versions of pcn-simplebridge while a flood crosses an instance: 0.2.0
     * (same tables, drops datagrams to the discard port) takes it over; 0.3.0 (an fdb of 8192 entries where the
     * instance has 4096) is refused for it, reported, and 0.2.0's data path forwards on unchanged; so is 0.4.0,
     * whose YANG model does not take the instance's saved aging-time; the shipped version, installed again, takes
     * it back. Learned entries and counters live through all four.
     */
    private void featureUpgradesUnderFlood(String type) throws Exception {
        List<Netns> h = topology();
        awaitCubeTypes("simplebridge");
        String shipped = bundle(BUNDLE).getVersion().toString();
        // 0.1.0.SNAPSHOT, where bnd gave the bundle a timestamp for its qualifier
        String shippedFeature = java.util.Arrays.stream(featuresService.listInstalledFeatures())
                .filter(f -> f.getName().equals("pcn-simplebridge")).findFirst().orElseThrow().getVersion();
        java.nio.file.Path repository = featureRepository();
        executeCommand("feature:repo-add " + repository.toUri());
        String name = "fu-" + type.toLowerCase().replace('_', '-');
        String path = LIST + "=" + name;
        Http.Response created = http().put(path, "{\"pcn-simplebridge:simplebridge\":[{\"name\":\"" + name
                + "\",\"type\":\"" + type + "\",\"aging-time\":300,\"ports\":[{\"name\":\"p1\",\"peer\":\"" + PREFIX
                + "1a\"},{\"name\":\"p2\",\"peer\":\"" + PREFIX + "2a\"}]}]}");
        assertEquals(created.body(), 201, created.status());
        try {
            waitFor(type + " 1 -> 2", Duration.ofSeconds(15), () -> Traffic.pingsReceived(h.get(0), ip(2)) == 3
                    && Traffic.pingsReceived(h.get(1), ip(1)) == 3);
            String config = JsonText.canonical(http().get(path + "?content=config").body());
            long rxBefore = rxPackets(path, "p1");
            assertEquals(shipped + " forwards datagrams to the discard port", 50, discardArrivals(h));
            assertEquals(shipped, cube(name).get("code-version").getAsString());

            // 0.2.0: compatible tables, new behaviour
            List<Long> operations = new ArrayList<>();
            Flood flood = Flood.start(h.get(0), h.get(1), ip(2), FLOOD_PPS, Duration.ofSeconds(20));
            Flood.Result first;
            try {
                sleep(1500);
                operations.add(System.currentTimeMillis());
                executeCommand("feature:install -u pcn-simplebridge/0.2.0", Duration.ofMinutes(3));
                waitFor("0.2.0 runs " + name, Duration.ofSeconds(30), () -> runs(name, "0.2.0")
                        && http().get(path).status() == 200);
                operations.add(System.currentTimeMillis());
            } finally {
                first = flood.await();
            }
            System.out.println("feature:install -u pcn-simplebridge/0.2.0 (" + type + ") during a flood: " + first
                    + "; the instance ran 0.2.0 " + (operations.get(1) - operations.get(0)) + " ms after the command began");
            first.assertOperationsInside("feature upgrade", operations, Duration.ofMillis(200), FLOOD_PPS);
            assertEquals(type + ": feature:install of 0.2.0 under a flood: " + first, 0, first.lost());
            assertEquals("0.2.0 is the bundle now", "0.2.0", bundle(BUNDLE).getVersion().toString());
            assertEquals("0.2.0 drops datagrams to the discard port", 0, discardArrivals(h));
            assertEquals("0.2.0 forwards the rest", 50, Traffic.udpArrivals(h.get(0), h.get(1), ip(2)));
            assertLearnedAndCounted(path, h, rxBefore, first.sent());
            assertEquals("the configuration of before", config,
                    JsonText.canonical(http().get(path + "?content=config").body()));

            // 0.3.0: its fdb map does not fit the instance's; 0.4.0: its model does not take the saved aging-time;
            // both refused, and 0.2.0's data path forwards on
            String attached = attachedPrograms(type, h);
            operations.clear();
            List<Refused> refused = new ArrayList<>();
            flood = Flood.start(h.get(0), h.get(1), ip(2), FLOOD_PPS, Duration.ofSeconds(45));
            Flood.Result second;
            try {
                sleep(1500);
                operations.add(System.currentTimeMillis());
                for (String version : List.of("0.3.0", "0.4.0")) {
                    executeCommand("feature:install -u pcn-simplebridge/" + version, Duration.ofMinutes(3));
                    waitFor(version + " refused for " + name, Duration.ofSeconds(30), () -> bundle(BUNDLE).getVersion()
                            .toString().equals(version) && "upgrade-refused".equals(state(name)));
                    operations.add(System.currentTimeMillis());
                    refused.add(new Refused(cube(name).get("reason").getAsString(), http().get(path).status(),
                            attachedPrograms(type, h), discardArrivals(h)));
                    operations.add(System.currentTimeMillis());
                }
                executeCommand("feature:install -u pcn-simplebridge/" + shippedFeature, Duration.ofMinutes(3));
                waitFor(shipped + " runs " + name + " again", Duration.ofSeconds(30), () -> runs(name, shipped)
                        && http().get(path).status() == 200);
                operations.add(System.currentTimeMillis());
            } finally {
                second = flood.await();
            }
            System.out.println("feature:install -u pcn-simplebridge/0.3.0 and /0.4.0 (refused), then /" + shipped + " ("
                    + type + ") during a flood: " + second + "; refused with: " + refused.get(0).reason() + " | "
                    + refused.get(1).reason());
            second.assertOperationsInside("refused upgrade and downgrade", operations, Duration.ofMillis(200), FLOOD_PPS);
            assertEquals(type + ": refused upgrades and downgrade under a flood: " + second, 0, second.lost());
            String tables = refused.get(0).reason();
            assertTrue(tables, tables.contains("upgrade to simplebridge 0.3.0 refused for " + name)
                    && tables.contains("max_entries 8192") && tables.contains("max_entries 4096")
                    && tables.contains("simplebridge 0.2.0 goes on forwarding"));
            String model = refused.get(1).reason();
            assertTrue(model, model.contains("upgrade to simplebridge 0.4.0 refused for " + name)
                    && model.contains("simplebridge 0.2.0 goes on forwarding")
                    && model.contains("does not fit the new YANG model") && model.contains("300"));
            for (Refused r : refused) {
                assertEquals("the refused version attached nothing", attached, r.attached());
                assertEquals("0.2.0's data path still ran while the refused version was installed", 0, r.discard());
                assertEquals("the instance's saved configuration is parked, not applied", 404, r.resource());
            }
            assertEquals(shipped + " again forwards datagrams to the discard port", 50, discardArrivals(h));
            assertLearnedAndCounted(path, h, rxBefore, first.sent() + second.sent());
            assertEquals("the configuration of before", config,
                    JsonText.canonical(http().get(path + "?content=config").body()));
            assertEquals(type + " still forwards", 3, Traffic.pingsReceived(h.get(1), ip(1)));
        } finally {
            try {
                if (!bundle(BUNDLE).getVersion().toString().equals(shipped)) {
                    executeCommand("feature:install -u pcn-simplebridge/" + shippedFeature, Duration.ofMinutes(3));
                }
                executeCommand("feature:repo-remove " + repository.toUri());
                waitFor(shipped + " runs " + name, Duration.ofSeconds(30), () -> runs(name, shipped));
            } finally {
                assertEquals(204, http().delete(path).status());
            }
        }
    }

    /**
     * What was seen while a refused version was installed: pcn-polycubed's reason, the status of the instance's
     * resource, the programs attached to the hosts' devices, datagrams to the discard port that arrived.
     */
    private record Refused(String reason, int resource, String attached, long discard) {
    }

    /** A feature repository with pcn-simplebridge 0.2.0, 0.3.0 and 0.4.0, the jars the reactor built for this test. */
    private static java.nio.file.Path featureRepository() throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("pcn-simplebridge-versions", ".xml");
        file.toFile().deleteOnExit();
        java.nio.file.Files.writeString(file, "<features name=\"pcn-simplebridge-versions\" "
                + "xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n"
                + feature("0.2.0", System.getProperty(NEXT_JAR)) + feature("0.3.0", System.getProperty(OVERSIZED_JAR))
                + feature("0.4.0", System.getProperty(RESTRICTED_JAR))
                + "</features>\n");
        return file;
    }

    private static String feature(String version, String jar) {
        return "  <feature name=\"pcn-simplebridge\" version=\"" + version + "\">\n    <feature>pcn-core</feature>\n"
                + "    <bundle>" + java.nio.file.Path.of(jar).toUri() + "</bundle>\n  </feature>\n";
    }

    /** Datagrams to the discard port that arrived, of 50 sent from host 1 to host 2. */
    private static long discardArrivals(List<Netns> h) {
        Flood.Result r = Flood.sendToPort(h.get(0), h.get(1), ip(2), DISCARD, 50, 1000);
        assertEquals("sent to the discard port: " + r, 50, r.sent());
        return r.received();
    }

    private void assertLearnedAndCounted(String path, List<Netns> h, long rxBefore, long sent) {
        String fdb = http().get(path + "/fdb").body();
        for (Netns host : h) {
            assertContains(fdb, host.mac());
        }
        long rxAfter = rxPackets(path, "p1");
        assertTrue("p1 rx-packets " + rxBefore + " -> " + rxAfter + " after " + sent + " datagrams: counted on",
                rxAfter >= rxBefore + sent);
    }

    /** The instance's entry in pcn-polycubed's cube list. */
    private com.google.gson.JsonObject cube(String name) {
        com.google.gson.JsonObject model = polycubedModel();
        com.google.gson.JsonObject cube = byName(model.getAsJsonArray("cube")).get(name);
        assertTrue("no cube " + name + " in " + model, cube != null);
        return cube;
    }

    private String state(String name) {
        return cube(name).get("state").getAsString();
    }

    private boolean runs(String name, String version) {
        com.google.gson.JsonObject cube = cube(name);
        return cube.get("state").getAsString().equals("running") && cube.get("code-version").getAsString().equals(version);
    }

    /** What is attached to the hosts' devices, as the kernel reports it: TCX program ids, or the XDP program's. */
    private static String attachedPrograms(String type, List<Netns> h) {
        StringBuilder out = new StringBuilder();
        for (Netns host : h) {
            if (type.equals("TC")) {
                out.append(host.hostIfName()).append(' ').append(tcPrograms(host.hostIfName())).append('\n');
            } else {
                Matcher m = Pattern.compile("prog/xdp id (\\d+)").matcher(
                        Netns.runChecked("ip", "-d", "link", "show", "dev", host.hostIfName()).output());
                out.append(host.hostIfName()).append(' ').append(m.find() ? m.group(1) : "none").append('\n');
            }
        }
        return out.toString();
    }

    private long rxPackets(String path, String port) {
        String body = http().get(path + "/ports=" + port + "?content=nonconfig").body();
        Matcher m = Pattern.compile("\"rx-packets\":\"?(\\d+)").matcher(body);
        assertTrue(body, m.find());
        return Long.parseLong(m.group(1));
    }
}
