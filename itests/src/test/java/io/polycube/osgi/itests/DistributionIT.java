// SPDX-License-Identifier: Apache-2.0
// This file contains the smoke test of the polycubed distribution: features, bundles, HTTP port, namespaces.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionIT extends PcnTestSupport {

    @Test
    public void bootFeaturesAreStarted() {
        String out = executeCommand("feature:list -i");
        for (String feature : new String[] {"pcn-core", "pcn-simplefwd"}) {
            assertTrue(feature + " not installed:\n" + out, out.lines()
                    .anyMatch(l -> l.startsWith(feature + " ") && l.contains("Started")));
        }
        assertServiceAvailable(ServiceComponentRuntime.class);
    }

    @Test
    public void noBundleFailed() {
        assertBundleActive("io.polycube.core");
        assertBundleActive("io.polycube.dataplane");
        assertBundleActive("io.polycube.cube.simplefwd");
        assertBundleActive("com.sun.jna");
        // Boot features install bundles in batches: a bundle may sit RESOLVED (not yet started, not STARTING)
        // for a while after the first test runs, longer on a loaded machine. Wait for every bundle to be
        // started; one that never starts still fails below with the list.
        Instant deadline = Instant.now().plus(DEFAULT_TIMEOUT);
        while (!unhealthyBundles().isEmpty() && Instant.now().isBefore(deadline)) {
            sleep(200);
        }
        assertEquals("unhealthy bundles", java.util.List.of(), unhealthyBundles());
        // Karaf's extended states (blueprint/DS): the State column must never say Failure or GracePeriod.
        String out = executeCommand("bundle:list -t 0");
        assertFalse(out, out.lines().anyMatch(l -> l.matches("\\s*\\d+\\s*\\|\\s*(Failure|GracePeriod)\\s*\\|.*")));
    }

    @Test
    public void httpPortAnswers() {
        // Jetty listens on the configured port and the RESTCONF servlet answers the datastore root.
        Http.Response response = http().awaitReachable("/restconf/data", DEFAULT_TIMEOUT);
        waitFor("GET /restconf/data answers 200 (last: " + response.status() + ")", DEFAULT_TIMEOUT,
            () -> http().get("/restconf/data").status() == 200);
    }

    @Test
    public void namespacesAreCreatedAddressedAndRemoved() {
        String nameA;
        String hostA;
        String nameB;
        String hostB;
        try (Netns a = Netns.create("10.201.1.1/24"); Netns b = Netns.create("10.201.2.1/24")) {
            nameA = a.name();
            hostA = a.hostIfName();
            nameB = b.name();
            hostB = b.hostIfName();
            for (Netns ns : new Netns[] {a, b}) {
                assertTrue(Netns.namespaceExists(ns.name()));
                assertTrue(ns.hostIfName() + " missing in the root namespace", Netns.linkExists(ns.hostIfName()));
                String addr = Netns.runChecked("ip", "-n", ns.name(), "-4", "addr", "show", "dev", "eth0").output();
                assertTrue(addr, addr.contains(ns.addresses().get(0)));
                // The namespace's own address answers (eth0 and lo are up); the two are not connected.
                Netns.Result ping = ns.ping(ns.addresses().get(0).split("/")[0], 1);
                assertTrue(ping.output(), ping.ok());
                assertTrue(ns.mac().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"));
            }
        }
        for (String ns : new String[] {nameA, nameB}) {
            assertFalse(ns + " left behind", Netns.namespaceExists(ns));
        }
        for (String link : new String[] {hostA, hostB}) {
            assertFalse(link + " left behind", Netns.linkExists(link));
        }
    }

    @Test
    public void failedNamespaceSetupLeavesNothingBehind() {
        String before = Netns.runChecked("ip", "netns", "list").output();
        try {
            Netns.create("192.168.7.1/24"); // outside 10/8: refused after the namespace was created
            throw new AssertionError("expected IllegalArgumentException");
        } catch (IllegalArgumentException expected) {
            assertEquals(before, Netns.runChecked("ip", "netns", "list").output());
        }
    }
}
