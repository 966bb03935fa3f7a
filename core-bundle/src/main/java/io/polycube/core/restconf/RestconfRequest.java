package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One RESTCONF request without HTTP: the method exactly as sent (methods are case-sensitive), the
 * path after {@code /restconf} (still percent-encoded), the query parameters as parsed from the raw
 * query string (a repeated name keeps every value, so it can be refused), the headers (names
 * case-insensitive) and the body text.
 */
public record RestconfRequest(String method, String path, Map<String, List<String>> query,
        Map<String, String> headers, String body) {
    public RestconfRequest {
        requireNonNull(method);
        path = path == null ? "" : path;
        query = Map.copyOf(query);
        Map<String, String> names = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        names.putAll(headers);
        headers = java.util.Collections.unmodifiableMap(names);
        body = body == null ? "" : body;
    }

    /** A request with only a Content-Type header (null: none) and single-valued query parameters. */
    public static RestconfRequest of(String method, String path, Map<String, String> query, String contentType,
            String body) {
        Map<String, List<String>> multi = new java.util.LinkedHashMap<>();
        if (query != null) {
            query.forEach((name, value) -> multi.put(name, List.of(value)));
        }
        return new RestconfRequest(method, path, multi,
            contentType == null ? Map.of() : Map.of("Content-Type", contentType), body);
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** The Content-Type's media type, lower case without parameters, or null when there is none. */
    String mediaType() {
        String type = header("Content-Type");
        if (type == null || type.isBlank()) {
            return null;
        }
        return type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /** Parses a raw query string ({@code a=1&b=x%20y}); '+' stays a plus (RFC 3986, not a form). */
    static Map<String, List<String>> parseQuery(String raw) throws RestconfException {
        Map<String, List<String>> result = new java.util.LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String part : raw.split("&", -1)) {
            int eq = part.indexOf('=');
            String name = ApiPaths.decode(eq < 0 ? part : part.substring(0, eq));
            String value = eq < 0 ? "" : ApiPaths.decode(part.substring(eq + 1));
            result.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
        }
        return result;
    }
}
