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
import java.util.Set;
import java.util.TreeSet;

/**
 * What the data plane of this Karaf holds, for "a refused request changes nothing" checks: the contents of
 * every map the Karaf JVM holds (bytes, prog-array slots as program ids), its bpf links (which program on
 * which hook) and the programs attached through netlink (XDP, tc) that are its own. Two snapshots are equal
 * when no map byte, no program and no attachment changed. Two {@code bpftool -j batch} runs (tens of ms).
 * Left out: ring buffers (nothing to dump) and per-CPU maps (scratch metadata and port counters, which any
 * packet, even the kernel's own IPv6 chatter on a veth, changes; no configuration lives there).
 * Other processes' objects (other Karafs on the machine) are told apart by their holders.
 */
final class KernelSnapshot {
    private KernelSnapshot() {
    }

    /** The snapshot now (the test runs in the Karaf JVM, whose pid holds polycubed's objects). */
    static String now() {
        String me = "\"pid\":" + ProcessHandle.current().pid() + ",";
        List<JsonElement> listed = batch(List.of("map show", "prog show", "link show", "net show"));
        List<String> lines = new ArrayList<>();
        Set<Integer> ownProgs = new HashSet<>();
        for (JsonElement p : listed.get(1).getAsJsonArray()) {
            if (heldBy(p.getAsJsonObject(), me)) {
                ownProgs.add(p.getAsJsonObject().get("id").getAsInt());
            }
        }
        for (JsonElement l : listed.get(2).getAsJsonArray()) {
            JsonObject link = l.getAsJsonObject().deepCopy();
            if (heldBy(link, me)) {
                link.remove("pids");
                lines.add("link " + link);
            }
        }
        for (JsonElement family : listed.get(3).getAsJsonArray()) {
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
            if (heldBy(map, me) && !type.startsWith("percpu") && !type.contains("ringbuf")) {
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

    private static boolean heldBy(JsonObject o, String pid) {
        return o.has("pids") && o.get("pids").toString().contains(pid);
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
