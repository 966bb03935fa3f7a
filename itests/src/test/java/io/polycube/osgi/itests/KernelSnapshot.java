// SPDX-License-Identifier: Apache-2.0
// This file contains KernelSnapshot: polycubed's maps (their bytes) and attachments as one comparable text.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the data plane of this Karaf holds, for "a refused request changes nothing" checks: the contents of
 * every map the Karaf JVM holds (bytes, prog-array slots as program ids), its bpf links (which program on
 * which hook) and the programs attached through netlink (XDP, tc) that are its own. Two snapshots are equal
 * when no map byte, no program and no attachment changed. Two {@code bpftool -j batch} runs (tens of ms).
 * Left out: ring buffers (nothing to dump) and per-CPU maps (scratch metadata and port counters, which any
 * packet, even the kernel's own IPv6 chatter on a veth, changes; no configuration lives there).
 * Other processes' objects (other Karafs on the machine) are told apart by who holds them ({@link #holders}).
 */
final class KernelSnapshot {
    private static final Pattern FDINFO_ID = Pattern.compile("(?m)^(link|prog|map)_id:\\s*(\\d+)");

    private KernelSnapshot() {
    }

    /** The snapshot now (the test runs in the Karaf JVM, whose file descriptors hold polycubed's objects). */
    static String now() {
        Map<String, Map<Integer, Set<Long>>> mine = holders(Path.of("/proc/self"));
        Set<Integer> ownMaps = mine.get("map").keySet();
        Set<Integer> ownProgs = new HashSet<>(mine.get("prog").keySet());
        List<JsonElement> listed = batch(List.of("map show", "link show", "net show"));
        List<String> lines = new ArrayList<>();
        for (JsonElement l : listed.get(1).getAsJsonArray()) {
            JsonObject link = l.getAsJsonObject();
            if (mine.get("link").containsKey(link.get("id").getAsInt())) {
                lines.add("link " + link);
                if (link.has("prog_id")) {
                    ownProgs.add(link.get("prog_id").getAsInt());
                }
            }
        }
        for (JsonElement family : listed.get(2).getAsJsonArray()) {
            for (var hook : family.getAsJsonObject().entrySet()) {
                for (JsonElement a : hook.getValue().getAsJsonArray()) {
                    JsonObject attached = a.getAsJsonObject();
                    if (attached.has("id") && ownProgs.contains(attached.get("id").getAsInt())) {
                        lines.add("net " + hook.getKey() + " " + attached);
                    }
                }
            }
        }
        List<String> dumps = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonElement m : listed.get(0).getAsJsonArray()) {
            JsonObject map = m.getAsJsonObject();
            String type = map.get("type").getAsString();
            if (ownMaps.contains(map.get("id").getAsInt()) && !type.startsWith("percpu") && !type.contains("ringbuf")) {
                dumps.add("map dump id " + map.get("id").getAsInt());
                names.add(map.get("id").getAsInt() + " " + (map.has("name") ? map.get("name").getAsString() : type));
            }
        }
        List<JsonElement> contents = batch(dumps);
        for (int i = 0; i < names.size(); i++) {
            TreeSet<String> entries = new TreeSet<>();
            contents.get(i).getAsJsonArray().forEach(e -> entries.add(e.toString()));
            lines.add("map " + names.get(i) + " " + entries);
        }
        lines.sort(null);
        return String.join("\n", lines);
    }

    /** Fails with {@code what} unless the maps and attachments are as in {@code before}. */
    static void assertUnchanged(String what, String before) {
        assertEquals(what + ": maps and attachments", before, now());
    }

    /**
     * Which processes hold which eBPF objects: kind ({@code map}, {@code prog}, {@code link}) to id to pids,
     * read from {@code fdinfo} of every process under {@code /proc} (or of one, given its {@code /proc/<pid>});
     * the bpftool here is built without the pids of {@code bpftool -j ... show}.
     */
    static Map<String, Map<Integer, Set<Long>>> holders(Path... processes) {
        Map<String, Map<Integer, Set<Long>>> held = new TreeMap<>();
        for (String kind : List.of("map", "prog", "link")) {
            held.put(kind, new TreeMap<>());
        }
        List<Path> all = new ArrayList<>(List.of(processes));
        if (all.isEmpty()) {
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(all::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Path process : all) {
            long pid = process.toString().equals("/proc/self") ? ProcessHandle.current().pid()
                    : Long.parseLong(process.getFileName().toString());
            try (Stream<Path> fds = Files.list(process.resolve("fdinfo"))) {
                for (Path fd : fds.toList()) {
                    String info;
                    try {
                        info = Files.readString(fd);
                    } catch (IOException closedMeanwhile) {
                        continue;
                    }
                    // A link's fdinfo names its program too: link_id wins over prog_id, prog_id over map_id.
                    Map<String, Integer> ids = new TreeMap<>();
                    Matcher m = FDINFO_ID.matcher(info);
                    while (m.find()) {
                        ids.put(m.group(1), Integer.parseInt(m.group(2)));
                    }
                    for (String kind : List.of("link", "prog", "map")) {
                        if (ids.containsKey(kind)) {
                            held.get(kind).computeIfAbsent(ids.get(kind), id -> new TreeSet<>()).add(pid);
                            break;
                        }
                    }
                }
            } catch (IOException | SecurityException goneOrHidden) {
                // the process ended meanwhile
            }
        }
        return held;
    }

    /** Runs bpftool commands in one process; their JSON outputs in order. */
    private static List<JsonElement> batch(List<String> commands) {
        List<JsonElement> outputs = new ArrayList<>();
        if (commands.isEmpty()) {
            return outputs;
        }
        Path file = null;
        try {
            file = Files.createTempFile("pcn-snapshot", ".txt");
            Files.write(file, commands);
            Netns.Result result = Netns.run(Netns.DEFAULT_TIMEOUT, "bpftool", "-j", "batch", "file", file.toString());
            assertTrue("bpftool batch: " + result.output(), result.ok());
            JsonArray answers = JsonParser.parseString(result.output().trim()).getAsJsonArray();
            assertEquals("bpftool batch: " + result.output(), commands.size(), answers.size());
            answers.forEach(a -> outputs.add(a.getAsJsonObject().get("output")));
            return outputs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }
}
