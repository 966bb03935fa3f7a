package io.polycube.core.shell;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.opendaylight.yangtools.yang.model.api.ContainerSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.TypedDataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.type.LeafrefTypeDefinition;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;

/**
 * Completion candidates for the console, from the live model and datastore: cube types, instance
 * names, list and leaf names at the current position of a path, keys of existing entries, enumeration
 * values of a leaf's type, cube ports and netdevs. The Karaf completers (package {@code completers})
 * only adapt these to the shell.
 */
public final class Completions {
    /** Which command a path is typed for. */
    public enum Mode { SHOW, ADD, SET, DEL }

    /** A candidate word; {@code complete}: the word is whole (the shell adds a space after it). */
    public record Word(String value, boolean complete) {
        public Word {
            requireNonNull(value);
        }
    }

    private static final Path NETDEVS = Path.of("/sys/class/net");
    private static final Map<String, String> CONFIG = Map.of("content", "config");

    private final ControlPlane plane;

    public Completions(ControlPlane plane) {
        this.plane = requireNonNull(plane);
    }

    /** Candidates for the word {@code prefix} of a path command after the words {@code before}. */
    public List<Word> path(Mode mode, List<String> before, String prefix) {
        Map<String, String> instances = plane.instances();
        if (before.isEmpty()) {
            TreeSet<String> first = new TreeSet<>(instances.keySet());
            if (mode == Mode.ADD) {
                first.addAll(plane.cubeTypes());
            }
            return words(first, prefix);
        }
        String head = before.get(0);
        try {
            if (mode == Mode.ADD && !instances.containsKey(head) && plane.cubeTypes().contains(head)) {
                // a new instance: its name is free text, then its leaves
                return before.size() < 2 ? List.of()
                    : assignments(YangPath.instance(plane.model(), head, before.get(1)), mode, prefix);
            }
            if (!instances.containsKey(head)) {
                return List.of();
            }
            List<String> pathWords = Assignment.pathWords(before.subList(1, before.size()));
            YangPath path = YangPath.instance(plane.model(), instances.get(head), head).then(pathWords);
            boolean assigning = pathWords.size() < before.size() - 1;
            return switch (path.expect()) {
                case KEY -> mode == Mode.ADD ? List.of() : words(existing(path), prefix);
                case VALUE -> mode == Mode.ADD ? words(Values.choices(((TypedDataSchemaNode) path.schema()).getType()),
                    prefix) : words(existing(path), prefix);
                case NOTHING -> List.of();
                case CHILD -> child(mode, path, assigning || mode == Mode.ADD && pathWords.size() >= 2, prefix);
            };
        } catch (ConsoleException | RuntimeException e) {
            return List.of();
        }
    }

    private List<Word> child(Mode mode, YangPath path, boolean onlyLeaves, String prefix) {
        if (onlyLeaves || (mode == Mode.SET && prefix.contains("="))) {
            return mode == Mode.SET || mode == Mode.ADD ? assignments(path, mode, prefix) : List.of();
        }
        List<Word> all = new ArrayList<>();
        for (DataSchemaNode child : YangPath.children((DataNodeContainer) path.schema())) {
            String name = child.getQName().getLocalName();
            boolean inner = child instanceof ListSchemaNode || child instanceof ContainerSchemaNode;
            if (mode == Mode.SHOW || (child.effectiveConfig().orElse(true) && (inner
                    || (mode == Mode.DEL && !isKey(path, child)) || (mode == Mode.ADD && child instanceof LeafListSchemaNode)))) {
                all.add(new Word(name, true));
            }
        }
        List<Word> result = new ArrayList<>(filter(all, prefix));
        if (mode == Mode.SET) {
            result.addAll(assignments(path, mode, prefix));
        }
        return result;
    }

    /** {@code leaf=} for each settable leaf of the node, or {@code leaf=value} once the name is typed. */
    private List<Word> assignments(YangPath node, Mode mode, String prefix) {
        int eq = prefix.indexOf('=');
        List<Word> all = new ArrayList<>();
        for (DataSchemaNode child : YangPath.children((DataNodeContainer) node.schema())) {
            if (!(child instanceof TypedDataSchemaNode typed) || !child.effectiveConfig().orElse(true)
                    || isKey(node, child)) {
                continue;
            }
            String name = child.getQName().getLocalName();
            if (eq < 0) {
                all.add(new Word(name + "=", false));
            } else if (prefix.substring(0, eq).equals(name)) {
                for (String value : values(node, typed)) {
                    all.add(new Word(name + "=" + value, true));
                }
            }
        }
        return filter(all, prefix);
    }

