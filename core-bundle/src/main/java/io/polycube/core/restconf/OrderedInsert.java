package io.polycube.core.restconf;

import java.util.ArrayList;
import java.util.List;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNodeContainer;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeModification;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;

/**
 * RFC 8040 §4.8.5-4.8.6 {@code insert}/{@code point}: places an entry of an {@code ordered-by user}
 * list or leaf-list first, last, or before/after another entry of the same list.
 *
 * @param insert first, last, before or after
 * @param point the sibling entry for before/after, or null
 */
record OrderedInsert(String insert, YangInstanceIdentifier point) {
    /** The insertion for an entry at {@code entryPath}, or null when the request has no insert parameter. */
    static OrderedInsert of(EffectiveModelContext context, QueryParameters query, YangInstanceIdentifier entryPath)
            throws RestconfException {
        return query.insert() == null ? null : of(context, query.insert(), query.point(), entryPath);
    }

    /** The insertion {@code insert} (first, last, before, after) relative to the api-path {@code pointText}. */
    static OrderedInsert of(EffectiveModelContext context, String insert, String pointText,
            YangInstanceIdentifier entryPath) throws RestconfException {
        YangInstanceIdentifier list = entryPath.getParent();
        // A top-level node's parent is the empty path, which has no last step and no list.
        Object schema = list == null || list.isEmpty() ? null : Schemas.child(Schemas.parentOf(context, list),
            list.getLastPathArgument().getNodeType());
        boolean userOrdered = schema instanceof ListSchemaNode l && l.isUserOrdered()
            || schema instanceof LeafListSchemaNode ll && ll.isUserOrdered();
        if (!userOrdered || entryPath.getLastPathArgument() instanceof NodeIdentifier) {
            throw RestconfException.badRequest("invalid-value", ApiPaths.errorPath(context, entryPath),
                "insert applies only to entries of an ordered-by user list or leaf-list");
        }
        YangInstanceIdentifier point = null;
        if (pointText != null) {
            point = ApiPaths.parse(context, pointText).path();
            if (!list.equals(point.getParent()) || point.getLastPathArgument() instanceof NodeIdentifier) {
                throw RestconfException.badRequest("invalid-value", null,
                    "point must name another entry of the same list");
            }
            if (point.equals(entryPath)) {
                throw RestconfException.badRequest("invalid-value", null, "an entry cannot be placed next to itself");
            }
        }
        return new OrderedInsert(insert, point);
    }

    /** Writes {@code entry} at {@code entryPath}, rewriting its list in the requested order. */
    void write(EffectiveModelContext context, DataTreeModification mod, YangInstanceIdentifier entryPath,
            NormalizedNode entry) throws RestconfException {
        YangInstanceIdentifier listPath = entryPath.getParent();
        List<NormalizedNode> entries = new ArrayList<>();
        mod.readNode(listPath).ifPresent(list -> entries.addAll(((NormalizedNodeContainer<?>) list).body()));
        PathArgument id = entryPath.getLastPathArgument();
        entries.removeIf(existing -> existing.name().equals(id));
        int at = switch (insert) {
            case "first" -> 0;
            case "last" -> entries.size();
            default -> {
                PathArgument pointId = point.getLastPathArgument();
                int index = -1;
                for (int i = 0; i < entries.size(); i++) {
                    if (entries.get(i).name().equals(pointId)) {
                        index = i;
                    }
                }
                if (index < 0) {
                    throw RestconfException.badRequest("invalid-value", ApiPaths.errorPath(context, point),
                        "the point entry does not exist");
                }
                yield insert.equals("before") ? index : index + 1;
            }
        };
        entries.add(at, entry);
        NodeIdentifier listId = (NodeIdentifier) listPath.getLastPathArgument();
        if (entry instanceof MapEntryNode) {
            var builder = ImmutableNodes.newUserMapBuilder().withNodeIdentifier(listId);
            entries.forEach(e -> builder.withChild((MapEntryNode) e));
            mod.write(listPath, builder.build());
        } else {
            var builder = ImmutableNodes.<Object>newUserLeafSetBuilder().withNodeIdentifier(listId);
            entries.forEach(e -> builder.withChild((LeafSetEntryNode<Object>) e));
            mod.write(listPath, builder.build());
        }
    }
}
