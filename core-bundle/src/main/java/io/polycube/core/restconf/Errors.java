package io.polycube.core.restconf;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.polycube.core.spi.CubeException;
import java.util.Locale;
import java.util.regex.Pattern;

/** RFC 8040 error reports and the mapping of typed errors to them. */
final class Errors {
    // Fully qualified Java names (a.b.C, a.b.C$D): never shown to a client.
    private static final Pattern JAVA_NAME = Pattern.compile("\\b(?:[a-z_][\\w$]*\\.){2,}[A-Z][\\w$]*");
    // The namespace part of a printed QName, "(urn:x?revision=2026-11-27)name": keep the local name only.
    private static final Pattern QNAME_NAMESPACE = Pattern.compile("\\((?:urn|http|https):[^()\\s]*\\)");

    // gson's advice to the programmer ("Use JsonReader.setLenient(true)...", "See https://...").
    private static final Pattern GSON_ADVICE = Pattern.compile(
        "(?:Use JsonReader\\.setLenient\\(true\\)[^\\n]*|See https?://\\S*|path \\$[^\\s]*)");

    private Errors() {
    }

    /** The refusal as the client sees it; one that names its instance ({@link ChangeRefused}) has its path. */
    static RestconfException fromCube(CubeException error) {
        String message = clean(error.getMessage());
        String path = error instanceof ChangeRefused refused ? refused.errorPath() : null;
        RestconfException answer = switch (error.kind()) {
            case INVALID_VALUE -> new RestconfException(400, RestconfException.ErrorType.APPLICATION,
                "invalid-value", path, message);
            case CONFLICT -> new RestconfException(409, RestconfException.ErrorType.APPLICATION,
                "resource-denied", path, message);
            case OPERATION_FAILED -> new RestconfException(500, RestconfException.ErrorType.APPLICATION,
                "operation-failed", path, message);
        };
        answer.initCause(error);
        return answer;
    }

    /** A client-safe message: no Java class names, never empty. */
    static String clean(String message) {
        if (message == null || message.isBlank()) {
            return "invalid request";
        }
        message = GSON_ADVICE.matcher(message.replace("%n", " ")).replaceAll("");
        String cleaned = QNAME_NAMESPACE.matcher(JAVA_NAME.matcher(message).replaceAll("")).replaceAll("")
            .replaceAll("\\s+", " ").replaceAll("^[\\s:;,.-]+", "").trim();
        return cleaned.isEmpty() ? "invalid request" : cleaned;
    }

    /** The error-tag for a yangtools validation message. */
    static String tagFor(String message) {
        return message.contains("mandatory") || message.contains("missing") ? "missing-element" : "invalid-value";
    }

    static String body(RestconfException error) {
        JsonObject top = new JsonObject();
        top.add("ietf-restconf:errors", errorList(error));
        return top.toString();
    }

    /** {@code {"error": [{...}]}}: the content of an errors container (RFC 8040 §7.1, RFC 8072 §2.3). */
    static JsonObject errorList(RestconfException error) {
        JsonObject entry = new JsonObject();
        entry.addProperty("error-type", error.errorType().name().toLowerCase(Locale.ROOT));
        entry.addProperty("error-tag", error.errorTag());
        error.errorPath().ifPresent(path -> entry.addProperty("error-path", path));
        entry.addProperty("error-message", error.getMessage());
        JsonArray list = new JsonArray();
        list.add(entry);
        JsonObject errors = new JsonObject();
        errors.add("error", list);
        return errors;
    }
}
