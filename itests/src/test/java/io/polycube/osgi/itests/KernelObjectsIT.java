// SPDX-License-Identifier: Apache-2.0
// This file contains the kernel-object itests: no map, program or link outlives its instance, and a request
// the data plane refuses halfway changes nothing anywhere.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Kernel objects against the configuration: concurrent clients creating and deleting instances leave no map,
 * program or link behind, and a multi-instance request refused halfway leaves the datastore, the maps, the
 * attachments and the forwarding as they were. The kernel is read with {@code bpftool -j} (the test runs in
 * Karaf's JVM, as root); objects of other processes (another build's Karaf) are told apart by the processes
 * holding them and what those reference.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KernelObjectsIT extends PcnTestSupport {
    private static final String DATA = "/restconf/data";
    private static final String CONFIG = DATA + "?content=config";
    private static final String FWD = DATA + "/pcn-simplefwd:simplefwd";
    private static final String PF = DATA + "/pcn-protofilter:protofilter";
    private static final Duration FREE_WAIT = Duration.ofSeconds(10);

    // ---------------------------------------------------------------------------------------------------
    // Kernel objects

    /** The kernel's maps, programs and links by id, as bpftool reports them. */
    record Kernel(Map<Integer, JsonObject> maps, Map<Integer, JsonObject> progs, Map<Integer, JsonObject> links) {
        /**
         * bpftool here shows no {@code pids}: each object gets its holders from /proc, read after the listing so
         * that an object listed is seen with its holders (one created meanwhile is not listed).
         */
        static Kernel now() {
            Kernel listed = new Kernel(byId("map"), byId("prog"), byId("link"));
            Map<String, Map<Integer, Set<Long>>> held = KernelSnapshot.holders();
            withHolders(listed.maps, held.get("map"));
            withHolders(listed.progs, held.get("prog"));
            withHolders(listed.links, held.get("link"));
            return listed;
        }

        private static void withHolders(Map<Integer, JsonObject> objects, Map<Integer, Set<Long>> held) {
            objects.forEach((id, o) -> {
                Set<Long> holders = held.get(id);
                if (!o.has("pids") && holders != null) {
                    JsonArray pids = new JsonArray();
                    holders.forEach(pid -> {
                        JsonObject p = new JsonObject();
                        p.addProperty("pid", pid);
                        pids.add(p);
                    });
                    o.add("pids", pids);
                }
            });
        }

        private static Map<Integer, JsonObject> byId(String kind) {
            Netns.Result result = Netns.run(Netns.DEFAULT_TIMEOUT, "bpftool", "-j", kind, "show");
            assertTrue(kind + ": " + result.output(), result.ok());
            Map<Integer, JsonObject> all = new TreeMap<>();
            String out = result.output().trim();
            if (out.isEmpty()) {
                return all;
            }
            for (JsonElement e : JsonParser.parseString(out).getAsJsonArray()) {
                JsonObject o = e.getAsJsonObject();
                all.put(o.get("id").getAsInt(), o);
            }
            return all;
        }

        /**
         * Objects that are here and not in {@code before}, except those another process holds or reaches
         * (through a program's maps, a link's program or a program array of its own).
         */
        Map<String, List<String>> newSince(Kernel before) {
            long me = ProcessHandle.current().pid();
            Set<Integer> foreignMaps = new HashSet<>();
            Set<Integer> foreignProgs = new HashSet<>();
            maps.forEach((id, o) -> { if (foreign(o, me)) { foreignMaps.add(id); } });
            progs.forEach((id, o) -> { if (foreign(o, me)) { foreignProgs.add(id); } });
            links.forEach((id, o) -> {
                if (foreign(o, me) && o.has("prog_id")) {
                    foreignProgs.add(o.get("prog_id").getAsInt());
                }
            });
            for (boolean grew = true; grew; ) {
                int size = foreignMaps.size() + foreignProgs.size();
                for (int prog : List.copyOf(foreignProgs)) {
                    JsonObject o = progs.get(prog);
                    if (o != null && o.has("map_ids")) {
                        o.getAsJsonArray("map_ids").forEach(m -> foreignMaps.add(m.getAsInt()));
                    }
                }
                for (int map : List.copyOf(foreignMaps)) {
                    JsonObject o = maps.get(map);
                    if (o != null && "prog_array".equals(text(o, "type"))) {
                        foreignProgs.addAll(progArray(map));
                    }
                }
                grew = foreignMaps.size() + foreignProgs.size() > size;
            }
            Map<String, List<String>> fresh = new TreeMap<>();
            fresh.put("maps", describe(maps, before.maps, foreignMaps));
            fresh.put("progs", describe(progs, before.progs, foreignProgs));
            Set<Integer> foreignLinks = new HashSet<>();
            links.forEach((id, o) -> { if (foreign(o, me)) { foreignLinks.add(id); } });
            fresh.put("links", describe(links, before.links, foreignLinks));
            return fresh;
        }

        private static List<String> describe(Map<Integer, JsonObject> now, Map<Integer, JsonObject> before,
                Set<Integer> foreign) {
            List<String> out = new ArrayList<>();
            now.forEach((id, o) -> {
                if (!before.containsKey(id) && !foreign.contains(id)) {
                    out.add(id + " " + (o.has("name") ? text(o, "name") : text(o, "type")) + " " + pids(o));
                }
            });
            return out;
        }

        private static boolean foreign(JsonObject o, long me) {
            if (!o.has("pids")) {
                return false;
            }
            for (JsonElement p : o.getAsJsonArray("pids")) {
                long pid = p.getAsJsonObject().get("pid").getAsLong();
                if (pid == me) {
                    return false;
                }
            }
            return true;
        }

        private static String pids(JsonObject o) {
            return o.has("pids") ? o.get("pids").toString() : "[]";
        }

        private static Set<Integer> progArray(int map) {
            Set<Integer> ids = new HashSet<>();
            Netns.Result dump = Netns.run(Netns.DEFAULT_TIMEOUT, "bpftool", "-j", "map", "dump", "id", String.valueOf(map));
            if (!dump.ok() || dump.output().isBlank()) {
                return ids;
            }
            var m = java.util.regex.Pattern.compile("\"value\":\\s*(\\d+)").matcher(dump.output());
            while (m.find()) {
                ids.add(Integer.parseInt(m.group(1)));
            }
            return ids;
        }

        private static String text(JsonObject o, String member) {
            return o.has(member) ? o.get(member).getAsString() : "";
        }
    }

    private static boolean noneLeft(Map<String, List<String>> fresh) {
        return fresh.values().stream().allMatch(List::isEmpty);
    }

    /**
     * Waits (deferred frees: RCU, the JVM closing descriptors) until nothing new is left; returns what is. Only
     * objects present in every look count: another build's objects caught between their creation and their
     * first holder (or their last holder and their free) come and go, a leak stays.
     */
    private static Map<String, List<String>> leftSince(Kernel before) {
        long deadline = System.nanoTime() + FREE_WAIT.toNanos();
        Map<String, List<String>> fresh = Kernel.now().newSince(before);
        while (!noneLeft(fresh) && System.nanoTime() < deadline) {
            sleep(250);
            Map<String, List<String>> next = Kernel.now().newSince(before);
            Map<String, List<String>> stayed = new TreeMap<>();
            fresh.forEach((kind, objects) -> {
                Set<String> ids = new HashSet<>();
                next.get(kind).forEach(o -> ids.add(o.split(" ", 2)[0]));
                stayed.put(kind, objects.stream().filter(o -> ids.contains(o.split(" ", 2)[0])).toList());
            });
            fresh = stayed;
        }
        return fresh;
    }

    // ---------------------------------------------------------------------------------------------------
    // 1. Concurrent create/delete

    private static String fwd(String name, String type, String peer1, String peer2) {
        return "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"" + name + "\",\"type\":\"" + type + "\","
                + "\"ports\":[{\"name\":\"p1\"" + (peer1 == null ? "" : ",\"peer\":\"" + peer1 + "\"") + "},"
                + "{\"name\":\"p2\"" + (peer2 == null ? "" : ",\"peer\":\"" + peer2 + "\"") + "}],"
                + "\"actions\":[{\"inport\":\"p1\",\"action\":\"FORWARD\",\"outport\":\"p2\"},"
                + "{\"inport\":\"p2\",\"action\":\"FORWARD\",\"outport\":\"p1\"}]}]}";
    }

    private static String filter(String name, String type, String parent, String direction, String position) {
        return "{\"pcn-protofilter:protofilter\":[{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"parent\":\""
                + parent + "\",\"direction\":\"" + direction + "\",\"position\":\"" + position
                + "\",\"drop-protocol\":[17]}]}";
    }

    /** One random request of the mix; returns "METHOD path -> status". */
    private static String oneRequest(Http http, Random random, String missingNetdev) {
        String[] types = {"TC", "XDP_SKB"};
        String cube = "c" + random.nextInt(6);
        String other = "c" + random.nextInt(6);
        String type = types[random.nextInt(2)];
        Http.Response r;
        String what;
        switch (random.nextInt(10)) {
            case 0, 1, 2 -> {
                String peer2 = random.nextInt(4) == 0 ? missingNetdev : null;
                what = "PUT " + cube + " " + type + " p1=" + other + ":p1 p2=" + peer2;
                r = http.put(FWD + "=" + cube, fwd(cube, type, other + ":p1", peer2));
            }
            case 3 -> {
                String level = new String[] {"TRACE", "DEBUG", "INFO", "OFF"}[random.nextInt(4)];
                what = "PATCH " + cube + " loglevel " + level;
                r = http.patch(FWD + "=" + cube, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"" + cube
                        + "\",\"loglevel\":\"" + level + "\"}]}");
            }
            case 4, 5 -> {
                String pf = "f" + random.nextInt(4);
                String direction = random.nextBoolean() ? "INGRESS" : "EGRESS";
                String position = random.nextBoolean() ? "first" : "last";
                what = "PUT " + pf + " " + type + " on " + cube + ":p" + (1 + random.nextInt(2)) + " " + direction + " " + position;
                r = http.put(PF + "=" + pf, filter(pf, type, cube + ":p" + (1 + random.nextInt(2)), direction, position));
            }
            case 6 -> {
                String pf = "f" + random.nextInt(4);
                what = "DELETE " + pf;
                r = http.delete(PF + "=" + pf);
            }
            case 7 -> {
                what = "GET " + cube;
                r = http.get(random.nextBoolean() ? FWD + "=" + cube : DATA);
            }
            default -> {
                what = "DELETE " + cube;
                r = http.delete(FWD + "=" + cube);
            }
        }
        return what + " -> " + r.status() + (r.status() >= 500 ? " " + r.body() : "");
    }

    private static List<String> names(Http http, String list, String member) {
        Http.Response r = http.get(list + "?content=config");
        List<String> out = new ArrayList<>();
        if (r.status() != 200) {
            return out;
        }
        JsonArray entries = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray(member);
        if (entries != null) {
            entries.forEach(e -> out.add(e.getAsJsonObject().get("name").getAsString()));
        }
        return out;
    }

    /** Transparent cubes first (a cube port with one attached may not be deletable), then the cubes. */
    private static void deleteEverything(Http http) {
        for (int round = 0; round < 5; round++) {
            for (String pf : names(http, PF, "pcn-protofilter:protofilter")) {
                http.delete(PF + "=" + pf);
            }
            for (String c : names(http, FWD, "pcn-simplefwd:simplefwd")) {
                http.delete(FWD + "=" + c);
            }
        }
    }

    @Test
    public void noKernelObjectOutlivesItsInstance() throws Exception {
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        waitFor("RESTCONF serves simplefwd and protofilter", DEFAULT_TIMEOUT,
                () -> http().get(FWD).status() != 400 && http().get(PF).status() != 400);
        deleteEverything(http());
        String emptyConfig = http().get(CONFIG).body();
        Kernel before = Kernel.now();
        String missingNetdev = String.format("pcn%06xno", ThreadLocalRandom.current().nextInt(0x1000000));
        long seed = System.nanoTime();
        int threads = 16;
        int rounds = 25;
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> serverErrors = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed + t);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        String result = oneRequest(http(), random, missingNetdev);
                        int status = Integer.parseInt(result.replaceAll(".* -> (\\d+).*", "$1"));
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        if (status >= 500) {
                            serverErrors.add(result);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(3, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long mixMs = (System.nanoTime() - started) / 1_000_000;
        int created = statuses.getOrDefault(201, new AtomicInteger()).get();
        System.out.println("kernel-objects mix seed=" + seed + " " + threads * rounds + " requests in " + mixMs
                + " ms, statuses " + new TreeMap<>(statuses));
        // The filter must see this Karaf's objects, or the check below could not fail.
        boolean live = !names(http(), FWD, "pcn-simplefwd:simplefwd").isEmpty();
        Map<String, List<String>> during = Kernel.now().newSince(before);
        deleteEverything(http());
        assertTrue("instances left by the mix have kernel objects: " + during, !live || !noneLeft(during));
        assertEquals("no request may get a 5xx (seed " + seed + ")", List.of(), serverErrors);
        assertTrue("the mix must create instances: " + statuses, created > 0);
        assertEquals("the datastore is empty again", emptyConfig, http().get(CONFIG).body());
        Map<String, List<String>> left = leftSince(before);
        assertTrue("kernel objects outlived their instances (seed " + seed + "): " + left, noneLeft(left));
    }

    // ---------------------------------------------------------------------------------------------------
    // 2. A multi-instance request refused halfway

    private static String fwdNetdevs(String name, String peerA, String peerB, String action) {
        return "{\"name\":\"" + name + "\",\"type\":\"TC\","
                + "\"ports\":[{\"name\":\"pa\",\"peer\":\"" + peerA + "\"},{\"name\":\"pb\",\"peer\":\"" + peerB + "\"}],"
                + "\"actions\":[{\"inport\":\"pa\",\"action\":\"" + action + "\",\"outport\":\"pb\"},"
                + "{\"inport\":\"pb\",\"action\":\"FORWARD\",\"outport\":\"pa\"}]}";
    }

    /** What the kernel has attached to each device (XDP, TC), as one comparable text. */
    private static String attachments(List<Netns> all) {
        StringBuilder sb = new StringBuilder();
        for (Netns ns : all) {
            String dev = ns.hostIfName();
            String link = Netns.runChecked("ip", "-d", "link", "show", "dev", dev).output();
            sb.append(dev).append(" xdp=").append(link.lines().filter(l -> l.contains("prog/xdp")).map(String::trim)
                    .findFirst().orElse("none")).append(" tc=").append(tcPrograms(dev))
                    .append(" net=").append(Netns.runChecked("bpftool", "-j", "net", "show", "dev", dev).output().trim())
                    .append('\n');
        }
        return sb.toString();
    }

    /** The contents of f1's {@code actions} map, as bpftool dumps it. */
    private static String dump(int mapId) {
        return Netns.runChecked("bpftool", "-j", "map", "dump", "id", String.valueOf(mapId)).output().trim();
    }

    /**
     * Attaches a program of another owner (XDP_PASS, generic mode) to {@code dev}: polycubed attaches XDP only
     * where none is, so the kernel itself refuses a cube port there (EBUSY). Loaded by bpftool and pinned only
     * under a bpffs directory of this test, removed once attached (the attachment keeps the program): nothing
     * is left in bpffs ({@code ip link ... obj} would create {@code /sys/fs/bpf/{ip,tc,xdp}}).
     */
    private static void foreignXdp(String dev) {
        java.nio.file.Path dir = null;
        java.nio.file.Path pins = java.nio.file.Path.of("/sys/fs/bpf",
                String.format("pcn%06xfx", ThreadLocalRandom.current().nextInt(0x1000000)));
        java.nio.file.Path pin = pins.resolve("pass");
        try {
            dir = java.nio.file.Files.createTempDirectory("pcn-foreign-xdp");
            java.nio.file.Path source = dir.resolve("pass.c");
            java.nio.file.Files.writeString(source, "struct xdp_md;\n" // no headers: 2 is XDP_PASS
                    + "__attribute__((section(\"xdp\"), used)) int pass(struct xdp_md *ctx) { return 2; }\n"
                    + "char _license[] __attribute__((section(\"license\"), used)) = \"GPL\";\n");
            String object = dir.resolve("pass.o").toString();
            Netns.runChecked("clang", "-O2", "-target", "bpf", "-c", source.toString(), "-o", object);
            java.nio.file.Files.createDirectory(pins);
            Netns.runChecked("bpftool", "prog", "load", object, pin.toString(), "type", "xdp");
            Netns.runChecked("bpftool", "net", "attach", "xdpgeneric", "pinned", pin.toString(), "dev", dev);
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(pin);
                java.nio.file.Files.deleteIfExists(pins);
                if (dir != null) {
                    try (var files = java.nio.file.Files.list(dir)) {
                        for (java.nio.file.Path f : files.toList()) {
                            java.nio.file.Files.delete(f);
                        }
                    }
                    java.nio.file.Files.delete(dir);
                }
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }
    }

    /**
     * A SLAVE µCube the verifier accepts below DEBUG only: the loglevel is a load-time constant the verifier
     * prunes branches with, so changing the instance's loglevel to DEBUG makes it reject the reloaded code.
     */
    private static final String DEBUG_ONLY_VALID = "#include <pcn/cube.h>\n"
            + "static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)\n"
            + "{\n"
            + "    if (pcn_log_level >= LOG_DEBUG)\n"
            + "        return ((unsigned char *)(long)ctx->data)[md->packet_len];\n"
            + "    return RX_OK;\n"
            + "}\n";
    private static final String VERIFIER_REASON = "invalid access to packet";

    @Test
    public void refusedHalfwayChangesNothingAnywhere() throws Exception {
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        waitFor("RESTCONF serves simplefwd", DEFAULT_TIMEOUT, () -> http().get(FWD).status() != 400);
        String ipA = "10.203.0.1";
        String ipB = "10.203.0.2";
        try (Netns a = Netns.create().addAddress(ipA + "/24"); Netns b = Netns.create().addAddress(ipB + "/24");
                Netns c = Netns.create(); Netns d = Netns.create(); Netns e = Netns.create()) {
            List<Netns> all = List.of(a, b, c, d, e);
            String busy = e.hostIfName();
            foreignXdp(busy);
            Kernel beforeF1 = Kernel.now();
            Http.Response created = http().put(FWD + "=f1", "{\"pcn-simplefwd:simplefwd\":["
                    + fwdNetdevs("f1", a.hostIfName(), b.hostIfName(), "FORWARD") + "]}");
            assertEquals(created.body(), 201, created.status());
            try {
                assertEquals("A -> B through f1", 3, Traffic.pingsReceived(a, ipB));
                Kernel withF1 = Kernel.now();
                long me = ProcessHandle.current().pid();
                List<Integer> actions = new ArrayList<>();
                withF1.maps().forEach((id, o) -> {
                    if (!beforeF1.maps().containsKey(id) && o.has("name") && o.get("name").getAsString().equals("actions")
                            && (!o.has("pids") || o.get("pids").toString().contains("\"pid\":" + me))) {
                        actions.add(id);
                    }
                });
                assertEquals("f1's actions map: " + actions, 1, actions.size());
                int actionsMap = actions.get(0);
                String config = http().get(CONFIG).body();
                String map = dump(actionsMap);
                assertTrue(map, map.contains("\"key\""));
                // f1 gets a SLAVE µCube that the verifier refuses once f1's loglevel is DEBUG.
                io.polycube.core.api.Polycube polycube = assertServiceAvailable(io.polycube.core.api.Polycube.class);
                polycube.reload("f1", 1, new io.polycube.core.spi.DataplaneCode.Source(DEBUG_ONLY_VALID));
                String attached = attachments(all);
                String kernel = KernelSnapshot.now();
                assertTrue(kernel, kernel.contains(" actions ") && kernel.contains(" pcn_ingress_pro "));
                Kernel before = Kernel.now();

                String taken = a.hostIfName();
                String missing = String.format("pcn%06xno", ThreadLocalRandom.current().nextInt(0x1000000));
                String f1Drop = fwdNetdevs("f1", a.hostIfName(), b.hostIfName(), "DROP");
                String f2 = fwdNetdevs("f2", c.hostIfName(), d.hostIfName(), "FORWARD");
                String yangPatch = "{\"ietf-yang-patch:yang-patch\":{\"patch-id\":\"halfway\",\"edit\":["
                        + "{\"edit-id\":\"e1\",\"operation\":\"merge\",\"target\":\"/pcn-simplefwd:simplefwd=f1/actions=pa\","
                        + "\"value\":{\"pcn-simplefwd:actions\":[{\"inport\":\"pa\",\"action\":\"DROP\"}]}},"
                        + "{\"edit-id\":\"e2\",\"operation\":\"create\",\"target\":\"/pcn-simplefwd:simplefwd=f2\","
                        + "\"value\":{\"pcn-simplefwd:simplefwd\":[" + f2 + "]}},"
                        + "{\"edit-id\":\"e3\",\"operation\":\"create\",\"target\":\"/pcn-simplefwd:simplefwd=f3\","
                        + "\"value\":{\"pcn-simplefwd:simplefwd\":[" + fwdNetdevs("f3", taken, "f2:pa", "FORWARD")
                        + "]}}]}}";
                String f1Debug = "{\"name\":\"f1\",\"loglevel\":\"DEBUG\"}";
                String verifierPatch = "{\"ietf-yang-patch:yang-patch\":{\"patch-id\":\"verifier\",\"edit\":["
                        + "{\"edit-id\":\"e1\",\"operation\":\"create\",\"target\":\"/pcn-simplefwd:simplefwd=f2\","
                        + "\"value\":{\"pcn-simplefwd:simplefwd\":[" + f2 + "]}},"
                        + "{\"edit-id\":\"e2\",\"operation\":\"merge\",\"target\":\"/pcn-simplefwd:simplefwd=f1\","
                        + "\"value\":{\"pcn-simplefwd:simplefwd\":[" + f1Debug + "]}}]}}";
                String[][] requests = {
                    // what, method, path, content type, body, a word the reason must carry[, the edit refused]
                    {"YANG Patch, the verifier refuses f1's SLAVE at DEBUG after f2 was created", "PATCH", DATA,
                        "application/yang-patch+json", verifierPatch, VERIFIER_REASON, "e2"},
                    {"merge of the datastore creating f2, the verifier refuses f1's SLAVE at DEBUG", "PATCH", DATA,
                        "application/yang-data+json", "{\"ietf-restconf:data\":{\"pcn-simplefwd:simplefwd\":[" + f2
                        + "," + f1Debug + "]}}", VERIFIER_REASON},
                    {"replace of the datastore with f1 at DEBUG and f2, the verifier refuses f1's SLAVE", "PUT", DATA,
                        "application/yang-data+json", "{\"ietf-restconf:data\":{\"pcn-simplefwd:simplefwd\":["
                        + fwdNetdevs("f1", a.hostIfName(), b.hostIfName(), "FORWARD").replace("\"type\":\"TC\",",
                                "\"type\":\"TC\",\"loglevel\":\"DEBUG\",") + "," + f2 + "]}}", VERIFIER_REASON},
                    {"YANG Patch, third edit on a taken netdev", "PATCH", DATA, "application/yang-patch+json",
                        yangPatch, taken, "e3"},
                    {"merge of the datastore, third instance on a missing netdev", "PATCH", DATA,
                        "application/yang-data+json", "{\"ietf-restconf:data\":{\"pcn-simplefwd:simplefwd\":[" + f1Drop + ","
                        + f2 + "," + fwdNetdevs("f3", missing, "f2:pb", "FORWARD") + "]}}", missing},
                    {"replace of the datastore, third instance on a taken netdev", "PUT", DATA,
                        "application/yang-data+json", "{\"ietf-restconf:data\":{\"pcn-simplefwd:simplefwd\":[" + f1Drop + ","
                        + f2 + "," + fwdNetdevs("f3", taken, "f2:pb", "FORWARD") + "]}}", taken},
                    {"merge of the datastore, the kernel refuses the third instance's XDP attachment", "PATCH", DATA,
                        "application/yang-data+json", "{\"ietf-restconf:data\":{\"pcn-simplefwd:simplefwd\":[" + f1Drop
                        + "," + f2 + ",{\"name\":\"f3\",\"type\":\"XDP_SKB\",\"ports\":[{\"name\":\"pa\",\"peer\":\""
                        + busy + "\"}]}]}}", busy},
                };
                for (String[] request : requests) {
                    Http.Exchange answer = http().send(request[1], request[2], Map.of("Content-Type", request[3],
                            "Accept", "application/yang-data+json"), request[4]);
                    String what = request[0] + ": " + answer.status() + " " + answer.body();
                    System.out.println("kernel-objects refused: " + what);
                    assertTrue(what, answer.status() >= 400 && answer.status() < 500);
                    assertTrue(what, answer.body().contains("\"error-tag\""));
                    assertTrue(what, answer.body().contains("\"ietf-restconf:errors\"")
                            || answer.body().contains("\"ietf-yang-patch:yang-patch-status\""));
                    assertTrue(what + " must name " + request[5], answer.body().contains(request[5]));
                    if (request.length > 6) {
                        // RFC 8072: the edit that brought the refused instance there, not a global error
                        assertTrue(what, answer.body().contains("\"edit-status\":{\"edit\":[{\"edit-id\":\""
                                + request[6] + "\""));
                    }
                    assertFalse(what, answer.body().contains("Exception"));
                    assertEquals(what + ": datastore", config, http().get(CONFIG).body());
                    assertEquals(what + ": f1's actions map", map, dump(actionsMap));
                    assertEquals(what + ": attachments", attached, attachments(all));
                    KernelSnapshot.assertUnchanged(what, kernel);
                    Map<String, List<String>> left = leftSince(before);
                    assertTrue(what + ": new kernel objects " + left, noneLeft(left));
                    assertEquals(what + ": A -> B still through f1", 3, Traffic.pingsReceived(a, ipB));
                }
            } finally {
                deleteEverything(http());
            }
            Map<String, List<String>> left = leftSince(beforeF1);
            assertTrue("kernel objects outlived f1: " + left, noneLeft(left));
        }
    }
}
