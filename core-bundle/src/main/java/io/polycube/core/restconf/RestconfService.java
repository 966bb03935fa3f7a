package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/**
 * RFC 8040 RESTCONF over the {@link Datastore} with RFC 7951 JSON, without HTTP: {@code /restconf},
 * {@code /restconf/yang-library-version} and the {@code /restconf/data} resource (GET, PUT, POST,
 * PATCH as a plain merge, DELETE). GET reports defaults (with-defaults basic mode report-all;
 * {@code ?with-defaults=explicit} omits them) and merges operational state from a {@link StateSource}
 * ({@code ?content=all|config|nonconfig}). Errors are RFC 8040 error reports.
 */
public final class RestconfService {
    public static final String YANG_DATA_JSON = "application/yang-data+json";
    static final String YANG_LIBRARY_VERSION = "2019-01-04";
    private static final String ALLOW = "GET, HEAD, PUT, POST, PATCH, DELETE, OPTIONS";
    private static final Set<String> QUERY_PARAMETERS = Set.of("content", "with-defaults");

    private final Datastore datastore;
    private final DataReader reader;

    public RestconfService(Datastore datastore, StateSource state) {
        this.datastore = requireNonNull(datastore);
        this.reader = new DataReader(datastore, requireNonNull(state));
    }

    /**
     * Handles one request.
     *
     * @param pathAfterRestconf e.g. {@code /data/pcn-simplefwd:simplefwd=fwd1}, still percent-encoded
     * @param query the query parameters, decoded
     * @param contentType the request's Content-Type, or null
     */
    public RestconfResponse handle(String method, String pathAfterRestconf, Map<String, String> query,
            String contentType, String body) {
        try {
            return dispatch(method.toUpperCase(Locale.ROOT), pathAfterRestconf == null ? "" : pathAfterRestconf,
                query == null ? Map.of() : query, contentType, body == null ? "" : body);
        } catch (RestconfException e) {
            Map<String, String> headers = e.status() == 405 ? Map.of("Content-Type", YANG_DATA_JSON, "Allow", ALLOW)
                : Map.of("Content-Type", YANG_DATA_JSON);
            return new RestconfResponse(e.status(), headers, Errors.body(e));
        } catch (RuntimeException e) {
            RestconfException error = new RestconfException(500, RestconfException.ErrorType.APPLICATION,
                "operation-failed", null, "internal error: " + Errors.clean(e.getMessage()));
            return new RestconfResponse(500, Map.of("Content-Type", YANG_DATA_JSON), Errors.body(error));
        }
    }

    private RestconfResponse dispatch(String method, String path, Map<String, String> query, String contentType,
            String body) throws RestconfException {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (method.equals("OPTIONS")) {
            return new RestconfResponse(200, Map.of("Allow", ALLOW), "");
        }
        for (String key : query.keySet()) {
            if (!QUERY_PARAMETERS.contains(key)) {
                throw RestconfException.badRequest("invalid-value", null, "unsupported query parameter '" + key + "'");
            }
        }
        if (trimmed.isEmpty() || trimmed.equals("yang-library-version")) {
            requireGet(method);
            String json = trimmed.isEmpty()
                ? "{\"ietf-restconf:restconf\":{\"data\":{},\"operations\":{},\"yang-library-version\":\""
                    + YANG_LIBRARY_VERSION + "\"}}"
                : "{\"ietf-restconf:yang-library-version\":\"" + YANG_LIBRARY_VERSION + "\"}";
            return ok(method, json);
        }
        if (!trimmed.equals("data") && !trimmed.startsWith("data/")) {
            throw new RestconfException(404, RestconfException.ErrorType.PROTOCOL, "invalid-value", null,
                "no such resource: /restconf/" + trimmed);
        }
        EffectiveModelContext context = datastore.context();
        ApiPath target = ApiPaths.parse(context, trimmed.substring("data".length()));
        return switch (method) {
            case "GET", "HEAD" -> ok(method, reader.get(context, target, query));
            case "PUT" -> put(context, target, contentType, body);
            case "POST" -> post(context, target, contentType, body);
            case "PATCH" -> patch(context, target, contentType, body);
            case "DELETE" -> delete(context, target);
            default -> throw new RestconfException(405, RestconfException.ErrorType.PROTOCOL,
                "operation-not-supported", null, "method " + method + " is not supported");
        };
    }

