package io.polycube.core.restconf;

import io.polycube.core.spi.ConfigNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeCandidate;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeCandidateNode;
import org.opendaylight.yangtools.yang.data.tree.api.ModificationType;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;

/** Turns a prepared DataTree candidate into one {@link InstanceChange} per changed top-level list entry. */
final class InstanceChanges {
    private InstanceChanges() {
    }

    static List<InstanceChange> of(EffectiveModelContext context, DataTreeCandidate candidate) {
        List<InstanceChange> changes = new ArrayList<>();
        for (DataTreeCandidateNode top : candidate.getRootNode().childNodes()) {
            if (top.modificationType() == ModificationType.UNMODIFIED
                    || !(context.findDataChildByName(top.name().getNodeType()).orElse(null)
                        instanceof ListSchemaNode list)) {
                continue;
            }
            for (DataTreeCandidateNode instance : top.childNodes()) {
                if (instance.modificationType() == ModificationType.UNMODIFIED
                        || !(instance.name() instanceof NodeIdentifierWithPredicates id)) {
                    continue;
                }
                Optional<ConfigNode> before = config(context, list, instance.findDataBefore());
                Optional<ConfigNode> after = config(context, list, instance.findDataAfter());
                if (!before.equals(after)) {
                    changes.add(new InstanceChange(list.getQName().getLocalName(), instanceName(context, id),
                        before, after));
                }
            }
        }
        return changes;
    }

    static String instanceName(EffectiveModelContext context, NodeIdentifierWithPredicates id) {
        QName name = QName.create(id.getNodeType(), "name");
        Object value = id.containsKey(name) ? id.getValue(name) : id.values().iterator().next();
        return Schemas.canonical(context, value);
    }

    private static Optional<ConfigNode> config(EffectiveModelContext context, ListSchemaNode list,
            Optional<NormalizedNode> data) {
        return data.map(node -> ConfigNodes.toConfigNode(context, list, (MapEntryNode) node));
    }
}
