package io.polycube.core.restconf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.SchemaContext;

/**
 * The body of a PUT or PATCH on the datastore resource itself (RFC 8040 §4.5, §4.6.1):
 * {@code {"ietf-restconf:data": {"module:top": ..., ...}}}, as one root container.
 */
final class DatastoreBodies {
    static final String DATA = "ietf-restconf:data";

    private DatastoreBodies() {
    }

    static ContainerNode parse(EffectiveModelContext context, MediaTypes.Format format, String body)
            throws RestconfException {
        if (format == MediaTypes.Format.XML) {
            throw MediaTypes.unsupported(MediaTypes.YANG_DATA_XML + " for the whole datastore (use JSON)");
        }
        JsonElement tree = StrictJson.parse(body);
        if (!tree.isJsonObject() || tree.getAsJsonObject().size() != 1 || !tree.getAsJsonObject().has(DATA)
                || !tree.getAsJsonObject().get(DATA).isJsonObject()) {
            throw RestconfException.badRequest("malformed-message", null,
                "the body of a write to the datastore must be {\"" + DATA + "\": {...}}");
        }
        var builder = ImmutableNodes.newContainerBuilder().withNodeIdentifier(NodeIdentifier.create(SchemaContext.NAME));
        for (Map.Entry<String, JsonElement> member : tree.getAsJsonObject().getAsJsonObject(DATA).entrySet()) {
            JsonObject one = new JsonObject();
            one.add(member.getKey(), member.getValue());
            NormalizedNode node = JsonBodies.parse(context, null, context, one.toString());
            builder.withChild((DataContainerChild) node);
        }
        return builder.build();
    }
}
