package io.polycube.core.restconf;

import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.model.api.EffectiveStatementInference;

/**
 * A parsed RFC 8040 api-path.
 *
 * @param path the instance identifier (empty for the datastore root)
 * @param schema the target's schema node (the model context for the root)
 * @param parent inference of the target's parent data node, or null at the root (for bodies naming the target)
 * @param self inference of the target itself, or null for the root (for bodies naming a child of the target)
 */
record ApiPath(YangInstanceIdentifier path, Object schema, EffectiveStatementInference parent,
        EffectiveStatementInference self) {
    boolean isRoot() {
        return path.isEmpty();
    }

    /** True if the path ends at a whole list or leaf-list, not at one of its entries. */
    boolean isWholeList() {
        return !path.isEmpty() && (schema instanceof org.opendaylight.yangtools.yang.model.api.ListSchemaNode
            || schema instanceof org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode)
            && path.getLastPathArgument() instanceof YangInstanceIdentifier.NodeIdentifier;
    }
}
