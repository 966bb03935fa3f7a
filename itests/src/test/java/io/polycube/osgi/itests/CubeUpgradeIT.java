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
 * entries and the port counters of before are still there after.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CubeUpgradeIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(CubeUpgradeIT.class);
    private static final String LIST = "/restconf/data/pcn-simplebridge:simplebridge";
    private static final String BUNDLE = "io.polycube.cube.simplebridge";
    private static final int FLOOD_PPS = 50_000;

    private static List<Netns> hosts;

    @Override
    protected Set<String> excludedBootFeatures() {
        return Set.of("pcn-helloworld", "pcn-bridge", "pcn-router");
    }

    @Override
    protected Option[] additionalOptions() {
        return sharedTopology(CubeUpgradeIT.class, PREFIX, "1", "2");
    }

    private static synchronized List<Netns> topology() {
        if (hosts == null) {
            hosts = List.of(host(1), host(2));
        }
        return hosts;
    }

    private static Netns host(int i) {
        Netns ns = Netns.named(PREFIX + i).addAddress(ip(i) + "/24");
        // XDP_DRV redirects into a veth need GRO (or XDP) at its far end
        Netns.runChecked("ip", "netns", "exec", ns.name(), "ethtool", "-K", "eth0", "gro", "on");
        return ns;
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

    private void updateUnderFlood(String type) {
        List<Netns> h = topology();
        http().awaitReachable("/restconf/data", DEFAULT_TIMEOUT);
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
            System.out.println("bundle:update of simplebridge (" + type + ") during a flood: " + r);
            for (long at : operations) {
                assertTrue("update at " + at + " outside the flood " + r.startMillis() + ".." + r.endMillis(),
                        r.covers(at, Duration.ofMillis(200)));
            }
            assertTrue(r.toString(), r.packetsPerSecond() > FLOOD_PPS * 0.8);
            assertEquals(type + ": bundle:update under a flood: " + r, 0, r.lost());
            assertEquals(r.toString(), 0, r.failed());
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

    private long rxPackets(String path, String port) {
        String body = http().get(path + "/ports=" + port + "?content=nonconfig").body();
        Matcher m = Pattern.compile("\"rx-packets\":\"?(\\d+)").matcher(body);
        assertTrue(body, m.find());
        return Long.parseLong(m.group(1));
    }
}
