package io.polycube.core.shell;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.model.api.CaseSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.Module;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;

/**
 * A position in a cube instance's data, as console words give it ({@code fwd1 actions p1 outport}):
 * each word names a child node (local name, or {@code module:name}), a list is followed by its key
 * values and a leaf-list by one value. Printed as an RFC 8040 api-path. Immutable; {@link #then}
 * consumes one more word.
 */
final class YangPath {
    /** What the next word of a path names. */
    enum Expect { CHILD, KEY, VALUE, NOTHING }

    /** One node of the path; {@code keys} holds the key values given so far (a leaf-list: its one value). */
    record Step(DataSchemaNode schema, List<String> keys) {
        Step {
            requireNonNull(schema);
            keys = List.copyOf(keys);
        }

        QName qname() {
            return schema.getQName();
        }
    }

    private final EffectiveModelContext context;
    private final String type;
    private final List<Step> steps;

    private YangPath(EffectiveModelContext context, String type, List<Step> steps) {
        this.context = context;
        this.type = type;
        this.steps = List.copyOf(steps);
    }

    /** The list of cube type {@code type} (module {@code pcn-<type>}), no entry selected. */
    static YangPath cubeList(EffectiveModelContext context, String type) throws ConsoleException {
        Module module = context.findModules("pcn-" + type).stream().findFirst()
            .orElseThrow(() -> new ConsoleException("unknown cube type '" + type + "'"));
        DataSchemaNode list = module.findDataChildByName(QName.create(module.getQNameModule(), type))
            .filter(ListSchemaNode.class::isInstance)
            .orElseThrow(() -> new ConsoleException("module pcn-" + type + " has no list '" + type + "'"));
        return new YangPath(context, type, List.of(new Step(list, List.of())));
    }

    /** The entry of instance {@code name} of cube type {@code type}. */
    static YangPath instance(EffectiveModelContext context, String type, String name) throws ConsoleException {
        return cubeList(context, type).then(name);
    }

    /** The path after {@code words}, each consumed by {@link #then}. */
    YangPath then(List<String> words) throws ConsoleException {
        YangPath path = this;
        for (String word : words) {
            path = path.then(word);
        }
        return path;
    }

    /** This path with one more word: a key value, a leaf-list value or a child's name. */
    YangPath then(String word) throws ConsoleException {
        List<Step> next = new ArrayList<>(steps);
        Step last = steps.get(steps.size() - 1);
        switch (expect()) {
            case KEY, VALUE -> {
                List<String> keys = new ArrayList<>(last.keys());
                keys.add(word);
                next.set(next.size() - 1, new Step(last.schema(), keys));
            }
            case CHILD -> next.add(new Step(child((DataNodeContainer) last.schema(), word), List.of()));
            default -> throw new ConsoleException("'" + last.qname().getLocalName() + "' is a leaf: nothing below it ('"
                + word + "')");
        }
        return new YangPath(context, type, next);
    }

    /** What the next word would name. */
    Expect expect() {
        Step last = steps.get(steps.size() - 1);
        if (last.schema() instanceof ListSchemaNode list) {
            return last.keys().size() < list.getKeyDefinition().size() ? Expect.KEY : Expect.CHILD;
        }
        if (last.schema() instanceof LeafListSchemaNode) {
            return last.keys().isEmpty() ? Expect.VALUE : Expect.NOTHING;
        }
        return last.schema() instanceof DataNodeContainer ? Expect.CHILD : Expect.NOTHING;
    }

    /** The child of {@code parent} named {@code word} ({@code name} or {@code module:name}), through choices. */
    private DataSchemaNode child(DataNodeContainer parent, String word) throws ConsoleException {
        int colon = word.indexOf(':');
        String local = colon < 0 ? word : word.substring(colon + 1);
        String module = colon < 0 ? null : word.substring(0, colon);
        for (DataSchemaNode child : children(parent)) {
            if (child.getQName().getLocalName().equals(local) && (module == null || module.equals(moduleName(child)))) {
                return child;
            }
        }
        throw new ConsoleException("no '" + word + "' in " + describe() + "; one of: "
            + String.join(", ", children(parent).stream().map(c -> c.getQName().getLocalName()).toList()));
    }

