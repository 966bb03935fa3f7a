package io.polycube.core.restconf;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The RFC 8040 §4.8 query parameters of one request, checked strictly: an unknown or repeated
 * parameter, one the method does not take, or a bad value is a 400 invalid-value.
 *
 * @param depth 1..65535, or {@link #UNBOUNDED}
 * @param fields the raw fields expression, or null
 * @param insert first, last, before, after, or null
 * @param point the api-path of the insertion point (before/after), or null
 */
record QueryParameters(String content, int depth, String fields, String withDefaults, String insert,
        String point) {
    static final int UNBOUNDED = 0;
    static final QueryParameters NONE = new QueryParameters("all", UNBOUNDED, null, "report-all", null, null);

    private static final Set<String> READ = Set.of("content", "depth", "fields", "with-defaults");
    private static final Set<String> INSERT = Set.of("insert", "point");
    private static final Map<String, Set<String>> BY_METHOD = Map.of("GET", READ, "HEAD", READ, "POST", INSERT,
        "PUT", INSERT);
    private static final Set<String> KNOWN = Set.of("content", "depth", "fields", "with-defaults", "insert", "point",
        "filter", "start-time", "stop-time");

    static QueryParameters parse(String method, Map<String, List<String>> query) throws RestconfException {
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            if (!KNOWN.contains(name) || name.equals("filter") || name.endsWith("-time")) {
                throw invalid("unsupported query parameter '" + name + "'");
            }
            if (parameter.getValue().size() != 1) {
                throw invalid("query parameter '" + name + "' may be given only once");
            }
            if (!BY_METHOD.getOrDefault(method, Set.of()).contains(name)) {
                throw invalid("query parameter '" + name + "' is not allowed with " + method);
            }
        }
        String content = one(query, "content", "all", Set.of("all", "config", "nonconfig"));
        String withDefaults = one(query, "with-defaults", "report-all",
            Set.of("report-all", "trim", "explicit", "report-all-tagged"));
        String insert = one(query, "insert", null, Set.of("first", "last", "before", "after"));
        String point = query.containsKey("point") ? query.get("point").get(0) : null;
        boolean relative = "before".equals(insert) || "after".equals(insert);
        if (relative && (point == null || point.isEmpty())) {
            throw invalid("insert=" + insert + " needs a point parameter");
        }
        if (!relative && point != null) {
            throw invalid("point is only allowed with insert=before or insert=after");
        }
        String fields = query.containsKey("fields") ? query.get("fields").get(0) : null;
        if (fields != null && fields.isEmpty()) {
            throw invalid("fields must not be empty");
        }
        return new QueryParameters(content, depth(query), fields, withDefaults, insert, point);
    }

    private static int depth(Map<String, List<String>> query) throws RestconfException {
        if (!query.containsKey("depth")) {
            return UNBOUNDED;
        }
        String text = query.get("depth").get(0);
        if (text.equals("unbounded")) {
            return UNBOUNDED;
        }
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw invalid("depth must be an integer from 1 to 65535 or 'unbounded', not '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    private static String one(Map<String, List<String>> query, String name, String fallback, Set<String> allowed)
            throws RestconfException {
        if (!query.containsKey(name)) {
            return fallback;
        }
        String value = query.get(name).get(0);
        if (!allowed.contains(value)) {
            throw invalid(name + " must be one of " + String.join(", ", allowed.stream().sorted().toList())
                + ", not '" + value + "'");
        }
        return value;
    }

    private static RestconfException invalid(String message) {
        return RestconfException.badRequest("invalid-value", null, message);
    }
}
