package io.polycube.core.restconf;

import io.polycube.core.spi.ConfigNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
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
        return of(context, candidate, new ConfigNodeCache());
    }

    /** The same, converting each instance's data before the change through {@code cache}. */
    static List<InstanceChange> of(EffectiveModelContext context, DataTreeCandidate candidate, ConfigNodeCache cache) {
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
                Optional<ConfigNode> before = cache.config(context, list, id, instance.findDataBefore());
                Optional<ConfigNode> after = cache.config(context, list, id, instance.findDataAfter());
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
}
