package io.polycube.core.shell;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.polycube.core.restconf.EditBatch;
import io.polycube.core.restconf.EditBatch.Operation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;

/**
 * The console verbs, polycubectl-like, on a {@link ControlPlane}: every change is a RESTCONF request or
 * an {@link EditBatch} (one transaction), so it is validated, applied and refused exactly like the same
 * change over HTTP. The Karaf commands are thin shells around this class.
 */
final class Console {
    private static final Map<String, String> CONFIG = Map.of("content", "config");

    private final ControlPlane plane;

    Console(ControlPlane plane) {
        this.plane = requireNonNull(plane);
    }

    /** {@code show}: every instance (no words), or the node {@code instance words...}; RFC 7951 JSON if asked. */
    void show(List<String> words, boolean json, PrintStream out) throws ConsoleException {
        if (words.isEmpty()) {
            ControlPlane.Reply reply = ConsoleException.check(plane.request("GET", "", Map.of(), null));
            if (json) {
                out.println(reply.body());
            } else {
                JsonObject data = JsonParser.parseString(reply.body()).getAsJsonObject()
                    .getAsJsonObject("ietf-restconf:data");
                Tables.instances(data == null ? new JsonObject() : data, plane.cubeTypes(), out);
            }
            return;
        }
        YangPath path = path(words);
        ControlPlane.Reply reply = ConsoleException.check(plane.request("GET", path.apiPath(), Map.of(), null));
        if (json) {
            out.println(reply.body());
        } else {
            new Tables(YangPath.order(path.schema()), YangPath.userOrdered(path.schema())).print(JsonParser.parseString(reply.body()).getAsJsonObject(),
                path.isNode(), out);
        }
    }

    /**
     * {@code add <type> <name> [leaf=value...]} creates an instance; {@code add <instance> <list> <key...>
     * [leaf=value...]} adds a list entry; {@code add <instance> <leaf-list> <value>} adds a value.
     */
    void add(List<String> words) throws ConsoleException {
        if (words.isEmpty()) {
            throw new ConsoleException("usage: add <type> <name> [leaf=value ...] | add <instance> <list> <key> ...");
        }
        String first = words.get(0);
        Map<String, String> instances = plane.instances();
        if (!instances.containsKey(first) && plane.cubeTypes().contains(first)) {
            if (words.size() < 2 || Assignment.is(words.get(1))) {
                throw new ConsoleException("usage: add " + first + " <name> [leaf=value ...]");
            }
            YangPath instance = YangPath.instance(plane.model(), first, words.get(1));
            String body = Bodies.of(instance, Assignment.after(words, 2));
            ConsoleException.check(plane.request("POST", "", Map.of(), body));
            return;
        }
        if (!instances.containsKey(first)) {
            throw new ConsoleException("no cube type or instance '" + first + "' (cube types: "
                + String.join(", ", new TreeSet<>(plane.cubeTypes())) + ";" + known().replace(" (", " ")
                    .replace(")", "") + ")");
        }
        List<String> pathWords = Assignment.pathWords(words);
        List<Assignment> assignments = Assignment.after(words, pathWords.size());
        YangPath target = path(pathWords);
        if (target.schema() instanceof LeafListSchemaNode && target.expect() == YangPath.Expect.NOTHING) {
            // a set of values: adding one is a merge of the node that holds it
            YangPath holder = target.parent();
            String value = target.last().keys().get(0);
            String name = target.schema().getQName().getLocalName();
            ConsoleException.check(plane.request("PATCH", holder.apiPath(), Map.of(),
                Bodies.of(holder, List.of(new Assignment(name, value)))));
            return;
        }
        if (!(target.schema() instanceof ListSchemaNode) || !target.isNode() || target.steps().size() < 2) {
            throw new ConsoleException("add needs a list and its key: add <instance> <list> <key> [leaf=value ...]"
                + " (got '" + target.describe() + "')");
        }
        ConsoleException.check(plane.request("POST", target.parent().apiPath(), Map.of(),
            Bodies.of(target, assignments)));
    }

    /** {@code set <instance> [<path...>] leaf=value...}: a merge (PATCH) of the node the path ends at. */
    void set(List<String> words) throws ConsoleException {
        List<String> pathWords = Assignment.pathWords(words);
        List<Assignment> assignments = Assignment.after(words, pathWords.size());
        if (pathWords.isEmpty() || assignments.isEmpty()) {
            throw new ConsoleException("usage: set <instance> [<list> <key> ...] <leaf>=<value> ...");
        }
        YangPath target = path(pathWords);
        ConsoleException.check(plane.request("PATCH", target.apiPath(), Map.of(), Bodies.of(target, assignments)));
    }

    /** {@code del <instance> [<path...>]}: deletes the instance, an entry, a leaf or a leaf-list value. */
    void del(List<String> words) throws ConsoleException {
        if (words.isEmpty()) {
            throw new ConsoleException("usage: del <instance> [<list> <key> | <leaf> ...]");
        }
        ConsoleException.check(plane.request("DELETE", path(words).apiPath(), Map.of(), null));
    }