    private static void requireGet(String method) throws RestconfException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new RestconfException(405, RestconfException.ErrorType.PROTOCOL, "operation-not-supported", null,
                "method " + method + " is not allowed here");
        }
    }

    private static RestconfResponse ok(String method, String json) {
        return new RestconfResponse(200, Map.of("Content-Type", YANG_DATA_JSON), method.equals("HEAD") ? "" : json);
    }

    private RestconfResponse put(EffectiveModelContext context, ApiPath target, String contentType, String body)
            throws RestconfException {
        requireJson(contentType);
        requireNotRoot(target, "PUT");
        NormalizedNode node = targetBody(context, target, body);
        boolean[] existed = new boolean[1];
        datastore.write(mod -> {
            existed[0] = mod.readNode(target.path()).isPresent();
            requireParents(context, mod, target.path());
            mod.write(target.path(), node);
        });
        return existed[0] ? noContent() : new RestconfResponse(201, Map.of(), "");
    }

    private RestconfResponse patch(EffectiveModelContext context, ApiPath target, String contentType, String body)
            throws RestconfException {
        requireJson(contentType);
        requireNotRoot(target, "PATCH");
        NormalizedNode node = targetBody(context, target, body);
        datastore.write(mod -> {
            if (mod.readNode(target.path()).isEmpty()) {
                throw missing(context, target.path());
            }
            mod.merge(target.path(), node);
        });
        return noContent();
    }

    private RestconfResponse delete(EffectiveModelContext context, ApiPath target) throws RestconfException {
        requireNotRoot(target, "DELETE");
        datastore.write(mod -> {
            if (mod.readNode(target.path()).isEmpty()) {
                throw missing(context, target.path());
            }
            mod.delete(target.path());
        });
        return noContent();
    }

    private RestconfResponse post(EffectiveModelContext context, ApiPath target, String contentType, String body)
            throws RestconfException {
        requireJson(contentType);
        if (!target.isRoot() && (target.self() == null || target.isWholeList())) {
            throw RestconfException.badRequest("invalid-value", ApiPaths.errorPath(context, target.path()),
                "POST needs a container or list entry as target; the body names the child to create");
        }
        NormalizedNode node = JsonBodies.parse(context, target.self(), target.schema(), body);
        YangInstanceIdentifier path = target.path();
        while (node instanceof ChoiceNode choice && choice.size() == 1) {
            path = path.node(choice.name());
            node = choice.body().iterator().next();
        }
        if (node instanceof MapNode map) {
            if (map.size() != 1) {
                throw RestconfException.badRequest("invalid-value", null, "POST creates exactly one list entry");
            }
            node = map.body().iterator().next();
            path = path.node(map.name()).node(((MapEntryNode) node).name());
        } else {
            path = path.node(node.name());
        }
        YangInstanceIdentifier created = path;
        NormalizedNode child = node;
        datastore.write(mod -> {
            if (!target.isRoot() && mod.readNode(target.path()).isEmpty()) {
                throw missing(context, target.path());
            }
            if (mod.readNode(created).isPresent()) {
                throw new RestconfException(409, RestconfException.ErrorType.PROTOCOL, "data-exists",
                    ApiPaths.errorPath(context, created), "the resource already exists");
            }
            mod.write(created, child);
        });
        return new RestconfResponse(201, Map.of("Location", "/restconf/data/" + ApiPaths.format(context, created)), "");
    }

    /** Parses a PUT/PATCH body, which must name the target itself (and, for a list entry, its keys). */
    static NormalizedNode targetBody(EffectiveModelContext context, ApiPath target, String body)
            throws RestconfException {
        Object parentSchema = target.parent() == null ? context
            : Schemas.parentOf(context, target.path());
        NormalizedNode node = JsonBodies.parse(context, target.parent(), parentSchema, body);
        while (node instanceof ChoiceNode choice && choice.size() == 1) {
            node = choice.body().iterator().next();
        }
        YangInstanceIdentifier.PathArgument last = target.path().getLastPathArgument();
        if (last instanceof NodeIdentifierWithPredicates keys) {
            if (!(node instanceof MapNode map) || map.size() != 1) {
                throw RestconfException.badRequest("invalid-value", ApiPaths.errorPath(context, target.path()),
                    "the body must hold exactly one entry of list '" + keys.getNodeType().getLocalName() + "'");
            }
            MapEntryNode entry = map.body().iterator().next();
            if (!entry.name().equals(keys)) {
                throw RestconfException.badRequest("invalid-value", ApiPaths.errorPath(context, target.path()),
                    "the key values in the body do not match the URI");
            }
            return entry;
        }
        if (!node.name().getNodeType().equals(last.getNodeType())) {
            throw RestconfException.badRequest("invalid-value", ApiPaths.errorPath(context, target.path()),
                "the body must be the target node '" + last.getNodeType().getLocalName() + "'");
        }
        return node;
    }

    private static void requireParents(EffectiveModelContext context,
            org.opendaylight.yangtools.yang.data.tree.api.DataTreeModification mod, YangInstanceIdentifier path)
            throws RestconfException {
        YangInstanceIdentifier parent = path.getParent();
        while (parent != null && !parent.isEmpty()) {
            if (parent.getLastPathArgument() instanceof NodeIdentifierWithPredicates
                    && mod.readNode(parent).isEmpty()) {
                throw missing(context, parent);
            }
            parent = parent.getParent();
        }
    }

    static RestconfException missing(EffectiveModelContext context, YangInstanceIdentifier path) {
        return new RestconfException(404, RestconfException.ErrorType.PROTOCOL, "data-missing",
            ApiPaths.errorPath(context, path), "the resource does not exist");
    }

    private static void requireNotRoot(ApiPath target, String method) throws RestconfException {
        if (target.isRoot()) {
            throw new RestconfException(405, RestconfException.ErrorType.PROTOCOL, "operation-not-supported", null,
                method + " on the whole datastore is not supported");
        }
    }

    private static void requireJson(String contentType) throws RestconfException {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals(YANG_DATA_JSON) && !type.equals("application/json")) {
            throw new RestconfException(415, RestconfException.ErrorType.PROTOCOL, "invalid-value", null,
                "unsupported media type '" + (contentType == null ? "" : contentType) + "': use " + YANG_DATA_JSON);
        }
    }

    private static RestconfResponse noContent() {
        return new RestconfResponse(204, Map.of(), "");
    }

    static MapNode single(MapEntryNode entry) {
        return ImmutableNodes.newSystemMapBuilder()
            .withNodeIdentifier(NodeIdentifier.create(entry.name().getNodeType())).withChild(entry).build();
    }
}
