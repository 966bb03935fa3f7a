package io.polycube.core.restconf;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.UnkeyedListNode;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.TypedDataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.type.LeafrefTypeDefinition;

/**
 * Finds dangling leafrefs in a whole post-change datastore (yangtools' LeafRefValidation fails on
 * candidates holding a delete). For every leafref leaf with {@code require-instance true}, the path
 * is evaluated over the data: relative ({@code ../../ports/name}) and absolute paths are supported;
 * predicates are ignored (any matching node counts) and names match by local name.
 */
final class LeafrefChecker {
    private LeafrefChecker() {
    }

    static void check(EffectiveModelContext context, NormalizedNode root) throws RestconfException {
        if (root instanceof DataContainerNode container) {
            List<DataContainerNode> ancestors = new ArrayList<>();
            ancestors.add(container);
            walk(context, context, container, ancestors, YangInstanceIdentifier.of());
        }
    }

    private static void walk(EffectiveModelContext context, Object schema, DataContainerNode node,
            List<DataContainerNode> ancestors, YangInstanceIdentifier path) throws RestconfException {
        for (DataContainerChild child : node.body()) {
            DataSchemaNode childSchema = Schemas.child(schema, child.name().getNodeType());
            YangInstanceIdentifier childPath = path.node(child.name());
            if (childSchema == null) {
                continue;
            }
            if (child instanceof ChoiceNode choice) {
                walk(context, childSchema, choice, ancestors, path);
            } else if (child instanceof MapNode map) {
                for (var entry : map.body()) {
                    descend(context, childSchema, entry, ancestors, childPath.node(entry.name()));
                }
            } else if (child instanceof UnkeyedListNode list) {
                for (var entry : list.body()) {
                    descend(context, childSchema, entry, ancestors, childPath);
                }
            } else if (child instanceof DataContainerNode container) {
                descend(context, childSchema, container, ancestors, childPath);
            } else if (childSchema instanceof TypedDataSchemaNode typed
                    && typed.getType() instanceof LeafrefTypeDefinition leafref && leafref.requireInstance()) {
                Set<Object> targets = targets(ancestors, leafref.getPathStatement().getOriginalString());
                for (Object value : values(child)) {
                    if (!targets.contains(value)) {
                        throw RestconfException.badRequest("invalid-value", ApiPaths.errorPath(context, childPath),
                            "instance-required: " + child.name().getNodeType().getLocalName() + " '"
                                + Schemas.canonical(context, value) + "' refers to no existing "
                                + leafref.getPathStatement().getOriginalString());
                    }
                }
            }
        }
    }

    private static void descend(EffectiveModelContext context, Object schema, DataContainerNode node,
            List<DataContainerNode> ancestors, YangInstanceIdentifier path) throws RestconfException {
        ancestors.add(node);
        walk(context, schema, node, ancestors, path);
        ancestors.remove(ancestors.size() - 1);
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
