package io.polycube.core.restconf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeModification;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/**
 * YANG Patch (RFC 8072) in JSON: ordered edits applied in one transaction; the answer is a
 * {@code ietf-yang-patch:yang-patch-status} naming the edit that failed.
 */
final class YangPatch {
    private static final Set<String> OPERATIONS = Set.of("create", "delete", "insert", "merge", "move", "replace",
        "remove");
    private static final Set<String> WHERE = Set.of("before", "after", "first", "last");

    /** One parsed edit. */
    private record Edit(String id, String operation, ApiPath target, NormalizedNode value, String where,
            String point) {
    }

    private final String patchId;
    private final List<Edit> edits;

    private YangPatch(String patchId, List<Edit> edits) {
        this.patchId = patchId;
        this.edits = edits;
    }

    /** Parses a patch addressed to the resource {@code base} (the api-path after /data, "" for the datastore). */
    static YangPatch parse(EffectiveModelContext context, String base, String body) throws RestconfException {
        JsonElement tree = StrictJson.parse(body);
        JsonObject patch = tree.isJsonObject() && tree.getAsJsonObject().size() == 1
            ? object(tree.getAsJsonObject().get("ietf-yang-patch:yang-patch")) : null;
        if (patch == null) {
            throw malformed("the body must be {\"ietf-yang-patch:yang-patch\": {...}}");
        }
        for (String member : patch.keySet()) {
            if (!Set.of("patch-id", "comment", "edit").contains(member)) {
                throw RestconfException.badRequest("unknown-element", null, "unknown member '" + member
                    + "' in yang-patch");
            }
        }
        String patchId = string(patch, "patch-id", true);
        string(patch, "comment", false);
        JsonElement editsJson = patch.get("edit");
        if (editsJson == null || !editsJson.isJsonArray() || editsJson.getAsJsonArray().isEmpty()) {
            throw malformed("a yang-patch needs a non-empty edit list");
        }
        List<Edit> edits = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonElement item : editsJson.getAsJsonArray()) {
            JsonObject edit = object(item);
            if (edit == null) {
                throw malformed("every edit must be a JSON object");
            }
            String id = string(edit, "edit-id", true);
            if (!ids.add(id)) {
                throw RestconfException.badRequest("invalid-value", null, "edit-id '" + id + "' is used twice");
            }
            try {
                edits.add(edit(context, base, id, edit));
            } catch (RestconfException e) {
                throw new RestconfException(e.status(), e.errorType(), e.errorTag(), e.errorPath().orElse(null),
                    "edit '" + id + "': " + e.getMessage());
            }
        }
        return new YangPatch(patchId, edits);
    }

    private static Edit edit(EffectiveModelContext context, String base, String id, JsonObject edit)
            throws RestconfException {
        for (String member : edit.keySet()) {
            if (!Set.of("edit-id", "operation", "target", "point", "where", "value").contains(member)) {
                throw RestconfException.badRequest("unknown-element", null, "unknown member '" + member + "'");
            }
        }
        String operation = string(edit, "operation", true);
        if (!OPERATIONS.contains(operation)) {
            throw RestconfException.badRequest("invalid-value", null, "unknown operation '" + operation + "'");
        }
        String targetText = string(edit, "target", true);
        if (!targetText.startsWith("/")) {
            throw RestconfException.badRequest("invalid-value", null, "target must start with '/'");
        }
        ApiPath target = ApiPaths.parse(context, base + (targetText.equals("/") ? "" : targetText));
        if (target.isRoot()) {
            throw RestconfException.badRequest("invalid-value", null, "an edit cannot target the whole datastore");
        }
        String where = string(edit, "where", false);
        String point = string(edit, "point", false);
        boolean positioned = operation.equals("insert") || operation.equals("move");
        if (where != null && (!WHERE.contains(where) || !positioned)) {
            throw RestconfException.badRequest("invalid-value", null, "where is only for insert and move, and is "
                + "one of before, after, first, last");
        }
        if (positioned && where == null) {
            where = "last";
        }
        boolean relative = "before".equals(where) || "after".equals(where);
        if (relative != (point != null)) {
            throw RestconfException.badRequest("invalid-value", null, "point is required with before/after, and "
                + "allowed only then");
        }
        boolean needsValue = Set.of("create", "insert", "merge", "replace").contains(operation);
        JsonElement valueJson = edit.get("value");
        if (needsValue != (valueJson != null)) {
            throw RestconfException.badRequest(needsValue ? "missing-element" : "invalid-value", null,
                "operation " + operation + (needsValue ? " needs a value" : " takes no value"));
        }
        NormalizedNode value = null;
        if (valueJson != null) {
            if (!valueJson.isJsonObject()) {
                throw malformed("value must be a JSON object");
            }
            value = RestconfService.targetBody(context, target, valueJson.toString());
        }
        return new Edit(id, operation, target, value, where,
            point == null ? null : base + (point.equals("/") ? "" : point));
    }

    /**
     * Applies every edit to {@code mod}, in order; the first failing edit stops the patch and its id is
     * left in {@code failed[0]}.
     */
    void apply(EffectiveModelContext context, DataTreeModification mod, String[] failed) throws RestconfException {
        for (Edit edit : edits) {
            failed[0] = edit.id();
            apply(context, mod, edit);
        }
        failed[0] = null;
    }

    private static void apply(EffectiveModelContext context, DataTreeModification mod, Edit edit)
            throws RestconfException {
        YangInstanceIdentifier path = edit.target().path();
        boolean exists = mod.readNode(path).isPresent();
        switch (edit.operation()) {
            case "create", "insert" -> {
                if (exists) {
                    throw new RestconfException(409, RestconfException.ErrorType.PROTOCOL, "data-exists",
                        ApiPaths.errorPath(context, path), "the resource already exists");
                }
                write(context, mod, edit, edit.value());
            }
            case "delete" -> {
                if (!exists) {
                    throw RestconfService.missing(context, path);
                }
                mod.delete(path);
            }
            case "remove" -> {
                if (exists) {
                    mod.delete(path);
                }
            }
            case "merge" -> mod.merge(path, edit.value());
            case "replace" -> mod.write(path, edit.value());
            default -> {
                if (!exists) {
                    throw RestconfService.missing(context, path);
                }
                write(context, mod, edit, mod.readNode(path).orElseThrow());
            }
        }
    }

    private static void write(EffectiveModelContext context, DataTreeModification mod, Edit edit,
            NormalizedNode value) throws RestconfException {
        if (edit.where() == null) {
            mod.write(edit.target().path(), value);
        } else {
            OrderedInsert.of(context, edit.where(), edit.point(), edit.target().path())
                .write(context, mod, edit.target().path(), value);
        }
    }

    /**
     * The id of the last edit whose target is {@code errorPath} (an instance's path), inside it or above it,
     * or null: the edit that brought the instance to the state the data plane refused.
     */
    String lastEditTouching(EffectiveModelContext context, String errorPath) {
        String found = null;
        for (Edit edit : edits) {
            String target = ApiPaths.errorPath(context, edit.target().path());
            if (errorPath != null && (within(target, errorPath) || within(errorPath, target))) {
                found = edit.id();
            }
        }
        return found;
    }

    /** Whether data path {@code inner} is {@code outer} or below it. */
    private static boolean within(String inner, String outer) {
        if (outer.equals("/")) {
            return true;
        }
        return inner.startsWith(outer) && (inner.length() == outer.length() || inner.charAt(outer.length()) == '/'
            || inner.charAt(outer.length()) == '[');
    }

    String okStatus() {
        JsonObject status = status();
        JsonArray ok = new JsonArray();
        ok.add(JsonNull.INSTANCE);
        status.getAsJsonObject("ietf-yang-patch:yang-patch-status").add("ok", ok);
        return status.toString();
    }

    /** The status of a refused patch: the failed edit's errors, or global errors (validation at commit). */
    String errorStatus(String editId, RestconfException error) {
        JsonObject status = status();
        JsonObject body = status.getAsJsonObject("ietf-yang-patch:yang-patch-status");
        JsonObject errors = Errors.errorList(error);
        if (editId == null) {
            body.add("errors", errors);
        } else {
            JsonObject edit = new JsonObject();
            edit.addProperty("edit-id", editId);
            edit.add("errors", errors);
            JsonArray list = new JsonArray();
            list.add(edit);
            JsonObject editStatus = new JsonObject();
            editStatus.add("edit", list);
            body.add("edit-status", editStatus);
        }
        return status.toString();
    }

    private JsonObject status() {
        JsonObject body = new JsonObject();
        body.addProperty("patch-id", patchId);
        JsonObject top = new JsonObject();
        top.add("ietf-yang-patch:yang-patch-status", body);
        return top;
    }

    private static JsonObject object(JsonElement element) {
        return element != null && element.isJsonObject() ? element.getAsJsonObject() : null;
    }

    private static String string(JsonObject object, String name, boolean required) throws RestconfException {
        JsonElement value = object.get(name);
        if (value == null) {
            if (required) {
                throw RestconfException.badRequest("missing-element", null, "'" + name + "' is missing");
            }
            return null;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw RestconfException.badRequest("invalid-value", null, "'" + name + "' must be a JSON string");
        }
        return value.getAsString();
    }

    private static RestconfException malformed(String message) {
        return RestconfException.badRequest("malformed-message", null, message);
    }
}