    /** The data children of a node, choices and cases flattened (they have no name in data). */
    static List<DataSchemaNode> children(DataNodeContainer parent) {
        List<DataSchemaNode> all = new ArrayList<>();
        for (DataSchemaNode child : parent.getChildNodes()) {
            if (child instanceof ChoiceSchemaNode choice) {
                for (CaseSchemaNode branch : choice.getCases()) {
                    all.addAll(children(branch));
                }
            } else {
                all.add(child);
            }
        }
        return all;
    }

    /** Local names of a node and everything below it, depth first in model order, keys of each list first. */
    static List<String> order(DataSchemaNode node) {
        List<String> names = new ArrayList<>();
        collect(node, names);
        return names;
    }

    private static void collect(DataSchemaNode node, List<String> names) {
        if (node instanceof ListSchemaNode list) {
            list.getKeyDefinition().forEach(key -> names.add(key.getLocalName()));
        }
        if (!names.contains(node.getQName().getLocalName())) {
            names.add(node.getQName().getLocalName());
        }
        if (node instanceof DataNodeContainer container) {
            for (DataSchemaNode child : children(container)) {
                collect(child, names);
            }
        }
    }

    /** Local names of the lists at or below a node that are {@code ordered-by user}. */
    static Set<String> userOrdered(DataSchemaNode node) {
        Set<String> names = new HashSet<>();
        if (node instanceof ListSchemaNode list && list.isUserOrdered()) {
            names.add(list.getQName().getLocalName());
        }
        if (node instanceof DataNodeContainer container) {
            for (DataSchemaNode child : children(container)) {
                names.addAll(userOrdered(child));
            }
        }
        return names;
    }

    String type() {
        return type;
    }

    List<Step> steps() {
        return steps;
    }

    Step last() {
        return steps.get(steps.size() - 1);
    }

    /** The schema node the path ends at. */
    DataSchemaNode schema() {
        return last().schema();
    }

    /** True if the path ends at one list entry or a container (a node with leaves to set). */
    boolean isNode() {
        return expect() == Expect.CHILD;
    }

    /** True if the path ends at a list with no entry selected yet (or with some of its keys). */
    boolean isWholeList() {
        return expect() == Expect.KEY;
    }

    /** The path without its last step (null for the cube list itself: the datastore). */
    YangPath parent() {
        return steps.size() == 1 ? null : new YangPath(context, type, steps.subList(0, steps.size() - 1));
    }

    EffectiveModelContext context() {
        return context;
    }

    /** Schema inference positioned at the last step, for leafref resolution and codecs. */
    SchemaInferenceStack stack() {
        SchemaInferenceStack stack = SchemaInferenceStack.of(context);
        for (Step step : steps) {
            stack.enterDataTree(step.qname());
        }
        return stack;
    }

    /** The module name of a node, for RFC 7951 member names and api-paths. */
    String moduleName(DataSchemaNode node) {
        return context.findModule(node.getQName().getModule()).map(Module::getName).orElse("");
    }

    /** The RFC 8040 api-path (after {@code /data/}); a list with some keys missing is printed without keys. */
    String apiPath() {
        StringBuilder sb = new StringBuilder();
        String module = null;
        for (Step step : steps) {
            String stepModule = moduleName(step.schema());
            sb.append(sb.length() == 0 ? "" : "/").append(stepModule.equals(module) ? "" : stepModule + ":")
                .append(step.qname().getLocalName());
            module = stepModule;
            boolean complete = !(step.schema() instanceof ListSchemaNode list)
                || step.keys().size() == list.getKeyDefinition().size();
            if (!step.keys().isEmpty() && complete) {
                sb.append('=').append(String.join(",", step.keys().stream().map(YangPath::encode).toList()));
            }
        }
        return sb.toString();
    }

    /** For messages: {@code fwd1 actions p1}. */
    String describe() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (i > 0) {
                words.add(steps.get(i).qname().getLocalName());
            }
            words.addAll(steps.get(i).keys());
        }
        return words.isEmpty() ? type : String.join(" ", words);
    }

    /** Percent-encodes a key value (RFC 8040 §3.5.3: RFC 3986 unreserved characters stay). */
    static String encode(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 128 && Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