    /**
     * {@code connect <instance>:<port> <netdev | instance:port>}: sets the port's peer; for a cube port the
     * peer's peer too, in the same transaction, so that the link comes up. A port connected elsewhere is
     * refused (disconnect it first).
     */
    void connect(String port, String peer) throws ConsoleException {
        YangPath own = port(port);
        List<EditBatch.Edit> edits = new ArrayList<>();
        requireFree(own, port, peer);
        edits.add(new EditBatch.Edit(Operation.MERGE, own.apiPath(), Bodies.of(own, List.of(new Assignment("peer",
            peer)))));
        if (peer.indexOf(':') > 0) {
            YangPath other = port(peer);
            requireFree(other, peer, port);
            edits.add(new EditBatch.Edit(Operation.MERGE, other.apiPath(), Bodies.of(other,
                List.of(new Assignment("peer", port)))));
        }
        ConsoleException.check(plane.commit(edits));
    }

    /** {@code disconnect <instance>:<port>}: removes the port's peer, and the peer port's if it names this one. */
    void disconnect(String port) throws ConsoleException {
        YangPath own = port(port);
        String peer = peerOf(own).orElseThrow(() -> new ConsoleException(port + " is not connected"));
        List<EditBatch.Edit> edits = new ArrayList<>();
        edits.add(new EditBatch.Edit(Operation.DELETE, own.apiPath() + "/peer", null));
        if (peer.indexOf(':') > 0 && plane.instances().containsKey(peer.substring(0, peer.indexOf(':')))) {
            YangPath other = port(peer);
            if (peerOf(other).filter(port::equals).isPresent()) {
                edits.add(new EditBatch.Edit(Operation.DELETE, other.apiPath() + "/peer", null));
            }
        }
        ConsoleException.check(plane.commit(edits));
    }

    /** {@code attach}: sets a transparent cube's parent, direction and position in one merge. */
    void attach(String cube, String parent, String direction, String position) throws ConsoleException {
        YangPath target = transparent(cube);
        List<Assignment> leaves = List.of(new Assignment("parent", parent), new Assignment("direction", direction),
            new Assignment("position", position));
        ConsoleException.check(plane.request("PATCH", target.apiPath(), Map.of(), Bodies.of(target, leaves)));
    }

    /** {@code detach}: removes a transparent cube's parent (it stays configured, attached nowhere). */
    void detach(String cube) throws ConsoleException {
        YangPath target = transparent(cube);
        ControlPlane.Reply reply = plane.request("DELETE", target.apiPath() + "/parent", Map.of(), null);
        if (reply.status() == 404) {
            throw new ConsoleException(cube + " is not attached");
        }
        ConsoleException.check(reply);
    }

    /** The path of {@code instance words...}; the instance must exist. */
    YangPath path(List<String> words) throws ConsoleException {
        String instance = words.get(0);
        String type = plane.instances().get(instance);
        if (type == null) {
            throw new ConsoleException("no instance '" + instance + "'" + known());
        }
        return YangPath.instance(plane.model(), type, instance).then(words.subList(1, words.size()));
    }

    private String known() {
        TreeSet<String> names = new TreeSet<>(plane.instances().keySet());
        return names.isEmpty() ? " (there are none)" : " (instances: " + String.join(", ", names) + ")";
    }

    /** {@code instance:port} as a path to the port's entry. */
    private YangPath port(String word) throws ConsoleException {
        int colon = word.indexOf(':');
        if (colon <= 0 || colon == word.length() - 1) {
            throw new ConsoleException("expected <instance>:<port>, got '" + word + "'");
        }
        YangPath instance = path(List.of(word.substring(0, colon)));
        if (!(instance.schema() instanceof DataNodeContainer node) || YangPath.children(node).stream()
                .noneMatch(c -> c.getQName().getLocalName().equals("ports"))) {
            throw new ConsoleException(word.substring(0, colon) + " has no ports");
        }
        return instance.then(List.of("ports", word.substring(colon + 1)));
    }

    private Optional<String> peerOf(YangPath port) {
        ControlPlane.Reply reply = plane.request("GET", port.apiPath() + "/peer", CONFIG, null);
        if (!reply.ok()) {
            return Optional.empty();
        }
        return JsonParser.parseString(reply.body()).getAsJsonObject().entrySet().stream().findFirst()
            .map(Map.Entry::getValue).map(JsonElement::getAsString);
    }

    private void requireFree(YangPath port, String name, String peer) throws ConsoleException {
        Optional<String> current = peerOf(port);
        if (current.isPresent() && !current.get().equals(peer)) {
            throw new ConsoleException(name + " is connected to " + current.get() + ": disconnect it first");
        }
    }

    private YangPath transparent(String cube) throws ConsoleException {
        YangPath target = path(List.of(cube));
        if (YangPath.children((DataNodeContainer) target.schema()).stream()
                .noneMatch(c -> c.getQName().getLocalName().equals("parent"))) {
            throw new ConsoleException(cube + " is not a transparent cube (it has no 'parent' to attach by)");
        }
        return target;
    }
}
