package io.polycube.core.restconf;

import io.polycube.core.spi.ConfigNode;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;

/**
 * The last {@link ConfigNode} made of each top-level list entry (cube instance), reused while the entry is
 * the very same immutable node: a DataTree shares unmodified nodes between versions, so the data after one
 * commit is the data before the next, and an instance with a 10,000-entry table is converted once per
 * change instead of twice. Identity, not equality: an equal but distinct node is converted again (cheap to
 * get wrong otherwise, and equality of large nodes costs as much as converting them). One entry per
 * instance (a schema change is seen by the context's identity); not thread-safe (the datastore's write
 * lock serialises).
 */
final class ConfigNodeCache {
    /** {@code nodes}: every node of the entry's last conversion, by identity, for the next one to reuse. */
    private record Converted(EffectiveModelContext context, NormalizedNode node, ConfigNode config,
            Map<NormalizedNode, ConfigNodes.Converted> nodes) {
    }

    private final Map<NodeIdentifierWithPredicates, Converted> byInstance = new HashMap<>();

    Optional<ConfigNode> config(EffectiveModelContext context, ListSchemaNode list, NodeIdentifierWithPredicates id,
            Optional<NormalizedNode> data) {
        if (data.isEmpty()) {
            byInstance.remove(id); // deleted (or not created yet): nothing to keep
            return Optional.empty();
        }
        NormalizedNode node = data.orElseThrow();
        Converted last = byInstance.get(id);
        if (last != null && last.node() == node && last.context() == context) {
            return Optional.of(last.config());
        }
        Map<NormalizedNode, ConfigNodes.Converted> nodes = new IdentityHashMap<>();
        ConfigNode config = ConfigNodes.toConfigNode(context, list, (MapEntryNode) node,
            last != null && last.context() == context ? last.nodes() : Map.of(), nodes);
        byInstance.put(id, new Converted(context, node, config, nodes));
        return Optional.of(config);
    }
}
