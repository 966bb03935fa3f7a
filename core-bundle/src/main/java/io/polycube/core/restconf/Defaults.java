package io.polycube.core.restconf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.UserMapNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.CaseSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;
import org.opendaylight.yangtools.yang.model.api.type.LeafrefTypeDefinition;

/**
 * Fills in YANG default values of absent leaves, in every container, list entry and selected case
 * present in the data (absent non-presence containers are not created).
 */
final class Defaults {
    private Defaults() {
    }

    /** Returns {@code node} with the defaults of {@code schema} (the node's own schema) filled in. */
    static NormalizedNode fill(EffectiveModelContext context, Object schema, NormalizedNode node) {
        if (node instanceof MapNode map) {
            var builder = map instanceof UserMapNode ? ImmutableNodes.newUserMapBuilder()
                : ImmutableNodes.newSystemMapBuilder();
            builder.withNodeIdentifier(map.name());
            for (MapEntryNode entry : map.body()) {
                builder.withChild((MapEntryNode) fill(context, schema, entry));
            }
            return builder.build();
        }
        if (node instanceof DataContainerNode container && schema instanceof DataNodeContainer containerSchema) {
            List<DataContainerChild> children = fillChildren(context, containerSchema, container);
            if (node instanceof MapEntryNode entry) {
                return ImmutableNodes.newMapEntryBuilder().withNodeIdentifier(entry.name()).withValue(children).build();
            }
            if (node instanceof ContainerNode cont) {
                return ImmutableNodes.newContainerBuilder().withNodeIdentifier(cont.name()).withValue(children).build();
            }
        }
        if (node instanceof ChoiceNode choice && schema instanceof ChoiceSchemaNode choiceSchema) {
            QName first = choice.body().stream().findFirst().map(child -> child.name().getNodeType()).orElse(null);
            Optional<? extends CaseSchemaNode> selected = choiceSchema.getCases().stream()
                .filter(caze -> first != null && caze.findDataChildByName(first).isPresent()).findFirst();
            if (selected.isPresent()) {
                return ImmutableNodes.newChoiceBuilder().withNodeIdentifier(choice.name())
                    .withValue(fillChildren(context, selected.orElseThrow(), choice)).build();
            }
        }
        return node;
    }

    /** The parsed default value of a leaf, or null when it has none (leafref defaults are not followed). */
    static Object defaultValue(EffectiveModelContext context, LeafSchemaNode leaf) {
        if (leaf.getType().getDefaultValue().isEmpty() || leaf.getType() instanceof LeafrefTypeDefinition) {
            return null;
        }
        String text = leaf.getType().getDefaultValue().orElseThrow().toString();
        return Schemas.parse(context, leaf, type -> {
            throw new IllegalStateException("leafref default");
        }, text);
    }

    private static List<DataContainerChild> fillChildren(EffectiveModelContext context, DataNodeContainer schema,
            DataContainerNode node) {
        List<DataContainerChild> children = new ArrayList<>();
        for (DataContainerChild child : node.body()) {
            Object childSchema = Schemas.child(schema, child.name().getNodeType());
            children.add(childSchema == null ? child : (DataContainerChild) fill(context, childSchema, child));
        }
        for (DataSchemaNode childSchema : schema.getChildNodes()) {
            if (childSchema instanceof LeafSchemaNode leaf && leaf.getType().getDefaultValue().isPresent()
                    && !(leaf.getType() instanceof LeafrefTypeDefinition)
                    && node.childByArg(new NodeIdentifier(leaf.getQName())) == null) {
                children.add(ImmutableNodes.leafNode(leaf.getQName(), defaultValue(context, leaf)));
            }
        }
        return children;
    }
}
