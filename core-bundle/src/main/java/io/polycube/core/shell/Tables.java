package io.polycube.core.shell;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * RFC 7951 data as tables for people: a node's leaves as a Leaf/Value table, then each of its lists as
 * a table whose columns are the entries' keys and leaves, in the order of the YANG model. Member names
 * lose their module prefix.
 */
final class Tables {
    private final List<String> order;
    private final Set<String> userOrdered;

    /**
     * @param order local names in the order of the model (keys first); names not in it go last
     * @param userOrdered names of lists whose entries keep their order ({@code ordered-by user}); others are sorted
     */
    Tables(List<String> order, Set<String> userOrdered) {
        this.order = List.copyOf(order);
        this.userOrdered = Set.copyOf(userOrdered);
    }

    /**
     * Prints a GET body ({@code {"module:node": ...}}) of one node; {@code entry}: the body holds one
     * selected list entry (printed as a node), not a whole list.
     */
    void print(JsonObject body, boolean entry, PrintStream out) {
        for (Map.Entry<String, JsonElement> member : body.entrySet()) {
            String name = local(member.getKey());
            JsonElement value = member.getValue();
            if (value.isJsonObject()) {
                node(name, value.getAsJsonObject(), out);
            } else if (isEntries(value)) {
                JsonArray entries = value.getAsJsonArray();
                if (entry && entries.size() == 1) {
                    node(name, entries.get(0).getAsJsonObject(), out);
                } else {
                    list(name, entries, out);
                }
            } else {
                out.println(text(value));
            }
        }
    }

    /**
     * The instances of the cube types in a GET of the whole datastore: name, type, hook, ports (with
     * peer and status) and, for transparent cubes, where they are attached.
     */
    static void instances(JsonObject data, Set<String> cubeTypes, PrintStream out) {
        ShellTable table = new ShellTable();
        table.emptyTableText("no cube instances");
        for (String column : List.of("Instance", "Cube type", "Hook", "Ports", "Attached to")) {
            table.column(column);
        }
        for (Map.Entry<String, JsonElement> top : data.entrySet()) {
            String type = local(top.getKey());
            if (!cubeTypes.contains(type) || !top.getValue().isJsonArray()) {
                continue;
            }
            for (JsonElement element : top.getValue().getAsJsonArray()) {
                JsonObject instance = element.getAsJsonObject();
                List<String> ports = new ArrayList<>();
                if (instance.has("ports")) {
                    for (JsonElement port : instance.getAsJsonArray("ports")) {
                        JsonObject p = port.getAsJsonObject();
                        ports.add(string(p, "name") + (p.has("peer") ? " > " + string(p, "peer") : "")
                            + (p.has("status") ? " " + string(p, "status") : ""));
                    }
                }
                ports.sort(null);
                String attached = instance.has("parent") ? string(instance, "parent") + " "
                    + string(instance, "direction") + " " + string(instance, "position") : "";
                table.addRow().addContent(string(instance, "name"), type, string(instance, "type"),
                    String.join(", ", ports), attached.trim());
            }
        }
        table.print(out);
    }

    private int rank(String member) {
        int index = order.indexOf(local(member));
        return index < 0 ? order.size() : index;
    }

    private List<Map.Entry<String, JsonElement>> sorted(Set<Map.Entry<String, JsonElement>> members) {
        return members.stream().sorted(Comparator.comparingInt(e -> rank(e.getKey()))).toList();
    }

    private static String string(JsonObject object, String member) {
        JsonElement value = object.get(member);
        return value == null ? "" : text(value);
    }

    /** A container or list entry: its leaves (containers flattened as {@code a/b}), then its lists. */
    void node(String name, JsonObject node, PrintStream out) {
        ShellTable leaves = new ShellTable();
        leaves.column("Leaf");
        leaves.column("Value");
        List<Map.Entry<String, JsonArray>> lists = new ArrayList<>();
        flatten("", node, leaves, lists);
        leaves.print(out);
        for (Map.Entry<String, JsonArray> nested : lists) {
            out.println();
            out.println(nested.getKey() + ":");
            list(nested.getKey(), nested.getValue(), out);
        }
    }

    private void flatten(String prefix, JsonObject node, ShellTable leaves,
            List<Map.Entry<String, JsonArray>> lists) {
        for (Map.Entry<String, JsonElement> member : sorted(node.entrySet())) {
            String name = prefix + local(member.getKey());
            JsonElement value = member.getValue();
            if (value.isJsonObject()) {
                flatten(name + "/", value.getAsJsonObject(), leaves, lists);
            } else if (isEntries(value)) {
                lists.add(Map.entry(name, value.getAsJsonArray()));
            } else {
                leaves.addRow().addContent(name, text(value));
            }
        }
    }

    /** A list: one row per entry, one column per leaf (nested lists as their number of entries). */
    void list(String name, JsonArray entries, PrintStream out) {
        Set<String> found = new LinkedHashSet<>();
        for (JsonElement entry : entries) {
            entry.getAsJsonObject().keySet().forEach(found::add);
        }
        List<String> columns = found.stream().sorted(Comparator.comparingInt(this::rank)).toList();
        ShellTable table = new ShellTable();
        table.emptyTableText("no " + name);
        for (String column : columns) {
            table.column(local(column));
        }
        // the entries of a list ordered by the system come in hash order: people read them sorted
        List<JsonObject> rows = new ArrayList<>();
        entries.forEach(entry -> rows.add(entry.getAsJsonObject()));
        if (!columns.isEmpty() && !userOrdered.contains(local(name))) {
            rows.sort(Comparator.comparing(row -> row.has(columns.get(0)) ? text(row.get(columns.get(0))) : ""));
        }
        for (JsonObject object : rows) {
            List<Object> row = new ArrayList<>();
            for (String column : columns) {
                JsonElement value = object.get(column);
                row.add(value == null ? "" : isEntries(value) ? "(" + value.getAsJsonArray().size() + ")"
                    : value.isJsonObject() ? "{...}" : text(value));
            }
            table.addRow().addContent(row);
        }
        table.print(out);
    }

    /** A leaf value as text; a leaf-list's values separated by commas; {@code [null]} (empty) as nothing. */
    static String text(JsonElement value) {
        if (value.isJsonArray()) {
            List<String> values = new ArrayList<>();
            value.getAsJsonArray().forEach(v -> values.add(v.isJsonNull() ? "" : v.getAsString()));
            return String.join(",", values);
        }
        return value.isJsonNull() ? "" : value.getAsString();
    }

    private static boolean isEntries(JsonElement value) {
        return value.isJsonArray() && !value.getAsJsonArray().isEmpty() && value.getAsJsonArray().get(0).isJsonObject();
    }

    static String local(String member) {
        int colon = member.indexOf(':');
        return colon < 0 ? member : member.substring(colon + 1);
    }
}
