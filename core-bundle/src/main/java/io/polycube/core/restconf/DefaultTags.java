package io.polycube.core.restconf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.Map;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;
import org.opendaylight.yangtools.yang.model.api.type.LeafrefTypeDefinition;

/**
 * with-defaults=report-all-tagged in JSON (RFC 8040 §4.8.9, RFC 7952 §5.2.1): every leaf whose value
 * is its default gets the {@code ietf-netconf-with-defaults:default} annotation.
 */
final class DefaultTags {
    static final String ANNOTATION = "ietf-netconf-with-defaults:default";

    private DefaultTags() {
    }

    /** Tags a written answer; {@code parentSchema} is the schema of the node holding the top member. */
    static String tag(EffectiveModelContext context, Object parentSchema, boolean root, String json) {
        JsonObject top = JsonParser.parseString(json).getAsJsonObject();
        if (root) {
            JsonElement data = top.get("ietf-restconf:data");
            if (data != null && data.isJsonObject()) {
                object(context, context, data.getAsJsonObject());
            }
        } else {
            object(context, parentSchema, top);
        }
        return top.toString();
    }

    private static void object(EffectiveModelContext context, Object schema, JsonObject object) {
        for (Map.Entry<String, JsonElement> member : new ArrayList<>(object.entrySet())) {
            String name = member.getKey();
            String local = name.substring(name.indexOf(':') + 1);
            DataSchemaNode child = find(schema, local);
            JsonElement value = member.getValue();
            if (child instanceof LeafSchemaNode leaf) {
                if (isDefault(context, leaf, value)) {
                    JsonObject annotation = new JsonObject();
                    annotation.addProperty(ANNOTATION, true);
                    object.add("@" + name, annotation);
                }
            } else if (child instanceof DataNodeContainer && value.isJsonObject()) {
                object(context, child, value.getAsJsonObject());
            } else if (child instanceof DataNodeContainer && value.isJsonArray()) {
                for (JsonElement entry : value.getAsJsonArray()) {
                    if (entry.isJsonObject()) {
                        object(context, child, entry.getAsJsonObject());
                    }
                }
            }
        }
    }

    private static boolean isDefault(EffectiveModelContext context, LeafSchemaNode leaf, JsonElement value) {
        if (leaf.getType().getDefaultValue().isEmpty() || leaf.getType() instanceof LeafrefTypeDefinition
                || !value.isJsonPrimitive()) {
            return false;
        }
        try {
            return Defaults.defaultValue(context, leaf).equals(Schemas.parse(context, leaf, type -> {
                throw new IllegalStateException("leafref");
            }, value.getAsString()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static DataSchemaNode find(Object schema, String local) {
        if (!(schema instanceof DataNodeContainer container)) {
            return null;
        }
        for (DataSchemaNode child : container.getChildNodes()) {
            if (child instanceof org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode choice) {
                for (var caze : choice.getCases()) {
                    DataSchemaNode found = find(caze, local);
                    if (found != null) {
                        return found;
                    }
                }
            } else if (child.getQName().getLocalName().equals(local)) {
                return child;
            }
        }
        return null;
    }
}
