// SPDX-License-Identifier: Apache-2.0
// This file contains polycubed run as an operator runs it: the distribution unpacked, started, stopped, killed.
package io.polycube.osgi.itests;

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
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The distribution unpacked under {@code target/<name>-*}, with ports, bpffs root, injector names and saved
 * file of its own ({@code tag}: 6 hex digits), run in failsafe's JVM without Pax Exam: {@code bin/start},
 * {@code bin/stop}, or {@code kill -9} of the JVM (its PID is in {@code karaf.pid}; {@code bin/karaf} is only
 * its parent). {@link #close} kills what still runs, removes the bpffs root and keeps the log beside.
 */
final class PolycubedProcess implements AutoCloseable {
    static final Duration BOOT = Duration.ofSeconds(300);

    private final String name;
    private final Path work;
    private final Path home;
    private final Http http;
    private final String bpffs;
    private final String injector;
    private final int sshPort;

    PolycubedProcess(String name, String tag) throws IOException {
        this.name = name;
        this.bpffs = "/sys/fs/bpf/pcn" + tag + "r";
        this.injector = "pcn" + tag + "i";
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        work = Files.createTempDirectory(target, name + "-");
        Netns.runChecked("tar", "xzf", DistributionArchive.fromSystemProperty().file().toString(), "-C", work.toString());
        try (Stream<Path> top = Files.list(work)) {
            home = top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        int port = freePort();
        http = new Http(port);
        set("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(port));
        sshPort = freePort();
        set("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(sshPort));
        set("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(freePort()));
        set("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(freePort()));
        String repo = System.getProperty("org.ops4j.pax.url.mvn.localRepository");
        if (repo != null) {
            set("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", repo);
        }
        set("etc/io.polycube.core.cfg", "bpffs.root", bpffs);
        set("etc/io.polycube.core.cfg", "injector.prefix", injector);
        set("etc/io.polycube.core.cfg", "persistence.file", savedFile().toString());
    }

    Http http() {
        return http;
    }

    /** {@link #http()} giving up on a request after 2 s: for readiness probes across a restart. */
    Http probe() {
        return http.withTimeout(Duration.ofSeconds(2));
    }

    Path home() {
        return home;
    }

    Path savedFile() {
        return work.resolve("state/running.json");
    }

    String bpffsRoot() {
        return bpffs;
    }

    /** {@code bin/start}, then waits until {@code ready} holds (RESTCONF being unreachable meanwhile is fine). */
    void start(BooleanSupplier ready) {
        Netns.runChecked(home.resolve("bin/start").toString());
        await("polycubed ready", () -> {
            try {
                return ready.getAsBoolean();
            } catch (UncheckedIOException e) {
                return false;
            }
        });
    }

    /** {@code bin/stop}, then waits for the JVM to exit; kills it by PID after 60 s. */
    void stop() {
        Optional<ProcessHandle> jvm = jvm();
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

    /**
     * Runs console commands over ssh ({@code bin/client} as the admin, batch mode: the commands on its stdin;
     * given as arguments, this client closes the session without running them); its output.
     */
    String console(String... commands) {
        try {
            Process client = new ProcessBuilder(home.resolve("bin/client").toString(), "-a", Integer.toString(sshPort),
                    "-u", Http.ADMIN_USER, "-p", Http.ADMIN_PASSWORD, "-r", "30", "-d", "1", "-b")
                    .redirectErrorStream(true).start();
            try (var in = client.getOutputStream()) {
                in.write((String.join("\n", commands) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            String output = new String(client.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!client.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || client.exitValue() != 0) {
                client.destroyForcibly();
                throw new AssertionError("console " + List.of(commands) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code kill -9} of the JVM; returns once it is gone. */
    void kill() {
        ProcessHandle jvm = jvm().orElseThrow(() -> new AssertionError("polycubed is not running"));
        Netns.runChecked("kill", "-9", Long.toString(jvm.pid()));
        try {
            jvm.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("polycubed's JVM did not die after kill -9", e);
        }
    }

    Optional<ProcessHandle> jvm() {
        try {
            Path file = home.resolve("karaf.pid");
            return Files.exists(file)
                    ? ProcessHandle.of(Long.parseLong(Files.readString(file).trim())).filter(ProcessHandle::isAlive)
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    String log() throws IOException {
        return Files.readString(home.resolve("data/log/karaf.log"));
    }

    void set(String cfg, String key, String value) throws IOException {
        Path file = home.resolve(cfg);
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        List<String> kept = new java.util.ArrayList<>(lines.stream()
                .filter(l -> !l.trim().matches(Pattern.quote(key) + "\\s*[=:].*")).toList());
        kept.add(key + " = " + value);
        Files.write(file, kept);
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            jvm().ifPresent(ProcessHandle::destroyForcibly);
            Netns.run(Netns.DEFAULT_TIMEOUT, "ip", "link", "del", injector + "0");
            Netns.run(Netns.DEFAULT_TIMEOUT, "rm", "-rf", bpffs);
            Netns.run(Netns.DEFAULT_TIMEOUT, "cp", home.resolve("data/log/karaf.log").toString(),
                    work.getParent().resolve(name + "-karaf.log").toString());
            Netns.run(Netns.DEFAULT_TIMEOUT, "rm", "-rf", work.toString());
        }
    }

    static void await(String what, BooleanSupplier condition) {
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
