// SPDX-License-Identifier: Apache-2.0
// This file contains the real restart test: the unpacked distribution runs as its own process, is stopped and started again.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
    private static final Duration BOOT = Duration.ofSeconds(300);
    private static final String DATA = "/restconf/data";
    private static final String CONFIG = DATA + "?content=config";
    private static final String IP_A = "10.204.0.1";
    private static final String IP_B = "10.204.0.2";

    private final String tag = String.format("%06x", ThreadLocalRandom.current().nextInt(0x1000000));
    private final String bpffs = "/sys/fs/bpf/pcn" + tag + "r";
    private final String injector = "pcn" + tag + "i";
    private Path work;
    private Path home;
    private Path saved;
    private Http http;
    private Netns a;
    private Netns b;

    @Before
    public void unpack() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        work = Files.createTempDirectory(target, "restart-");
        Netns.runChecked("tar", "xzf", DistributionArchive.fromSystemProperty().file().toString(), "-C", work.toString());
        try (Stream<Path> top = Files.list(work)) {
            home = top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        int port = freePort();
        http = new Http(port);
        set("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(port));
        set("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort()));
        set("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(freePort()));
        set("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(freePort()));
        String repo = System.getProperty("org.ops4j.pax.url.mvn.localRepository");
        if (repo != null) {
            set("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", repo);
        }
        saved = work.resolve("state/running.json");
        set("etc/io.polycube.core.cfg", "bpffs.root", bpffs);
        set("etc/io.polycube.core.cfg", "injector.prefix", injector);
        set("etc/io.polycube.core.cfg", "persistence.file", saved.toString());
        a = Netns.named("pcn" + tag + "1").addAddress(IP_A + "/24");
        b = Netns.named("pcn" + tag + "2").addAddress(IP_B + "/24");
    }

    @After
    public void cleanUp() {
        try {
            stop();
        } finally {
            pid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            Netns.run(Netns.DEFAULT_TIMEOUT, "ip", "link", "del", injector + "0");
            Netns.run(Netns.DEFAULT_TIMEOUT, "rm", "-rf", bpffs);
            if (work != null) {
                // Keep the container log of the last run for a failure report.
                Netns.run(Netns.DEFAULT_TIMEOUT, "cp", home.resolve("data/log/karaf.log").toString(),
                        work.getParent().resolve("RestartIT-karaf.log").toString());
                Netns.run(Netns.DEFAULT_TIMEOUT, "rm", "-rf", work.toString());
            }
        }
    }

    @Test
    public void theConfigurationSurvivesStopAndStartAndATruncatedFile() throws IOException {
        start();
        assertEquals(201, http.put(DATA + "/pcn-simplefwd:simplefwd=fwd1",
                PersistenceIT.fwd("fwd1", a.hostIfName(), "fwd2:pa")).status());
        assertEquals(201, http.put(DATA + "/pcn-simplefwd:simplefwd=fwd2",
                PersistenceIT.fwd("fwd2", "fwd1:pb", b.hostIfName())).status());
        Http.Response pf = http.put(DATA + "/pcn-protofilter:protofilter=pf1", PersistenceIT.FILTER);
        assertEquals(pf.body(), 201, pf.status());
        PersistenceIT.assertFiltered(a, b, IP_A, IP_B);
        String configured = JsonText.canonical(http.get(CONFIG).body());

        stop();
        assertEquals("nothing left attached after stop", List.of(), PcnTestSupport.tcPrograms(a.hostIfName()));
        assertEquals(0, Traffic.pingsReceived(a, IP_B));
        start();
        await("the configuration replayed after a restart", () -> configured.equals(canonicalConfig()));
        PersistenceIT.assertFiltered(a, b, IP_A, IP_B);

        stop();
        String whole = Files.readString(saved);
        Files.writeString(saved, whole.substring(0, whole.length() / 3));
        start();
        await("the configuration replayed from the last good copy", () -> configured.equals(canonicalConfig()));
        PersistenceIT.assertFiltered(a, b, IP_A, IP_B);
        try (Stream<Path> files = Files.list(saved.getParent())) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith("running.json.corrupt-")).count());
        }
        String log = Files.readString(home.resolve("data/log/karaf.log"));
        assertTrue("the bad file is reported", Pattern.compile("ERROR.*running.json does not parse.*moved aside")
                .matcher(log).find());
    }

    private String canonicalConfig() {
        Http.Response now = http.get(CONFIG);
        return now.status() == 200 ? JsonText.canonical(now.body()) : now.status() + " " + now.body();
    }

    private void start() {
        Netns.runChecked(home.resolve("bin/start").toString());
        // A 404 with an RFC 8040 body: the RESTCONF servlet answers (Jetty's own 404 has none) and knows the module.
        await("RESTCONF answers with both cube types", () -> {
            try {
                return http.get(DATA + "/pcn-simplefwd:simplefwd=nobody").body().contains("data-missing")
                        && http.get(DATA + "/pcn-protofilter:protofilter=nobody").body().contains("data-missing");
            } catch (UncheckedIOException e) {
                return false;
            }
        });
    }

    /** {@code bin/stop}, then waits for the JVM to exit; kills it by PID after 60 s. */
    private void stop() {
        Optional<ProcessHandle> jvm = pid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (jvm.isEmpty()) {
            return;
        }
        Netns.run(Duration.ofSeconds(60), home.resolve("bin/stop").toString());
        try {
            jvm.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            jvm.get().destroyForcibly();
            fail("polycubed did not stop within 60 s; killed");
        }
    }

    private Optional<Long> pid() {
        try {
            Path file = home.resolve("karaf.pid");
            return Files.exists(file) ? Optional.of(Long.parseLong(Files.readString(file).trim())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void set(String cfg, String key, String value) throws IOException {
        Path file = home.resolve(cfg);
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        List<String> kept = new java.util.ArrayList<>(lines.stream()
                .filter(l -> !l.trim().matches(Pattern.quote(key) + "\\s*[=:].*")).toList());
        kept.add(key + " = " + value);
        Files.write(file, kept);
    }

    private static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(BOOT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("timed out after " + BOOT + " waiting for " + what);
            }
            PcnTestSupport.sleep(250);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
