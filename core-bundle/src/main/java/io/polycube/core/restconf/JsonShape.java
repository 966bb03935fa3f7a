package io.polycube.core.restconf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.model.api.CaseSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ContainerSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.Module;
import org.opendaylight.yangtools.yang.model.api.TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.TypedDataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.type.BooleanTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.EmptyTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Int16TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Int32TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Int8TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.LeafrefTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Uint16TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Uint32TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Uint8TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.UnionTypeDefinition;

/**
 * Checks what the RFC 7951 parser of yangtools lets through: unqualified top-level members,
 * strings for 8/16/32-bit numbers, non-booleans for booleans, and writes to config-false nodes.
 * Unknown members are reported here too, with a clean message.
 */
final class JsonShape {
    private JsonShape() {
    }

    static void check(EffectiveModelContext context, Object parentSchema, JsonObject body) throws RestconfException {
        for (Map.Entry<String, JsonElement> member : body.entrySet()) {
            if (member.getKey().indexOf(':') < 0) {
                throw RestconfException.badRequest("invalid-value", null, "top-level member '" + member.getKey()
                    + "' must be qualified with its module name (RFC 7951)");
            }
        }
        object(context, parentSchema, body, null);
    }

    private static void object(EffectiveModelContext context, Object schema, JsonObject object, String namespace)
            throws RestconfException {
        for (Map.Entry<String, JsonElement> member : object.entrySet()) {
            String name = member.getKey();
            String local = name;
            String ns = namespace;
            int colon = name.indexOf(':');
            if (colon >= 0) {
                Module module = context.findModules(name.substring(0, colon)).stream().findFirst().orElseThrow(
                    () -> RestconfException.badRequest("unknown-element", null, "unknown module in '" + name + "'"));
                ns = module.getNamespace().toString();
                local = name.substring(colon + 1);
            }
            DataSchemaNode child = find(schema, local, ns);
            if (child == null) {
                throw RestconfException.badRequest("unknown-element", null, "unknown element '" + name + "'");
            }
            if (!child.isConfiguration()) {
                throw RestconfException.badRequest("invalid-value", null,
                    "'" + local + "' is config false: it cannot be written");
            }
            value(context, child, member.getValue(), child.getQName().getNamespace().toString());
        }
    }

    private static void value(EffectiveModelContext context, DataSchemaNode schema, JsonElement value, String ns)
            throws RestconfException {
        String name = schema.getQName().getLocalName();
        if (schema instanceof ListSchemaNode || schema instanceof LeafListSchemaNode) {
            if (!value.isJsonArray()) {
                throw RestconfException.badRequest("invalid-value", null, "'" + name + "' must be a JSON array");
            }
            Set<List<String>> seen = new HashSet<>();
            for (JsonElement item : (JsonArray) value) {
                if (schema instanceof ListSchemaNode list) {
                    if (!item.isJsonObject()) {
                        throw RestconfException.badRequest("invalid-value", null, "entries of '" + name
                            + "' must be JSON objects");
                    }
                    object(context, list, item.getAsJsonObject(), ns);
                    List<String> key = keyOf(list, item.getAsJsonObject());
                    if (key != null && !seen.add(key)) {
                        throw RestconfException.badRequest("invalid-value", null, "list '" + name
                            + "' has two entries with the key " + String.join(",", key));
                    }
                } else {
                    scalar((TypedDataSchemaNode) schema, item);
                    if (!seen.add(List.of(item.toString()))) {
                        throw RestconfException.badRequest("invalid-value", null, "leaf-list '" + name
                            + "' holds the value " + item + " twice");
                    }
                }
            }
        } else if (schema instanceof ContainerSchemaNode container) {
            if (!value.isJsonObject()) {
                throw RestconfException.badRequest("invalid-value", null, "'" + name + "' must be a JSON object");
            }
            object(context, container, value.getAsJsonObject(), ns);
        } else if (schema instanceof TypedDataSchemaNode typed) {
            scalar(typed, value);
        } else if (!value.isJsonObject()) {
            throw RestconfException.badRequest("invalid-value", null, "'" + name + "' must be a JSON object");
        }
    }

    /** The entry's key values as written (null when a key is missing: the parser reports that). */
    private static List<String> keyOf(ListSchemaNode list, JsonObject entry) {
        List<String> key = new ArrayList<>();
        for (QName keyName : list.getKeyDefinition()) {
            JsonElement value = entry.get(keyName.getLocalName());
            if (value == null) {
                String prefixed = entry.keySet().stream().filter(m -> m.endsWith(":" + keyName.getLocalName()))
                    .findFirst().orElse(null);
                value = prefixed == null ? null : entry.get(prefixed);
            }
            if (value == null || !value.isJsonPrimitive()) {
                return null;
            }
            key.add(value.getAsString());
        }
        return key.isEmpty() ? null : key;
    }

    /** RFC 7951 §6: which JSON value each YANG type takes. */
    static void scalar(TypedDataSchemaNode schema, JsonElement value) throws RestconfException {
        TypeDefinition<?> type = schema.getType();
        boolean ok;
        String expected;
        if (type instanceof EmptyTypeDefinition) {
            ok = value.isJsonArray() && value.getAsJsonArray().size() == 1
                && value.getAsJsonArray().get(0).isJsonNull();
            expected = "[null]";
        } else if (type instanceof LeafrefTypeDefinition || type instanceof UnionTypeDefinition) {
            // The member type decides; the codec checks it. Never a structure here.
            ok = value.isJsonPrimitive() || value.isJsonArray() && value.getAsJsonArray().size() == 1
                && value.getAsJsonArray().get(0).isJsonNull();
            expected = "a single value";
        } else if (type instanceof Int8TypeDefinition || type instanceof Int16TypeDefinition
                || type instanceof Int32TypeDefinition || type instanceof Uint8TypeDefinition
                || type instanceof Uint16TypeDefinition || type instanceof Uint32TypeDefinition) {
            ok = value instanceof JsonPrimitive p && p.isNumber();
            expected = "a JSON number";
        } else if (type instanceof BooleanTypeDefinition) {
            ok = value instanceof JsonPrimitive p && p.isBoolean();
            expected = "true or false";
        } else {
            // strings, enumerations, bits, binary, identityrefs, instance-identifiers and the 64-bit
            // and decimal numbers are all JSON strings in RFC 7951.
            ok = value instanceof JsonPrimitive p && p.isString();
            expected = "a JSON string";
        }
        if (!ok) {
            throw RestconfException.badRequest("invalid-value", null, "'" + schema.getQName().getLocalName()
                + "' must be " + expected + " (RFC 7951), got " + shortText(value));
        }
    }

    private static String shortText(JsonElement value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static DataSchemaNode find(Object schema, String local, String namespace) {
        Iterable<? extends DataSchemaNode> children;
        if (schema instanceof ChoiceSchemaNode choice) {
            for (CaseSchemaNode caze : choice.getCases()) {
                DataSchemaNode found = find(caze, local, namespace);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (!(schema instanceof DataNodeContainer container)) {
            return null;
        }
        children = container.getChildNodes();
        for (DataSchemaNode child : children) {
            if (child instanceof ChoiceSchemaNode) {
                DataSchemaNode found = find(child, local, namespace);
                if (found != null) {
                    return found;
                }
            } else if (child.getQName().getLocalName().equals(local)
                    && (namespace == null || child.getQName().getNamespace().toString().equals(namespace))) {
                return child;
            }
        }
        return null;
    }
}
