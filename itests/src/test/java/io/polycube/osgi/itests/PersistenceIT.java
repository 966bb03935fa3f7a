// SPDX-License-Identifier: Apache-2.0
// This file contains the restart tests inside one Karaf: the saved configuration comes back when pcn-core or a cube type restarts.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * A chain A → fwd1 → fwd2 → B with a transparent protofilter dropping UDP on fwd1:pa (TC). Restarting the
 * pcn-core bundle runs the same start-up path as a new polycubed (every instance is torn down at stop and
 * replayed from the saved file at start); a cube type that goes and comes back brings its instances back,
 * including the transparent cube whose parent is a port of an instance of the other type; a truncated file
 * is set aside and the last good copy used. (A real JVM restart: {@link RestartIT}.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class PersistenceIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(PersistenceIT.class);
    private static final String IP_A = "10.203.0.1";
    private static final String IP_B = "10.203.0.2";
    private static final String DATA = "/restconf/data";
    private static final String CONFIG = DATA + "?content=config";

    private static Netns a;
    private static Netns b;
    private static String configured;

    @Override
    protected Option[] additionalOptions() {
        return sharedTopology(PersistenceIT.class, PREFIX, "1", "2");
    }

    static String fwd(String name, String peerA, String peerB) {
        return "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"" + name + "\",\"type\":\"TC\","
                + "\"ports\":[{\"name\":\"pa\",\"peer\":\"" + peerA + "\"},{\"name\":\"pb\",\"peer\":\"" + peerB + "\"}],"
                + "\"actions\":[{\"inport\":\"pa\",\"action\":\"FORWARD\",\"outport\":\"pb\"},"
                + "{\"inport\":\"pb\",\"action\":\"FORWARD\",\"outport\":\"pa\"}]}]}";
    }

    static final String FILTER = "{\"pcn-protofilter:protofilter\":[{\"name\":\"pf1\",\"type\":\"TC\","
            + "\"parent\":\"fwd1:pa\",\"direction\":\"INGRESS\",\"position\":\"first\",\"drop-protocol\":[17]}]}";

    /** The namespaces and the configured chain, made once for the class. */
    /** The default: a stopped core leaves its cubes forwarding (a_restartingTheCoreReplaysTheChain checks it). */
    @Override
    protected boolean keepDataplaneOnStop() {
        return true;
    }

    private synchronized void chain() {
        if (configured != null) {
            return;
        }
        a = Netns.named(PREFIX + "1").addAddress(IP_A + "/24");
        b = Netns.named(PREFIX + "2").addAddress(IP_B + "/24");
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        waitFor("protofilter served", DEFAULT_TIMEOUT,
                () -> http().get(DATA + "/pcn-protofilter:protofilter=pf1").status() == 404);
        assertEquals(201, http().put(DATA + "/pcn-simplefwd:simplefwd=fwd1", fwd("fwd1", a.hostIfName(), "fwd2:pa")).status());
        assertEquals(201, http().put(DATA + "/pcn-simplefwd:simplefwd=fwd2", fwd("fwd2", "fwd1:pb", b.hostIfName())).status());
        Http.Response pf = http().put(DATA + "/pcn-protofilter:protofilter=pf1", FILTER);
        assertEquals(pf.body(), 201, pf.status());
        assertFiltered();
        configured = JsonText.canonical(http().get(CONFIG).body());
    }

    /** ICMP crosses both cubes; UDP from A is dropped by pf1, UDP from B passes. */
    static void assertFiltered(Netns a, Netns b, String ipA, String ipB) {
        assertEquals("A -> B through fwd1, fwd2", 3, Traffic.pingsReceived(a, ipB));
        long aToB = Traffic.udpArrivals(a, b, ipB);
        long bToA = Traffic.udpArrivals(b, a, ipA);
        assertEquals("UDP entering fwd1:pa must be dropped", 0, aToB);
        assertEquals("UDP from B passes", 50, bToA);
    }

    private static void assertFiltered() {
        assertFiltered(a, b, IP_A, IP_B);
    }

    private void awaitConfigured() {
        waitFor("the saved configuration replayed", DEFAULT_TIMEOUT, () -> {
            Http.Response now;
            try {
                now = http().get(CONFIG);
            } catch (RuntimeException e) {
                return false;
            }
            return now.status() == 200 && JsonText.canonical(now.body()).equals(configured);
        });
    }

    private void restart(String symbolicName, Runnable whileStopped) throws BundleException {
        Bundle bundle = bundle(symbolicName);
        bundle.stop();
        try {
            whileStopped.run();
        } finally {
            bundle.start(); // also after a failed check: the next test needs the bundle
        }
    }

    private static Path savedFile() {
        return Path.of(System.getProperty("pcn.persistence.file"));
    }

    @Test
    public void a_restartingTheCoreReplaysTheChain() throws BundleException {
        chain();
        List<Integer> before = tcPrograms(b.hostIfName());
        restart("io.polycube.core", () -> assertEquals("a stopped polycubed leaves its cubes attached "
                + "(dataplane.keep.on.stop)", before, tcPrograms(b.hostIfName())));
        awaitConfigured();
        assertFiltered();
    }

    @Test
    public void b_aCubeTypeThatGoesAndComesBackBringsItsInstancesBack() throws BundleException {
        chain();
        restart("io.polycube.cube.protofilter", () -> {
            waitFor("pf1 gone with its type", DEFAULT_TIMEOUT, () -> http().get(CONFIG).body().indexOf("pf1") < 0);
            // An orphan for the grace period (60 s): its data path keeps filtering without its control plane.
            assertEquals("UDP still dropped by the orphan pf1", 0, Traffic.udpArrivals(a, b, IP_B));
            // Saved: in the main file or in the journal of commits since its last full write.
            Path journal = savedFile().resolveSibling(savedFile().getFileName() + ".journal");
            assertTrue("pf1 stays saved", (read(savedFile()) + (Files.exists(journal) ? read(journal) : ""))
                    .contains("\"pf1\""));
        });
        awaitConfigured();
        assertFiltered();
        // The transparent cube stays while its parent's type is away, and is re-attached when fwd1 is back.
        restart("io.polycube.cube.simplefwd", () -> {
            waitFor("fwd1 gone with its type", DEFAULT_TIMEOUT, () -> http().get(CONFIG).body().indexOf("fwd1\"") < 0);
            assertEquals("the orphans fwd1 and fwd2 keep forwarding", 3, Traffic.pingsReceived(a, IP_B));
        });
        awaitConfigured();
        assertFiltered();
    }

    @Test
    public void c_aTruncatedFileIsSetAsideAndTheLastGoodCopyUsed() throws BundleException, IOException {
        chain();
        Path file = savedFile();
        restart("io.polycube.core", () -> {
            String whole = read(file);
            write(file, whole.substring(0, whole.length() / 2));
        });
        awaitConfigured();
        assertFiltered();
        try (Stream<Path> files = Files.list(file.getParent())) {
            List<String> aside = files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".corrupt-")).toList();
            assertEquals(aside.toString(), 1, aside.size());
        }
        assertTrue("the main file is whole again", read(file).trim().endsWith("}"));
        assertFalse(read(file).isEmpty());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
