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
 * XDP), single-entry writes per second from 8 concurrent clients, one request of 10,000 table entries,
 * RSS with 100 instances, and RSS growth over a stream of hostile requests. Everything runs against a private copy of the
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
        // ONLY=ready,create,writes,rss,hostile,bulk,readopt (comma-separated) runs just those parts; unset runs all.
        String only = System.getenv().getOrDefault("ONLY", "");
        java.util.function.Predicate<String> wanted = part -> only.isBlank() || List.of(only.split(",")).contains(part);
        List<Double> ready = new ArrayList<>();
        int n = wanted.test("ready") ? starts : 1;
        for (int i = 0; i < n; i++) {
            ready.add(start());
            if (i + 1 < n) {
                stop();
            }
        }
        if (wanted.test("ready")) {
            print("polycubed.ready_s", median(ready), spread(ready));
        }
        veths(4);
        if (wanted.test("create")) {
            List<Double> tc = createLatencies("TC", 31);
            List<Double> xdp = createLatencies("XDP_SKB", 31);
            print("cube.create_p50_ms", median(tc), spread(tc));
            print("cube.create_xdp_skb_p50_ms", median(xdp), spread(xdp));
        }
        if (wanted.test("writes")) {
            List<Double> writes = new ArrayList<>();
            // A daemon runs warm: rounds of writes until the JIT has compiled the write path (PCN_BENCH_WRITE_WARMUP
            // rounds, 8: on 2 cores the compiler threads compete with the writers for 30-40 s), then the measured
            // rounds. The first warm-up round is printed too, as the cold figure.
            double[] cpu = new double[2];
            int warmup = Integer.parseInt(System.getenv().getOrDefault("PCN_BENCH_WRITE_WARMUP", "8"));
            for (int round = 0; round < warmup; round++) {
                System.err.print("warm-up ");
                double rate = writesPerSecond(8, Duration.ofSeconds(5), cpu);
                if (round == 0) {
                    print("restconf.writes_per_s_cold", rate, "(the first 5 s of writes after start-up)");
                }
            }
            // PCN_BENCH_JFR=<file>: a JFR recording (settings=profile) of the Karaf JVM over the measured rounds.
            String jfr = System.getenv("PCN_BENCH_JFR");
            if (jfr != null) {
                sh("jcmd", Long.toString(pid()), "JFR.start", "name=pcnbench", "settings=" + System.getenv().getOrDefault("PCN_BENCH_JFR_SETTINGS", "profile"));
            }
            List<Double> serverCpu = new ArrayList<>();
            List<Double> clientCpu = new ArrayList<>();
            int rounds = Integer.parseInt(System.getenv().getOrDefault("PCN_BENCH_WRITE_ROUNDS", "5"));
            for (int round = 0; round < rounds; round++) {
                writes.add(writesPerSecond(8, Duration.ofSeconds(5), cpu));
                serverCpu.add(cpu[0]);
                clientCpu.add(cpu[1]);
            }
            if (jfr != null) {
                sh("jcmd", Long.toString(pid()), "JFR.stop", "name=pcnbench", "filename=" + Path.of(jfr).toAbsolutePath());
            }
            print("restconf.writes_per_s", median(writes), spread(writes));
            print("restconf.write_server_cpu_us", median(serverCpu), spread(serverCpu));
            print("restconf.write_client_cpu_us", median(clientCpu), spread(clientCpu));
        }
        if (wanted.test("rss")) {
            print("polycubed.rss_mb_100_cubes", rssWith(100), "");
        }
        if (wanted.test("hostile")) {
            print("restconf.hostile_rss_growth_mb", hostileGrowth(10_000), "");
        }
        if (wanted.test("bulk")) {
            List<Double> bulk = bulkLatencies(10_000, 5);
            print("restconf.bulk_10k_entries_ms", median(bulk), spread(bulk));
        }
        if (wanted.test("readopt")) {
            // last: it kills polycubed and starts it again, twice per size
            for (int count : new int[] {1, 10, 100}) {
                readopt(count);
            }
        }
    }

    // ---- re-adoption after a crash (issue 9) ----

    /**
     * {@code n} simplefwd instances (TC, each with two ports on a veth pair of its own), then polycubed is killed
     * ({@code kill -9}) and started again; the replay takes every instance's pinned data path over. Printed: the
     * take-over alone (from simplefwd's registration to the last instance created, karaf.log timestamps), beside
     * the same replay creating them afresh (a stop with dataplane.keep.on.stop=false before the start), and the
     * end-to-end time from bin/start until every instance answers 200.
     */
    private void readopt(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            sh("ip", "link", "add", prefix + "r" + i, "type", "veth", "peer", "name", prefix + "s" + i);
            sh("ip", "link", "set", prefix + "r" + i, "up");
            sh("ip", "link", "set", prefix + "s" + i, "up");
        }
        try {
            for (int i = 0; i < n; i++) {
                expect(201, send("PUT", SIMPLEFWD + "=ra" + i, fwd("ra" + i, "TC", prefix + "r" + i, prefix + "s" + i)));
            }
            double[] adopt = restartAndTime(n, true);
            double[] fresh = restartAndTime(n, false);
            print("lifecycle.readopt_ms_" + n, adopt[0], String.format(java.util.Locale.ROOT,
                "(take-over of %d pinned instances by the replay; bin/start to all served %.0f ms)", n, adopt[1]));
            print("lifecycle.recreate_ms_" + n, fresh[0], String.format(java.util.Locale.ROOT,
                "(the same replay creating them afresh after a clearing stop; bin/start to all served %.0f ms)", fresh[1]));
            for (int i = 0; i < n; i++) {
                expect(204, send("DELETE", SIMPLEFWD + "=ra" + i, null));
            }
        } finally {
            for (int i = 0; i < n; i++) {
                shQuiet("ip", "link", "del", prefix + "r" + i);
            }
        }
    }

    /**
     * {@code crash}: kill -9 then start; else a stop that clears the data plane, then start. Returns the
     * replay's duration (ms, log timestamps) and bin/start to every instance served (ms).
     */
    private double[] restartAndTime(int n, boolean crash) throws Exception {
        if (crash) {
            long pid = pid();
            sh("kill", "-9", Long.toString(pid));
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        } else {
            // The changed file restarts the daemon component (with the setting); only then may the stop come.
            long before = Files.size(home.resolve("data/log/karaf.log"));
            edit("etc/io.polycube.core.cfg", "dataplane.keep.on.stop", "false");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!logSince(before).contains("polycubed started")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("polycubed did not pick up dataplane.keep.on.stop=false");
                }
                Thread.sleep(100);
            }
            // bin/stop, not a signal: SIGTERM ends the JVM while the framework is still stopping (the daemon's
            // teardown of 100 instances was cut short after 64 in one run)
            long pid = pid();
            sh(home.resolve("bin/stop").toString());
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
            Files.deleteIfExists(home.resolve("karaf.pid"));
            edit("etc/io.polycube.core.cfg", "dataplane.keep.on.stop", "true");
        }
        Path log = home.resolve("data/log/karaf.log");
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        long t0 = System.nanoTime();
        start();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        for (int i = 0; i < n; i++) {
            while (true) {
                try {
                    if (send("GET", SIMPLEFWD + "=ra" + i, null, Duration.ofSeconds(5)).statusCode() == 200) {
                        break;
                    }
                } catch (java.net.http.HttpTimeoutException e) {
                    // as in start()
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ra" + i + " not back within 180 s");
                }
                Thread.sleep(20);
            }
        }
        double served = (System.nanoTime() - t0) / 1e6;
        String lines = logSince(logStart);
        String registered = null;
        String last = null;
        int taken = 0;
        for (String line : lines.split("\n")) {
            if (line.contains("Cube type simplefwd registered")) {
                registered = line.substring(0, 23);
            } else if (line.contains("Created simplefwd ra")) {
                last = line.substring(0, 23);
            } else if (line.contains("taking over the tables and attachments")) {
                taken++;
            }
        }
        if (registered == null || last == null) {
            throw new IllegalStateException("karaf.log has no registration or creation after the restart");
        }
        if (taken != (crash ? n : 0)) {
            throw new IllegalStateException((crash ? "expected " + n : "expected no") + " take-overs, the log has " + taken);
        }
        System.err.printf("readopt: %d instances, %s: %s registered, last created %s, %d taken over%n", n,
            crash ? "kill -9" : "clearing stop", registered, last, taken);
        return new double[] {millis(last) - millis(registered), served};
    }

    /** karaf.log from byte {@code offset} on. */
    private String logSince(long offset) throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(Math.min(offset, Files.size(log)));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static double millis(String logTimestamp) {
        return java.time.LocalDateTime.parse(logTimestamp.replace(',', '.')).atZone(java.time.ZoneId.systemDefault())
            .toInstant().toEpochMilli();
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
    /**
     * The first 200 comes before every boot feature's cube type has registered; the measurements need
     * simplefwd and protofilter, so wait for them in the framework model (stderr says when).
     */
    private void awaitCubeTypes(long t0, long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = send("GET", "/restconf/data/pcn-polycubed:polycubed", null, Duration.ofSeconds(5));
                if (r.statusCode() == 200 && r.body().contains("\"simplefwd\"") && r.body().contains("\"protofilter\"")) {
                    System.err.printf("start: simplefwd and protofilter registered after %.2f s%n", (System.nanoTime() - t0) / 1e9);
                    return;
                }
            } catch (java.net.http.HttpTimeoutException e) {
                // as in start(): try again
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("simplefwd and protofilter did not register within 180 s");
    }

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
                    awaitCubeTypes(t0, deadline);
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
        // A start that timed out may not have written karaf.pid yet: then find the JVM by its karaf.home,
        // which is this run's own temporary copy, so no other process can match.
        java.util.stream.Stream<ProcessHandle> karafs = Files.exists(pidFile)
            ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).stream()
            : ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(args -> List.of(args).contains("-Dkaraf.home=" + home)).orElse(false));
        karafs.forEach(p -> {
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
        // PCN_BENCH_KEEP_LOG=<file>: the copy's karaf.log, kept (e.g. to read a start-up's timeline).
        String keep = System.getenv("PCN_BENCH_KEEP_LOG");
        Path log = home.resolve("data/log/karaf.log");
        if (keep != null && Files.exists(log)) {
            Files.copy(log, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        for (int i = 0; i < 4; i++) {
            shQuiet("ip", "link", "del", prefix + "v" + i);
        }
        for (int i = 0; i < 100; i++) {
            shQuiet("ip", "link", "del", prefix + "r" + i);
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

    /**
     * Single-entry writes (one action entry replaced, alternating values) by {@code clients} threads, each on one
     * kept-alive HTTP/1.1 connection of its own ({@link RawHttp}: the JDK's HttpClient cost about as much CPU per
     * request as the server, on the same two cores). Returns writes per second; {@code cpu[0]} gets polycubed's
     * CPU time per write in µs (the server-only figure), {@code cpu[1]} the client's.
     */
    private double writesPerSecond(int clients, Duration length, double[] cpu) throws Exception {
        expect(201, send("PUT", SIMPLEFWD + "=w", fwd("w", "TC", prefix + "v2", prefix + "v3")));
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(clients);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        long[] ends = new long[1];
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                try (RawHttp http = new RawHttp(httpPort, auth)) {
                    connected.countDown();
                    go.await();
                    int i = 0;
                    while (System.nanoTime() < ends[0]) {
                        String action = (i++ & 1) == 0 ? "DROP" : "FORWARD\",\"outport\":\"p2";
                        int status = http.request("PUT", SIMPLEFWD + "=w/actions=p1",
                            "{\"pcn-simplefwd:actions\":[{\"inport\":\"p1\",\"action\":\"" + action + "\"}]}");
                        (status == 204 ? done : failed).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        connected.await();
        long serverCpu0 = cpuNanos(pid());
        long clientCpu0 = ownCpuNanos();
        long t0 = System.nanoTime();
        ends[0] = t0 + length.toNanos();
        go.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long serverCpu = cpuNanos(pid()) - serverCpu0;
        long clientCpu = ownCpuNanos() - clientCpu0;
        pool.shutdown();
        expect(204, send("DELETE", SIMPLEFWD + "=w", null));
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " writes failed");
        }
        cpu[0] = serverCpu / 1e3 / Math.max(1, done.get());
        cpu[1] = clientCpu / 1e3 / Math.max(1, done.get());
        System.err.printf("writes: %d in %.2f s by %d clients; CPU per write: polycubed %.0f µs, client %.0f µs%n",
            done.get(), seconds, clients, cpu[0], cpu[1]);
        return done.get() / seconds;
    }

    /** utime + stime of a process, from /proc/<pid>/stat (clock ticks of 10 ms on this kernel: USER_HZ 100). */
    private static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After the command: state is field 3 of stat(5), utime 14, stime 15.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }

    private static long ownCpuNanos() throws IOException {
        return cpuNanos(ProcessHandle.current().pid());
    }

    /**
     * A minimal HTTP/1.1 client on one kept-alive connection: a request line, fixed headers, a body, and the
     * status of the answer (its body, by Content-Length or chunked, is read and dropped).
     */
    private static final class RawHttp implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.OutputStream out;
        private final java.io.BufferedInputStream in;
        private final String fixedHeaders;

        RawHttp(int port, String auth) throws IOException {
            socket = new java.net.Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            out = new java.io.BufferedOutputStream(socket.getOutputStream(), 4096);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
            fixedHeaders = "Host: 127.0.0.1:" + port + "\r\nAuthorization: " + auth + "\r\nAccept: " + JSON
                + "\r\nContent-Type: " + JSON + "\r\n";
        }

        int request(String method, String path, String body) throws IOException {
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            out.write((method + " " + path + " HTTP/1.1\r\n" + fixedHeaders + "Content-Length: " + content.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = 0;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long chunk = Long.parseLong(line().split(";")[0].trim(), 16); chunk > 0;
                        chunk = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    skip(chunk);
                    line();
                }
                line();
            } else {
                skip(length);
            }
            return code;
        }

        private void skip(long n) throws IOException {
            for (long left = n; left > 0; left--) {
                if (in.read() < 0) {
                    throw new IOException("connection closed in a body");
                }
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A protofilter whose source-ipv4 table holds {@code entries} prefixes of {@code 10 + set}.0.0.0/8. */
    private static String sourceTable(int entries, int set) {
        StringBuilder b = new StringBuilder("{\"pcn-protofilter:protofilter\":[{\"name\":\"bulk\",\"source-ipv4\":[");
        for (int i = 0; i < entries; i++) {
            b.append(i == 0 ? "" : ",").append("{\"prefix\":\"").append(10 + set).append('.').append(i >> 8 & 255)
                .append('.').append(i & 255).append(".0/24\",\"action\":\"").append(i % 7 == 0 ? "PASS" : "DROP")
                .append("\"}");
        }
        return b.append("]}]}").toString();
    }

    /**
     * One PUT of a protofilter carrying {@code entries} source prefixes that replace the {@code entries}
     * it held (all keys differ: as many deletes as additions in its LPM-trie map), {@code runs} times after
     * a warm-up; each checked by reading the list back.
     */
    private List<Double> bulkLatencies(int entries, int runs) throws Exception {
        String path = "/restconf/data/pcn-protofilter:protofilter=bulk";
        expect(201, send("PUT", path, sourceTable(entries, 0)));
        List<Double> ms = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 1; i <= runs + 1; i++) {
            String body = sourceTable(entries, i & 1);
            long cpu0 = cpuMs();
            long t0 = System.nanoTime();
            expect(204, send("PUT", path, body));
            double took = (System.nanoTime() - t0) / 1e6;
            cpu.add((double) (cpuMs() - cpu0));
            HttpResponse<String> list = send("GET", path + "/source-ipv4?content=config", null);
            expect(200, list);
            int count = list.body().split("\"prefix\"", -1).length - 1;
            if (count != entries || !list.body().contains("\"" + (10 + (i & 1)) + ".0.0.0/24\"")) {
                throw new IllegalStateException("bulk PUT " + i + ": the list holds " + count + " entries, not the "
                    + entries + " sent");
            }
            if (i > 1) {
                ms.add(took);
            }
        }
        expect(204, send("DELETE", path, null));
        System.err.printf("bulk: %d runs of one PUT replacing %d source-ipv4 entries: %s ms; CPU of the JVM (all threads,"
            + " GC included; less sensitive to a loaded machine) per PUT, warm-up first: %s ms%n", runs, entries, ms, cpu);
        return ms;
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

    /** User + system CPU time of the Karaf JVM so far (all threads), from /proc (clock ticks of 10 ms). */
    private long cpuMs() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
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
