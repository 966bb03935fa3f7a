// SPDX-License-Identifier: Apache-2.0
// This file contains the control-plane benchmark: polycubed (the built Karaf distribution) started in a
// scratch copy of its own, measured over real HTTP; run it through bench/control/run.
package io.polycube.bench.control;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Control-plane figures of issue 7, printed as {@code <metric> <value>} lines on stdout (details on
 * stderr): start-up to the first 200, instance creation latency (validate + load + attach, TC and
 * XDP), single-entry writes per second from 8 concurrent clients, RSS with 100 instances, and RSS
 * growth over a stream of hostile requests. Everything runs against a private copy of the
 * distribution (free ports, its own bpffs root, injector veths and persistence directory).
 */
public final class ControlBench {
    private static final String SIMPLEFWD = "/restconf/data/pcn-simplefwd:simplefwd";
    private static final String JSON = "application/yang-data+json";

    private final Path home;
    private final String prefix;
    private final int httpPort;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String auth = "Basic " + Base64.getEncoder().encodeToString("karaf:karaf".getBytes(StandardCharsets.UTF_8));

    private ControlBench(Path home, String prefix, int httpPort) {
        this.home = home;
        this.prefix = prefix;
        this.httpPort = httpPort;
    }

    public static void main(String[] args) throws Exception {
        Path assembly = Path.of(args.length > 0 ? args[0] : "karaf-features/distribution/target/assembly");
        int starts = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String prefix = String.format("pcnbc%04x", new Random().nextInt(0x10000));
        Path home = Files.createTempDirectory("pcnbench");
        ControlBench bench = new ControlBench(home, prefix, freePort());
        try {
            bench.install(assembly);
            bench.run(starts);
        } finally {
            bench.stop();
            bench.cleanup();
        }
    }

