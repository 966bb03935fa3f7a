package io.polycube.core.restconf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.UnkeyedListNode;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeCandidate;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeCandidateNode;
import org.opendaylight.yangtools.yang.data.tree.api.ModificationType;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.TypedDataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.type.LeafrefTypeDefinition;

/**
 * Finds dangling leafrefs in a whole post-change datastore (yangtools' LeafRefValidation fails on
 * candidates holding a delete). For every leafref leaf with {@code require-instance true}, the path
 * is evaluated over the data: relative ({@code ../../ports/name}) and absolute paths are supported;
 * predicates are ignored (any matching node counts) and names match by local name. Unmodified
 * instances are skipped unless they hold leafrefs that can see outside themselves (absolute, or
 * climbing above the instance), so a commit costs about the size of what it changed.
 */
final class LeafrefChecker {
    /**
     * Checks the post-state of {@code candidate}. Instances (top-level list entries) the candidate
     * leaves unmodified skip their leafrefs that stay inside the instance: they were valid before.
     */
    static void check(EffectiveModelContext context, DataTreeCandidate candidate) throws RestconfException {
        if (candidate.getRootNode().dataAfter() instanceof DataContainerNode root) {
            List<DataContainerNode> ancestors = new ArrayList<>();
            ancestors.add(root);
            new LeafrefChecker(context, candidate.getRootNode()).walk(context, root, ancestors, false);
        }
    }

    /**
     * What the schema says, worked out once per model context rather than once per commit (a single-entry
     * write would otherwise walk the whole model for it): which nodes hold leafrefs, which may escape.
     */
    private record SchemaFacts(EffectiveModelContext context, Map<Object, Boolean> holdsLeafref,
            Map<Object, Boolean> escapes) {
    }

    private static volatile SchemaFacts facts;

    private static SchemaFacts factsFor(EffectiveModelContext context) {
        SchemaFacts known = facts;
        if (known == null || known.context() != context) {
            known = new SchemaFacts(context, new java.util.concurrent.ConcurrentHashMap<>(),
                new java.util.concurrent.ConcurrentHashMap<>());
            facts = known;
        }
        return known;
    }

    private final EffectiveModelContext context;
    private final DataTreeCandidateNode changes;
    private final Deque<PathArgument> path = new ArrayDeque<>();
    // Target sets per (start node, path): the actions of one instance share one set of port names.
    private final Map<DataContainerNode, Map<String, Set<Object>>> memo = new IdentityHashMap<>();
    private final Map<Object, Boolean> holdsLeafref;
    private final Map<Object, Boolean> escapes;

    private LeafrefChecker(EffectiveModelContext context, DataTreeCandidateNode changes) {
        this.context = context;
        this.changes = changes;
        SchemaFacts known = factsFor(context);
        this.holdsLeafref = known.holdsLeafref();
        this.escapes = known.escapes();
    }

    private void walk(Object schema, DataContainerNode node, List<DataContainerNode> ancestors, boolean unchanged)
            throws RestconfException {
        for (DataContainerChild child : node.body()) {
            DataSchemaNode childSchema = Schemas.child(schema, child.name().getNodeType());
            if (childSchema == null || !holdsLeafref(childSchema)) {
                continue;
            }
            path.addLast(child.name());
            if (child instanceof ChoiceNode choice) {
                path.removeLast();
                walk(childSchema, choice, ancestors, unchanged);
                continue;
            } else if (child instanceof MapNode map) {
                boolean instances = ancestors.size() == 1;
                boolean mayEscape = instances && escapes.computeIfAbsent(childSchema, list -> escapes(list, 1));
                for (var entry : map.body()) {
                    boolean entryUnchanged = unchanged || instances && !modified(map, entry);
                    if (entryUnchanged && instances && !mayEscape) {
                        continue;
                    }
                    path.addLast(entry.name());
                    descend(childSchema, entry, ancestors, entryUnchanged);
                    path.removeLast();
                }
            } else if (child instanceof UnkeyedListNode list) {
                for (var entry : list.body()) {
                    descend(childSchema, entry, ancestors, unchanged);
                }
            } else if (child instanceof DataContainerNode container) {
                descend(childSchema, container, ancestors, unchanged);
            } else if (childSchema instanceof TypedDataSchemaNode typed
                    && typed.getType() instanceof LeafrefTypeDefinition leafref && leafref.requireInstance()) {
                checkLeaf(child, leafref, ancestors, unchanged);
            }
            path.removeLast();
        }
    }

    private void checkLeaf(DataContainerChild child, LeafrefTypeDefinition leafref, List<DataContainerNode> ancestors,
            boolean unchanged) throws RestconfException {
        String xpath = leafref.getPathStatement().getOriginalString();
        int from = startIndex(ancestors, xpath);
        if (unchanged && from >= 1) {
            return;
        }
        Set<Object> targets = memo.computeIfAbsent(ancestors.get(from), start -> new HashMap<>())
            .computeIfAbsent(xpath, p -> targets(ancestors, p));
        for (Object value : values(child)) {
            if (!targets.contains(value)) {
                throw RestconfException.badRequest("invalid-value",
                    ApiPaths.errorPath(context, YangInstanceIdentifier.of(new ArrayList<>(path))),
                    "instance-required: " + child.name().getNodeType().getLocalName() + " '"
                        + Schemas.canonical(context, value) + "' refers to no existing " + xpath);
            }
        }
    }

