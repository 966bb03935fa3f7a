package io.polycube.core.restconf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.UserMapNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;

/**
 * Cuts a GET answer down to what the query asks: {@code depth} (RFC 8040 §4.8.2, the target is
 * level 1; a node at the last level is shown without children, list entries by their keys), {@code fields} (§4.8.3; list keys
 * are always kept) and with-defaults {@code trim} (RFC 6243 §3.2: leaves equal to their default go).
 */
final class Shaping {
    private Shaping() {
    }

    /** Applies depth to a node at {@code level} (1 for the target; 0 for the datastore root). */
    static NormalizedNode depth(NormalizedNode node, int level, int max) {
        if (max == QueryParameters.UNBOUNDED) {
            return node;
        }
        if (node instanceof MapNode map) {
            // At the last level a list shows its entries by their keys only (an empty JSON array
            // cannot be written by the codec, and the keys tell the client what to ask for next).
            List<MapEntryNode> entries = new ArrayList<>();
            map.body().forEach(entry -> entries.add((MapEntryNode) depth(entry, level, max)));
            return rebuildMap(map, entries);
        }
        if (node instanceof DataContainerNode container) {
            List<DataContainerChild> children = new ArrayList<>();
            for (DataContainerChild child : container.body()) {
                if (child instanceof ChoiceNode) {
                    children.add((DataContainerChild) depth(child, level, max));
                } else if (level < max || isKey(container, child)) {
                    children.add((DataContainerChild) depth(child, level + 1, max));
                }
            }
            return rebuild(container, children);
        }
        return node;
    }

    /** Keeps the selected children (and list keys). */
    static NormalizedNode fields(NormalizedNode node, Fields.Selection selection) {
        if (selection == null || selection.all) {
            return node;
        }
        if (node instanceof MapNode map) {
            List<MapEntryNode> entries = new ArrayList<>();
            map.body().forEach(entry -> entries.add((MapEntryNode) fields(entry, selection)));
            return rebuildMap(map, entries);
        }
        if (node instanceof DataContainerNode container) {
            List<DataContainerChild> children = new ArrayList<>();
            for (DataContainerChild child : container.body()) {
                if (child instanceof ChoiceNode) {
                    DataContainerNode chosen = (DataContainerNode) fields(child, selection);
                    if (!chosen.isEmpty()) {
                        children.add((DataContainerChild) chosen);
                    }
                } else if (isKey(container, child)) {
                    children.add(child);
                } else {
                    Fields.Selection sub = selection.children.get(child.name().getNodeType());
                    if (sub != null) {
                        children.add((DataContainerChild) fields(child, sub));
                    }
                }
            }
            return rebuild(container, children);
        }
        return node;
    }

    /** Removes every leaf whose value is its schema default. */
    static NormalizedNode trim(EffectiveModelContext context, Object schema, NormalizedNode node) {
        if (node instanceof MapNode map) {
            List<MapEntryNode> entries = new ArrayList<>();
            map.body().forEach(entry -> entries.add((MapEntryNode) trim(context, schema, entry)));
            return rebuildMap(map, entries);
        }
        if (node instanceof DataContainerNode container) {
            List<DataContainerChild> children = new ArrayList<>();
            for (DataContainerChild child : container.body()) {
                Object childSchema = child instanceof ChoiceNode ? Schemas.child(schema, child.name().getNodeType())
                    : Fields.find(schema, child.name().getNodeType());
                if (child instanceof LeafNode<?> leaf && childSchema instanceof LeafSchemaNode leafSchema
                        && !isKey(container, child)
                        && Objects.equals(Defaults.defaultValue(context, leafSchema), leaf.body())) {
                    continue;
                }
                children.add(childSchema == null ? child : (DataContainerChild) trim(context, childSchema, child));
            }
            return rebuild(container, children);
        }
        return node;
    }

    private static boolean isKey(DataContainerNode parent, DataContainerChild child) {
        return parent instanceof MapEntryNode entry
            && entry.name().keySet().contains(child.name().getNodeType());
    }

    private static MapNode rebuildMap(MapNode map, List<MapEntryNode> entries) {
        var builder = map instanceof UserMapNode ? ImmutableNodes.newUserMapBuilder()
            : ImmutableNodes.newSystemMapBuilder();
        return builder.withNodeIdentifier(map.name()).withValue(entries).build();
    }

    private static DataContainerNode rebuild(DataContainerNode node, List<DataContainerChild> children) {
        if (node instanceof MapEntryNode entry) {
            return ImmutableNodes.newMapEntryBuilder().withNodeIdentifier((NodeIdentifierWithPredicates) entry.name())
                .withValue(children).build();
        }
        if (node instanceof ChoiceNode choice) {
            return ImmutableNodes.newChoiceBuilder().withNodeIdentifier(choice.name()).withValue(children).build();
        }
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(((ContainerNode) node).name())
            .withValue(children).build();
    }
}
