// SPDX-License-Identifier: Apache-2.0
// This file contains the real restart test: the unpacked distribution runs as its own process, is stopped and started again.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * polycubed as an operator runs it: the distribution unpacked under {@code target/}, started with
 * {@code bin/start}, configured over HTTP, stopped with {@code bin/stop} and started again; then stopped,
 * its saved file truncated, and started again. Runs in failsafe's JVM (no Pax Exam). Ports, bpffs root,
 * injector names and the saved file are of this run; the JVM is killed by its PID if it does not stop.
 */
public class RestartIT {
    private static final String DATA = "/restconf/data";
    private static final String CONFIG = DATA + "?content=config";
    private static final String IP_A = "10.204.0.1";
    private static final String IP_B = "10.204.0.2";

    private final String tag = String.format("%06x", ThreadLocalRandom.current().nextInt(0x1000000));
    private PolycubedProcess polycubed;
    private Netns a;
    private Netns b;

    @Before
    public void unpack() throws IOException {
        polycubed = new PolycubedProcess("restart", tag);
        // a stop that takes the data plane down (CrashIT shows the default, which keeps it)
        polycubed.set("etc/io.polycube.core.cfg", "dataplane.keep.on.stop", "false");
        a = Netns.named("pcn" + tag + "1").addAddress(IP_A + "/24");
        b = Netns.named("pcn" + tag + "2").addAddress(IP_B + "/24");
    }

    @After
    public void cleanUp() {
        try {
            if (polycubed != null) {
                polycubed.close();
            }
        } finally {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    public void theConfigurationSurvivesStopAndStartAndATruncatedFile() throws IOException {
        start();
        assertEquals(201, polycubed.http().put(DATA + "/pcn-simplefwd:simplefwd=fwd1",
                PersistenceIT.fwd("fwd1", a.hostIfName(), "fwd2:pa")).status());
        assertEquals(201, polycubed.http().put(DATA + "/pcn-simplefwd:simplefwd=fwd2",
                PersistenceIT.fwd("fwd2", "fwd1:pb", b.hostIfName())).status());
        Http.Response pf = polycubed.http().put(DATA + "/pcn-protofilter:protofilter=pf1", PersistenceIT.FILTER);
        assertEquals(pf.body(), 201, pf.status());
        PersistenceIT.assertFiltered(a, b, IP_A, IP_B);
        String configured = JsonText.canonical(polycubed.http().get(CONFIG).body());

        stop();
        assertEquals("nothing left attached after stop", List.of(), PcnTestSupport.tcPrograms(a.hostIfName()));
        assertEquals(0, Traffic.pingsReceived(a, IP_B));
        start();
        await("the configuration replayed after a restart", () -> configured.equals(canonicalConfig()));
        PersistenceIT.assertFiltered(a, b, IP_A, IP_B);

        stop();
        String whole = Files.readString(polycubed.savedFile());
        Files.writeString(polycubed.savedFile(), whole.substring(0, whole.length() / 3));
        start();
        await("the configuration replayed from the last good copy", () -> configured.equals(canonicalConfig()));
        PersistenceIT.assertFiltered(a, b, IP_A, IP_B);
        try (Stream<Path> files = Files.list(polycubed.savedFile().getParent())) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith("running.json.corrupt-")).count());
        }
        String log = polycubed.log();
        assertTrue("the bad file is reported", Pattern.compile("ERROR.*running.json does not parse.*moved aside")
                .matcher(log).find());
    }

    private String canonicalConfig() {
        Http.Response now = polycubed.http().get(CONFIG);
        return now.status() == 200 ? JsonText.canonical(now.body()) : now.status() + " " + now.body();
    }

    private void start() {
        polycubed.start(() -> polycubed.probe().get(DATA + "/pcn-simplefwd:simplefwd=nobody").body().contains("data-missing")
                && polycubed.probe().get(DATA + "/pcn-protofilter:protofilter=nobody").body().contains("data-missing"));
    }

    private void stop() {
        polycubed.stop();
    }

    private static void await(String what, BooleanSupplier condition) {
        PolycubedProcess.await(what, condition);
    }
}