    private boolean modified(MapNode top, MapEntryNode entry) {
        return changes.findModifiedChild(top.name()).flatMap(list -> list.findModifiedChild(entry.name()))
            .map(node -> node.modificationType() != ModificationType.UNMODIFIED).orElse(false);
    }

    private boolean holdsLeafref(Object schema) {
        Boolean known = holdsLeafref.get(schema);
        if (known == null) {
            boolean found = false;
            if (schema instanceof TypedDataSchemaNode typed) {
                found = typed.getType() instanceof LeafrefTypeDefinition;
            } else if (schema instanceof ChoiceSchemaNode choice) {
                found = choice.getCases().stream().anyMatch(this::holdsLeafref);
            } else if (schema instanceof DataNodeContainer container) {
                found = container.getChildNodes().stream().anyMatch(this::holdsLeafref);
            }
            known = found;
            holdsLeafref.put(schema, known);
        }
        return known;
    }

    /**
     * True if a leafref under {@code schema} (a data node at depth {@code index} of the ancestors list)
     * is absolute or climbs above depth 1, the instance: it may see changes outside its instance.
     */
    private boolean escapes(Object schema, int index) {
        if (schema instanceof ChoiceSchemaNode choice) {
            return choice.getCases().stream().anyMatch(caze -> escapes(caze, index));
        }
        if (!(schema instanceof DataNodeContainer container)) {
            return false;
        }
        for (DataSchemaNode child : container.getChildNodes()) {
            if (child instanceof TypedDataSchemaNode typed
                    && typed.getType() instanceof LeafrefTypeDefinition leafref) {
                String xpath = leafref.getPathStatement().getOriginalString().trim();
                if (xpath.startsWith("/") || leadingParents(xpath) > index) {
                    return true;
                }
            } else if (child instanceof ChoiceSchemaNode) {
                if (escapes(child, index)) {
                    return true;
                }
            } else if (escapes(child, index + 1)) {
                return true;
            }
        }
        return false;
    }

    private static int leadingParents(String xpath) {
        int count = 0;
        for (String step : xpath.split("/")) {
            if (!step.trim().equals("..")) {
                break;
            }
            count++;
        }
        return count;
    }

    private void descend(Object schema, DataContainerNode node, List<DataContainerNode> ancestors,
            boolean unchanged) throws RestconfException {
        ancestors.add(node);
        walk(schema, node, ancestors, unchanged);
        ancestors.remove(ancestors.size() - 1);
    }

    /** The index in {@code ancestors} of the data node a path starts from (0: the root). */
    private static int startIndex(List<DataContainerNode> ancestors, String xpath) {
        if (xpath.trim().startsWith("/")) {
            return 0;
        }
        int level = ancestors.size();
        for (String step : xpath.split("/")) {
            if (!step.trim().equals("..")) {
                break;
            }
            level--;
        }
        return Math.max(0, Math.min(level, ancestors.size() - 1));
    }

    private static List<Object> values(DataContainerChild child) {
        if (child instanceof LeafNode<?> leaf) {
            return List.of(leaf.body());
        }
        List<Object> values = new ArrayList<>();
        if (child instanceof LeafSetNode<?> leafSet) {
            for (LeafSetEntryNode<?> entry : leafSet.body()) {
                values.add(entry.body());
            }
        }
        return values;
    }

    /** The values the path selects, evaluated from the leaf whose parent data node is the last ancestor. */
    static Set<Object> targets(List<DataContainerNode> ancestors, String xpath) {
        String path = xpath.replaceAll("\\[[^\\]]*\\]", "").trim();
        List<DataContainerNode> nodes = new ArrayList<>();
        String[] steps;
        if (path.startsWith("/")) {
            nodes.add(ancestors.get(0));
            steps = path.substring(1).split("/");
        } else {
            steps = path.split("/");
            int level = ancestors.size();
            int first = 0;
            while (first < steps.length && steps[first].trim().equals("..")) {
                level--;
                first++;
            }
            if (level < 0) {
                return Set.of();
            }
            nodes.add(ancestors.get(Math.min(level, ancestors.size() - 1)));
            steps = java.util.Arrays.copyOfRange(steps, first, steps.length);
        }
        Set<Object> values = new HashSet<>();
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i].trim();
            String local = step.substring(step.indexOf(':') + 1);
            boolean last = i == steps.length - 1;
            List<DataContainerNode> next = new ArrayList<>();
            for (DataContainerNode node : nodes) {
                for (DataContainerChild child : children(node, local)) {
                    if (last) {
                        values.addAll(values(child));
                    } else if (child instanceof MapNode map) {
                        next.addAll(map.body());
                    } else if (child instanceof UnkeyedListNode list) {
                        next.addAll(list.body());
                    } else if (child instanceof DataContainerNode container) {
                        next.add(container);
                    }
                }
            }
            nodes = next;
        }
        return values;
    }

    private static List<DataContainerChild> children(DataContainerNode node, String local) {
        List<DataContainerChild> found = new ArrayList<>();
        for (DataContainerChild child : node.body()) {
            PathArgument name = child.name();
            if (child instanceof ChoiceNode choice) {
                found.addAll(children(choice, local));
            } else if (name.getNodeType().getLocalName().equals(local)) {
                found.add(child);
            }
        }
        return found;
    }
}