    /** The values a leaf may take when they can be listed: enumerations, booleans, peers, ports of the instance. */
    private List<String> values(YangPath node, TypedDataSchemaNode leaf) {
        TypeDefinition<?> type = leaf.getType();
        if (isPeer(type)) {
            return peers("").stream().map(Word::value).toList();
        }
        if (type instanceof LeafrefTypeDefinition leafref
                && leafref.getPathStatement().getOriginalString().replace(" ", "").endsWith("ports/name")) {
            return portsOf(node.steps().get(0).keys().get(0));
        }
        SchemaInferenceStack stack = node.stack();
        stack.enterDataTree(leaf.getQName());
        return Values.choices(Bodies.resolve(stack, leaf));
    }

    private static boolean isPeer(TypeDefinition<?> type) {
        for (TypeDefinition<?> t = type; t != null; t = t.getBaseType()) {
            if (t.getQName().getLocalName().equals("peer-ref")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isKey(YangPath path, DataSchemaNode child) {
        return path.schema() instanceof ListSchemaNode list && list.getKeyDefinition().contains(child.getQName());
    }

    /** Keys of the entries of the list the path ends at (first missing key), or the values of a leaf-list. */
    private List<String> existing(YangPath path) {
        ControlPlane.Reply reply = plane.request("GET", path.apiPath(), CONFIG, null);
        List<String> values = new ArrayList<>();
        if (!reply.ok()) {
            return values;
        }
        for (JsonElement element : members(reply.body())) {
            if (element.isJsonObject() && path.schema() instanceof ListSchemaNode list) {
                String key = list.getKeyDefinition().get(path.last().keys().size()).getLocalName();
                JsonElement value = element.getAsJsonObject().get(key);
                if (value != null) {
                    values.add(value.getAsString());
                }
            } else if (element.isJsonPrimitive()) {
                values.add(element.getAsString());
            }
        }
        return values.stream().sorted().toList();
    }

    /** The elements of the array that is the one member of a GET body, if it is one. */
    private static List<JsonElement> members(String body) {
        try {
            JsonObject object = JsonParser.parseString(body).getAsJsonObject();
            List<JsonElement> all = new ArrayList<>();
            object.entrySet().stream().findFirst().filter(e -> e.getValue().isJsonArray())
                .ifPresent(e -> e.getValue().getAsJsonArray().forEach(all::add));
            return all;
        } catch (JsonParseException | IllegalStateException e) {
            return List.of();
        }
    }

    /** {@code instance:port} for every port of every instance. */
    public List<Word> ports(String prefix) {
        List<String> all = new ArrayList<>();
        for (String instance : plane.instances().keySet()) {
            portsOf(instance).forEach(port -> all.add(instance + ":" + port));
        }
        return words(all, prefix);
    }

    private List<String> portsOf(String instance) {
        String type = plane.instances().get(instance);
        if (type == null) {
            return List.of();
        }
        ControlPlane.Reply reply = plane.request("GET", "pcn-" + type + ":" + type + "=" + YangPath.encode(instance)
            + "/ports", CONFIG, null);
        List<String> names = new ArrayList<>();
        if (reply.ok()) {
            members(reply.body()).stream().filter(JsonElement::isJsonObject)
                .map(e -> e.getAsJsonObject().get("name")).filter(n -> n != null)
                .forEach(n -> names.add(n.getAsString()));
        }
        return names.stream().sorted().toList();
    }

    /** Where a port or a transparent cube can go: netdevs of this namespace and cube ports. */
    public List<Word> peers(String prefix) {
        List<Word> all = new ArrayList<>(words(netdevs(), prefix));
        all.addAll(ports(prefix));
        return all;
    }

    /** Instances of transparent cube types (their list has a {@code parent} leaf). */
    public List<Word> transparent(String prefix) {
        List<String> names = new ArrayList<>();
        plane.instances().forEach((name, type) -> {
            try {
                if (YangPath.children((DataNodeContainer) YangPath.cubeList(plane.model(), type).schema()).stream()
                        .anyMatch(c -> c.getQName().getLocalName().equals("parent"))) {
                    names.add(name);
                }
            } catch (ConsoleException e) {
                // a type whose module went away meanwhile: not offered
            }
        });
        return words(names, prefix);
    }

    /** Names of the network devices of polycubed's namespace. */
    static List<String> netdevs() {
        try (Stream<Path> devices = Files.list(NETDEVS)) {
            return devices.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<Word> words(Iterable<String> values, String prefix) {
        List<Word> all = new ArrayList<>();
        values.forEach(v -> all.add(new Word(v, true)));
        return filter(all, prefix);
    }

    private static List<Word> filter(List<Word> words, String prefix) {
        return words.stream().filter(w -> w.value().startsWith(prefix)).distinct().toList();
    }
}
