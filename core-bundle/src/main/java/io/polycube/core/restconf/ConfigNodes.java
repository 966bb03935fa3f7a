package io.polycube.core.restconf;

import io.polycube.core.spi.ConfigNode;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;

/** Converts between NormalizedNode list entries and {@link ConfigNode} (skeleton). */
public final class ConfigNodes {
    private ConfigNodes() {
    }

    public static ConfigNode toConfigNode(EffectiveModelContext context, ListSchemaNode schema, MapEntryNode entry) {
        throw new UnsupportedOperationException();
    }

    public static MapEntryNode toMapEntry(EffectiveModelContext context, ListSchemaNode schema,
            NodeIdentifierWithPredicates id, ConfigNode node) throws RestconfException {
        throw new UnsupportedOperationException();
    }
}