    private void run(int starts) throws Exception {
        List<Double> ready = new ArrayList<>();
        int startups = only("ready") ? starts : 1;
        for (int i = 0; i < startups; i++) {
            ready.add(start());
            if (i + 1 < startups) {
                stop();
            }
        }
        if (only("ready")) {
            print("polycubed.ready_s", median(ready), spread(ready));
        }
        veths(4);
        if (only("create")) {
            List<Double> tc = createLatencies("TC", 31);
            List<Double> xdp = createLatencies("XDP_SKB", 31);
            print("cube.create_p50_ms", median(tc), spread(tc));
            print("cube.create_xdp_skb_p50_ms", median(xdp), spread(xdp));
        }
        if (only("writes")) {
            List<Double> writes = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                writes.add(writesPerSecond(8, Duration.ofSeconds(5)));
            }
            print("restconf.writes_per_s", median(writes), spread(writes));
        }
        if (only("rss")) {
            print("polycubed.rss_mb_100_cubes", rssWith(100), "");
        }
        if (only("hostile")) {
            print("restconf.hostile_rss_growth_mb", hostileGrowth(10_000), "");
        }
        System.err.println("restconf.bulk_10k_entries_ms: not measured yet (no cube with a 10,000-entry table)");
    }

    /**
     * Whether to measure {@code metric} (ready, create, writes, rss, hostile): all unless the environment
     * variable {@code ONLY} lists some, comma-separated (e.g. {@code ONLY=rss,ready}).
     */
    private static boolean only(String metric) {
        String only = System.getenv("ONLY");
        return only == null || only.isBlank() || List.of(only.split("\\s*,\\s*")).contains(metric);
    }

    // ---- the distribution ----

    private void install(Path assembly) throws IOException, InterruptedException {
        if (!Files.isExecutable(assembly.resolve("bin/karaf"))) {
            throw new IllegalStateException(assembly + " is not a built distribution (run bench/control/run)");
        }
        sh("cp", "-a", assembly + "/.", home.toString());
        edit("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(httpPort));
        edit("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort()));
        edit("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(freePort()));
        edit("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(freePort()));
        // Its own patch panels, injector veths and persisted configuration: nothing shared with a real polycubed.
        // Appended, so the distribution's own JVM settings in bin/setenv stay as shipped.
        Files.writeString(home.resolve("bin/setenv"), "\nexport EXTRA_JAVA_OPTS=\"$EXTRA_JAVA_OPTS -Dpcn.bpffs.root=/sys/fs/bpf/"
            + prefix + " -Dpcn.injector.prefix=" + prefix + "j -Dpcn.persistence.file=" + home.resolve("persist/running.json")
            + "\"\n", java.nio.file.StandardOpenOption.APPEND);
    }

    private void edit(String file, String key, String value) throws IOException {
        Path path = home.resolve(file);
        List<String> lines = new ArrayList<>();
        boolean found = false;
        for (String line : Files.readAllLines(path)) {
            if (line.matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*")) {
                line = key + " = " + value;
                found = true;
            }
            lines.add(line);
        }
        if (!found) {
            lines.add(key + " = " + value);
        }
        Files.write(path, lines);
    }

    /** Starts polycubed and returns the seconds until {@code GET /restconf/data} first answers 200. */
    private double start() throws Exception {
        long t0 = System.nanoTime();
        sh(home.resolve("bin/start").toString());
        long deadline = t0 + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                // A short timeout, like a readiness probe: a connection the container accepts while it
                // restarts may never be answered (seen: a 60 s wait for one such request).
                if (send("GET", "/restconf/data", null, Duration.ofSeconds(5)).statusCode() == 200) {
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.err.printf("start: first 200 after %.2f s%n", s);
                    return s;
                }
            } catch (java.net.http.HttpTimeoutException e) {
                System.err.printf("start: a readiness probe got no answer within 5 s (%.1f s after start)%n",
                    (System.nanoTime() - t0) / 1e9);
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("polycubed did not answer 200 within 180 s");
    }

    private void stop() throws Exception {
        Path pidFile = home.resolve("karaf.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
        Files.deleteIfExists(pidFile);
    }

    private void cleanup() throws Exception {
        for (int i = 0; i < 4; i++) {
            shQuiet("ip", "link", "del", prefix + "v" + i);
        }
        shQuiet("rm", "-rf", "/sys/fs/bpf/" + prefix, home.toString());
    }

    // ---- measurements ----

    private void veths(int pairs) throws Exception {
        for (int i = 0; i < pairs; i++) {
            sh("ip", "link", "add", prefix + "v" + i, "type", "veth", "peer", "name", prefix + "w" + i);
            sh("ip", "link", "set", prefix + "v" + i, "up");
            sh("ip", "link", "set", prefix + "w" + i, "up");
        }
    }

    private String fwd(String name, String type, String p1, String p2) {
        return "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"ports\":["
            + "{\"name\":\"p1\",\"peer\":\"" + p1 + "\"},{\"name\":\"p2\",\"peer\":\"" + p2 + "\"}],"
            + "\"actions\":[{\"inport\":\"p1\",\"action\":\"FORWARD\",\"outport\":\"p2\"}]}]}";
    }

    /** Create (validate + load + attach to two veths) and delete, {@code n} times; the first is warm-up. */
    private List<Double> createLatencies(String type, int n) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            expect(201, send("PUT", SIMPLEFWD + "=c", fwd("c", type, prefix + "v0", prefix + "v1")));
            double took = (System.nanoTime() - t0) / 1e6;
            expect(204, send("DELETE", SIMPLEFWD + "=c", null));
            if (i > 0) {
                ms.add(took);
            }
        }
        return ms;
    }

    /** Single-entry writes (one action entry replaced, alternating values) by {@code clients} threads. */
    private double writesPerSecond(int clients, Duration length) throws Exception {
        expect(201, send("PUT", SIMPLEFWD + "=w", fwd("w", "TC", prefix + "v2", prefix + "v3")));
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long t0 = System.nanoTime();
        long end = t0 + length.toNanos();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    String action = (i++ & 1) == 0 ? "DROP" : "FORWARD\",\"outport\":\"p2";
                    try {
                        int status = send("PUT", SIMPLEFWD + "=w/actions=p1",
                            "{\"pcn-simplefwd:actions\":[{\"inport\":\"p1\",\"action\":\"" + action + "\"}]}").statusCode();
                        (status == 204 ? done : failed).incrementAndGet();
                    } catch (IOException | InterruptedException e) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        expect(204, send("DELETE", SIMPLEFWD + "=w", null));
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " writes failed");
        }
        System.err.printf("writes: %d in %.2f s by %d clients%n", done.get(), seconds, clients);
        return done.get() / seconds;
    }

    private double rssWith(int cubes) throws Exception {
        double before = rssMb();
        for (int i = 0; i < cubes; i++) {
            expect(201, send("PUT", SIMPLEFWD + "=r" + i,
                "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"r" + i + "\"}]}"));
        }
        double after = rssMb();
        for (int i = 0; i < cubes; i++) {
            expect(204, send("DELETE", SIMPLEFWD + "=r" + i, null));
        }
        System.err.printf("rss: %.0f MB before, %.0f MB with %d instances%n", before, after, cubes);
        return after;
    }

    /** RSS after a full GC, before and after {@code n} hostile requests: what the stream leaves behind. */
    private double hostileGrowth(int n) throws Exception {
        List<IntFunction<String[]>> kinds = List.of(
            i -> new String[] {"PUT", SIMPLEFWD + "=h" + i, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"h" + i + "\","},
            i -> new String[] {"PUT", SIMPLEFWD + "=h" + i, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"h" + i
                + "\",\"type\":\"XDP_FOO\"}]}"},
            i -> new String[] {"POST", "/restconf/data", "[".repeat(10_000)},
            i -> new String[] {"GET", "/restconf/data/nosuch:thing=" + i, null},
            i -> new String[] {"PATCH", SIMPLEFWD + "=h" + i, "{'single':'quotes' /* comment */}"});
        gc();
        double before = rssMb();
        AtomicLong fiveXx = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = thread; i < n; i += 8) {
                    // One in 50 is a 2 MB body: over the 1 MB bound, refused before it is parsed.
                    String[] r = i % 50 == 0 ? new String[] {"PUT", SIMPLEFWD + "=h" + i,
                        "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"" + "x".repeat(2 << 20) + "\"}]}"}
                        : kinds.get(i % kinds.size()).apply(i);
                    try {
                        if (send(r[0], r[1], r[2]).statusCode() >= 500) {
                            fiveXx.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        // a refused oversized upload may reset the connection: that is a refusal too
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        gc();
        double after = rssMb();
        System.err.printf("hostile: %d requests, %d answered 5xx; RSS after GC %.0f MB -> %.0f MB%n", n, fiveXx.get(),
            before, after);
        return after - before;
    }

    // ---- helpers ----

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body, Duration.ofSeconds(60));
    }

    private HttpResponse<String> send(String method, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
            .timeout(timeout).header("Authorization", auth).header("Accept", JSON)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", JSON);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + ": expected "
                + status + ", got " + response.statusCode() + " " + response.body());
        }
    }

    private long pid() throws IOException {
        return Long.parseLong(Files.readString(home.resolve("karaf.pid")).trim());
    }

    private double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    private void gc() throws Exception {
        sh("jcmd", Long.toString(pid()), "GC.run");
        Thread.sleep(500);
    }

    private static void sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static void shQuiet(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
        } catch (IOException | InterruptedException e) {
            // best effort
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Min..max of the samples, for stderr. */
    private static String spread(List<Double> values) {
        return String.format("(n=%d, min %.2f, max %.2f)", values.size(), Collections.min(values),
            Collections.max(values));
    }

    private static void print(String metric, double value, String detail) {
        System.out.printf("%s %.1f%n", metric, value);
        if (!detail.isEmpty()) {
            System.err.println(metric + " " + detail);
        }
    }
}
