package io.polycube.core.restconf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Optional;
import java.util.Set;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/**
 * The configuration datastore as one RFC 7951 JSON object, for saving and restoring it: one member
 * per top-level node, named {@code module:node} (for cubes, the list of instances). The object is
 * what {@code GET /restconf/data?content=config&with-defaults=explicit} holds inside
 * {@code ietf-restconf:data}.
 */
public final class ConfigJson {
    private ConfigJson() {
    }

    /** The whole configuration root as {@code {"module:node": ..., ...}}. */
    public static JsonObject toJson(EffectiveModelContext context, NormalizedNode root) {
        String json = JsonBodies.writeRoot(context, (ContainerNode) root);
        return JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("ietf-restconf:data");
    }

    /**
     * Only the top-level nodes named in {@code only}, as {@link #toJson(EffectiveModelContext, NormalizedNode)}
     * would show them (a node absent from {@code root} is absent from the answer): the members one commit changed.
     */
    public static JsonObject toJson(EffectiveModelContext context, NormalizedNode root, Set<QName> only) {
        ContainerNode whole = (ContainerNode) root;
        var part = ImmutableNodes.newContainerBuilder().withNodeIdentifier(whole.name());
        for (DataContainerChild child : whole.body()) {
            if (only.contains(child.name().getNodeType())) {
                part.withChild(child);
            }
        }
        return toJson(context, part.build());
    }

    /** The member name {@code module:node} of a top-level node, if its module is in {@code context}. */
    public static Optional<String> memberName(EffectiveModelContext context, QName node) {
        return context.findModule(node.getModule()).map(module -> module.getName() + ":" + node.getLocalName());
    }

    /** The module of a member name {@code module:node}. */
    public static String moduleOf(String member) {
        int colon = member.indexOf(':');
        return colon < 0 ? member : member.substring(0, colon);
    }

    /**
     * An edit that restores one saved value of {@code member}: one entry of a top-level list (created
     * unless an entry with its keys exists, which is left as it is), or a whole top-level container
     * (merged).
     *
     * @throws RestconfException when the value no longer fits the model (parse or type error)
     */
    public static Datastore.Edit restore(EffectiveModelContext context, String member, JsonElement value)
            throws RestconfException {
        JsonObject body = new JsonObject();
        if (value.isJsonObject() && isList(context, member)) {
            JsonArray one = new JsonArray();
            one.add(value);
            body.add(member, one);
        } else {
            body.add(member, value);
        }
        NormalizedNode node = JsonBodies.parse(context, null, context, body.toString());
        if (node instanceof MapNode map && map.size() == 1) {
            MapEntryNode entry = map.body().iterator().next();
            YangInstanceIdentifier path = YangInstanceIdentifier.of(map.name(), entry.name());
            return mod -> {
                if (mod.readNode(path).isEmpty()) {
                    mod.write(path, entry);
                }
            };
        }
        YangInstanceIdentifier path = YangInstanceIdentifier.of(node.name());
        return mod -> mod.merge(path, node);
    }

    private static boolean isList(EffectiveModelContext context, String member) {
        String module = moduleOf(member);
        String local = member.substring(member.indexOf(':') + 1);
        return context.findModules(module).stream().findFirst()
            .flatMap(m -> m.getChildNodes().stream().filter(n -> n.getQName().getLocalName().equals(local)).findFirst())
            .map(n -> n instanceof org.opendaylight.yangtools.yang.model.api.ListSchemaNode).orElse(false);
    }
}
