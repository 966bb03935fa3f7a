package io.polycube.core.restconf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Map;
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
            for (JsonElement item : (JsonArray) value) {
                if (schema instanceof ListSchemaNode list) {
                    if (!item.isJsonObject()) {
                        throw RestconfException.badRequest("invalid-value", null, "entries of '" + name
                            + "' must be JSON objects");
                    }
                    object(context, list, item.getAsJsonObject(), ns);
                } else {
                    scalar((TypedDataSchemaNode) schema, item);
                }
            }
        } else if (schema instanceof ContainerSchemaNode container) {
            if (!value.isJsonObject()) {
                throw RestconfException.badRequest("invalid-value", null, "'" + name + "' must be a JSON object");
            }
            object(context, container, value.getAsJsonObject(), ns);
        } else if (schema instanceof TypedDataSchemaNode typed) {
            scalar(typed, value);
        }
    }

    private static void scalar(TypedDataSchemaNode schema, JsonElement value) throws RestconfException {
        TypeDefinition<?> type = schema.getType();
        if (type instanceof LeafrefTypeDefinition || type instanceof UnionTypeDefinition
                || type instanceof EmptyTypeDefinition) {
            return;
        }
        boolean ok;
        String expected;
        if (type instanceof Int8TypeDefinition || type instanceof Int16TypeDefinition
                || type instanceof Int32TypeDefinition || type instanceof Uint8TypeDefinition
                || type instanceof Uint16TypeDefinition || type instanceof Uint32TypeDefinition) {
            ok = value instanceof JsonPrimitive p && p.isNumber();
            expected = "a JSON number";
        } else if (type instanceof BooleanTypeDefinition) {
            ok = value instanceof JsonPrimitive p && p.isBoolean();
            expected = "true or false";
        } else {
            ok = value instanceof JsonPrimitive p && (p.isString() || p.isNumber());
            expected = "a JSON string";
        }
        if (!ok) {
            throw RestconfException.badRequest("invalid-value", null, "'" + schema.getQName().getLocalName()
                + "' must be " + expected + " (RFC 7951), got " + value);
        }
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
