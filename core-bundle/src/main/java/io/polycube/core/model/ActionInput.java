package io.polycube.core.model;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.polycube.core.restconf.RestconfException;
import io.polycube.core.restconf.RestconfService;
import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The input of a {@code pcn-polycubed} action, RFC 8040 §3.6.1: {@code {"pcn-polycubed:input": {...}}}
 * with string leaves only (strict JSON; unknown, repeated or non-string members refused). An action
 * without input accepts an empty body.
 */
record ActionInput(Map<String, String> leaves) {
    private static final Gson GSON = new Gson();

    static ActionInput parse(String contentType, String body, Set<String> allowed, Set<String> mandatory)
            throws RestconfException {
        if (body == null || body.isBlank()) {
            if (!mandatory.isEmpty()) {
                throw bad("missing-element", "this action needs an input: {\"" + FrameworkModel.MODULE + ":input\": {"
                    + String.join(", ", mandatory.stream().map(m -> "\"" + m + "\": ...").toList()) + "}}");
            }
            return new ActionInput(Map.of());
        }
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals(RestconfService.YANG_DATA_JSON) && !type.equals("application/json")) {
            throw new RestconfException(415, RestconfException.ErrorType.PROTOCOL, "invalid-value", null,
                "unsupported media type '" + (contentType == null ? "" : contentType) + "': use "
                + RestconfService.YANG_DATA_JSON);
        }
        JsonElement tree = strict(body);
        String member = FrameworkModel.MODULE + ":input";
        if (!tree.isJsonObject() || tree.getAsJsonObject().size() != 1 || !tree.getAsJsonObject().has(member)
                || !tree.getAsJsonObject().get(member).isJsonObject()) {
            throw bad("malformed-message", "the body must be {\"" + member + "\": {...}}");
        }
        Map<String, String> leaves = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> leaf : tree.getAsJsonObject().getAsJsonObject(member).entrySet()) {
            String name = leaf.getKey();
            if (!allowed.contains(name)) {
                throw bad("unknown-element", "unknown input leaf '" + name + "'; this action takes " + allowed);
            }
            if (!leaf.getValue().isJsonPrimitive() || !leaf.getValue().getAsJsonPrimitive().isString()) {
                throw bad("invalid-value", "input leaf '" + name + "' must be a string");
            }
            leaves.put(name, leaf.getValue().getAsString());
        }
        for (String name : mandatory) {
            if (!leaves.containsKey(name)) {
                throw bad("missing-element", "input leaf '" + name + "' is mandatory");
            }
        }
        return new ActionInput(Map.copyOf(leaves));
    }

    /** Strict RFC 8259 (also for {@link CubeActions}). */
    static JsonElement strictJson(String body) throws RestconfException {
        return strict(body);
    }

    /** Strict RFC 8259: no comments, single quotes or unquoted values. */
    private static JsonElement strict(String body) throws RestconfException {
        try (JsonReader reader = new JsonReader(new StringReader(body))) {
            reader.setLenient(false);
            JsonElement tree = GSON.getAdapter(JsonElement.class).read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw bad("malformed-message", "malformed JSON: text after the value");
            }
            return tree;
        } catch (IOException | RuntimeException e) {
            throw bad("malformed-message", "malformed JSON");
        }
    }

    String get(String name) {
        return leaves.get(name);
    }

    String getOrDefault(String name, String fallback) {
        return leaves.getOrDefault(name, fallback);
    }

    static RestconfException bad(String tag, String message) {
        return new RestconfException(400, RestconfException.ErrorType.PROTOCOL, tag, null, message);
    }
}
