// SPDX-License-Identifier: Apache-2.0
// This file contains helpers for protofilter's source-ipv4 table in the itests: request bodies and the kernel map.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Bodies with many {@code source-ipv4} entries, and the bytes of a {@code source_ipv4} map. */
final class SourceTables {
    private SourceTables() {
    }

    /**
     * A protofilter body: {@code fillers} DROP /32 entries in 100.64.0.0/10 (no test address) followed by
     * {@code rules}, each {@code "prefix action"}.
     */
    static String protofilter(String name, String type, String parent, int fillers, String... rules) {
        StringBuilder b = new StringBuilder("{\"pcn-protofilter:protofilter\":[{\"name\":\"").append(name)
            .append("\",\"type\":\"").append(type).append("\",\"parent\":\"").append(parent)
            .append("\",\"direction\":\"INGRESS\",\"source-ipv4\":[");
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < fillers; i++) {
            entries.add("{\"prefix\":\"100." + (64 + (i >> 16)) + "." + (i >> 8 & 255) + "." + (i & 255)
                + "/32\",\"action\":\"DROP\"}");
        }
        for (String rule : rules) {
            String[] parts = rule.split(" ");
            entries.add("{\"prefix\":\"" + parts[0] + "\",\"action\":\"" + parts[1] + "\"}");
        }
        return b.append(String.join(",", entries)).append("]}]}").toString();
    }

    /** Entries of a {@code source-ipv4} list in a GET body. */
    static int entries(String json) {
        return json.split("\"prefix\"", -1).length - 1;
    }

    /** Ids of the {@code source_ipv4} maps in the kernel now (this JVM's and any other process's). */
    static Set<Integer> maps() {
        Netns.Result shown = Netns.run(Netns.DEFAULT_TIMEOUT, "bpftool", "-j", "map", "show");
        assertTrue(shown.output(), shown.ok());
        Set<Integer> ids = new TreeSet<>();
        for (JsonElement e : JsonParser.parseString(shown.output()).getAsJsonArray()) {
            JsonObject map = e.getAsJsonObject();
            if (map.has("name") && "source_ipv4".equals(map.get("name").getAsString())) {
                ids.add(map.get("id").getAsInt());
            }
        }
        return ids;
    }

    /**
     * The one {@code source_ipv4} map that is in {@link #maps()} now and was not in {@code before} (bpftool
     * here does not name the processes holding a map, so "ours" is "new since before we created it").
     */
    static int newMap(Set<Integer> before) {
        Set<Integer> fresh = new TreeSet<>(maps());
        fresh.removeAll(before);
        assertEquals("new source_ipv4 maps: " + fresh, 1, fresh.size());
        return fresh.iterator().next();
    }

    /** The whole content of map {@code id}, as {@code bpftool -j} dumps it: key and value bytes of every entry. */
    static String mapDump(int id) {
        Netns.Result dump = Netns.run(Netns.DEFAULT_TIMEOUT, "bpftool", "-j", "map", "dump", "id", Integer.toString(id));
        assertTrue(dump.output(), dump.ok());
        return dump.output();
    }

    /** Entries in a {@link #mapDump} (a JSON array, one element per entry). */
    static int mapEntries(String dump) {
        return JsonParser.parseString(dump).getAsJsonArray().size();
    }
}
