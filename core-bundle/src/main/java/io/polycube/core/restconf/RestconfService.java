package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeWithValue;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeModification;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/**
 * RFC 8040 RESTCONF over the {@link Datastore} with RFC 7951 JSON, without HTTP: {@code /restconf},
 * {@code /restconf/yang-library-version} and the {@code /restconf/data} resource: GET/HEAD (with
 * content, depth, fields, with-defaults; operational state merged from a {@link StateSource}), PUT,
 * POST (insert/point), PATCH (merge, or YANG Patch), DELETE, OPTIONS; entity tags and conditional
 * requests; the datastore itself replaced or merged whole. Errors are RFC 8040 error reports.
 */
public final class RestconfService {
    public static final String YANG_DATA_JSON = "application/yang-data+json";
    static final String YANG_LIBRARY_VERSION = "2019-01-04";

    private final Datastore datastore;
    private final DataReader reader;
    private final ComputedResources computed;

    public RestconfService(Datastore datastore, StateSource state) {
        this(datastore, state, ComputedResources.NONE);
    }

    /** {@code computed}: operations, schema downloads, computed (config-false) modules and their actions. */
    public RestconfService(Datastore datastore, StateSource state, ComputedResources computed) {
        this.datastore = requireNonNull(datastore);
        this.reader = new DataReader(datastore, requireNonNull(state));
        this.computed = requireNonNull(computed);
    }

    /**
     * Handles one request with no headers but its Content-Type.
     *
     * @param pathAfterRestconf e.g. {@code /data/pcn-simplefwd:simplefwd=fwd1}, still percent-encoded
     * @param query the query parameters, decoded
     * @param contentType the request's Content-Type, or null
     */
    public RestconfResponse handle(String method, String pathAfterRestconf, Map<String, String> query,
            String contentType, String body) {
        return handle(RestconfRequest.of(method, pathAfterRestconf, query, contentType, body));
    }

    /** Handles one request; never throws, every failure is an RFC 8040 error report. */
    public RestconfResponse handle(RestconfRequest request) {
        try {
            return dispatch(request);
        } catch (RestconfException e) {
            return error(e, request);
        } catch (RuntimeException e) {
            RestconfException error = new RestconfException(500, RestconfException.ErrorType.APPLICATION,
                "operation-failed", null, "internal error: " + Errors.clean(e.getMessage()));
            return error(error, request);
        }
    }

    private RestconfResponse error(RestconfException e, RestconfRequest request) {
        MediaTypes.Format format;
        try {
            format = MediaTypes.negotiate(request.header("Accept"));
        } catch (RestconfException notAcceptable) {
            format = MediaTypes.Format.JSON;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", MediaTypes.contentType(format));
        e.allow().ifPresent(allow -> headers.put("Allow", allow));
        String body = format == MediaTypes.Format.XML ? XmlBodies.error(e) : Errors.body(e);
        return new RestconfResponse(e.status(), headers, request.method().equals("HEAD") ? "" : body);
    }

    private RestconfResponse dispatch(RestconfRequest request) throws RestconfException {
        String method = request.method();
        if (!Methods.KNOWN.contains(method)) {
            throw new RestconfException(501, RestconfException.ErrorType.PROTOCOL, "operation-not-supported", null,
                "method '" + Methods.printable(method) + "' is not implemented (methods are case-sensitive)");
        }
        String path = request.path();
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.isEmpty() || trimmed.equals("yang-library-version")) {
            Methods.require(method, Methods.READ_ONLY);
            QueryParameters.parse(method, request.query());
            if (method.equals("OPTIONS")) {
                return new RestconfResponse(200, Map.of("Allow", Methods.READ_ONLY), "");
            }
            MediaTypes.Format rootFormat = MediaTypes.negotiate(request.header("Accept"));
            if (rootFormat == MediaTypes.Format.XML) {
                String xml = trimmed.isEmpty()
                    ? "<restconf xmlns=\"" + XmlBodies.RESTCONF_NS + "\"><data/><operations/><yang-library-version>"
                        + YANG_LIBRARY_VERSION + "</yang-library-version></restconf>"
                    : "<yang-library-version xmlns=\"" + XmlBodies.RESTCONF_NS + "\">" + YANG_LIBRARY_VERSION
                        + "</yang-library-version>";
                return ok(method, xml, Map.of(), rootFormat);
            }
            String json = trimmed.isEmpty()
                ? "{\"ietf-restconf:restconf\":{\"data\":{},\"operations\":{},\"yang-library-version\":\""
                    + YANG_LIBRARY_VERSION + "\"}}"
                : "{\"ietf-restconf:yang-library-version\":\"" + YANG_LIBRARY_VERSION + "\"}";
            return ok(method, json, Map.of(), MediaTypes.Format.JSON);
        }
        // Operations, schema downloads and computed state: parameters checked like everywhere else.
        QueryParameters.parse(method, request.query());
        Map<String, String> single = new LinkedHashMap<>();
        request.query().forEach((name, values) -> single.put(name, values.get(0)));
        var other = computed.handle(datastore.context(), method, trimmed, single, request.header("Content-Type"),
            request.body());
        if (other.isPresent()) {
            return other.get();
        }
        if (!trimmed.equals("data") && !trimmed.startsWith("data/")) {
            throw new RestconfException(404, RestconfException.ErrorType.PROTOCOL, "invalid-value", null,
                "no such resource: /restconf/" + trimmed);
        }
        EffectiveModelContext context = datastore.context();
        ApiPath target = ApiPaths.parse(context, trimmed.substring("data".length()));
        String allow = Methods.allowed(target);
        if (Methods.isKeyLeaf(target) && Methods.WRITES.contains(method)) {
            throw RestconfException.badRequest("invalid-value", ApiPaths.errorPath(context, target.path()),
                "a list key cannot be changed or deleted on its own; replace or delete the list entry");
        }
        Methods.require(method, allow);
        QueryParameters query = QueryParameters.parse(method, request.query());
        if (method.equals("OPTIONS")) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Allow", allow);
            if (allow.contains("PATCH")) {
                headers.put("Accept-Patch", Methods.ACCEPT_PATCH);
            }
            return new RestconfResponse(200, headers, "");
        }
        MediaTypes.Format format = MediaTypes.negotiate(request.header("Accept"));
        Preconditions conditions = Preconditions.of(request);
        return switch (method) {
            case "GET", "HEAD" -> get(context, target, query, conditions, method, format);
            case "PUT" -> put(context, target, request, conditions, query);
            case "POST" -> post(context, target, request, conditions, query);
            case "PATCH" -> patch(context, target, request, conditions);
            default -> delete(context, target, conditions);
        };
    }

    private RestconfResponse get(EffectiveModelContext context, ApiPath target, QueryParameters query,
            Preconditions conditions, String method, MediaTypes.Format format) throws RestconfException {
        Instant modified = datastore.lastModified();
        DataReader.Read read = reader.get(context, target, query, format);
        if (target.isRoot() && format == MediaTypes.Format.JSON && !query.content().equals("config")) {
            // The framework's and the YANG library's state (config false, computed on demand) join the root.
            read = new DataReader.Read(computed.withComputed(context, read.body()), read.etag());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (read.etag() != null) {
            headers.put("ETag", read.etag());
        }
        headers.put("Last-Modified", Preconditions.HttpDates.format(modified));
        Optional<Integer> notModified = conditions.checkRead(read.etag(), modified);
        if (notModified.isPresent()) {
            return new RestconfResponse(notModified.get(), headers, "");
        }
        return ok(method, read.body(), headers, format);
    }

    private static RestconfResponse ok(String method, String json, Map<String, String> extra,
            MediaTypes.Format format) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Content-Type", MediaTypes.contentType(format));
        if (method.equals("HEAD")) {
            // HEAD answers the headers GET would, Content-Length included, and no body.
            headers.put("Content-Length", Integer.toString(json.getBytes(StandardCharsets.UTF_8).length));
            return new RestconfResponse(200, headers, "");
        }
        return new RestconfResponse(200, headers, json);
    }

    /** Inside the write's critical section: the target's current tag and the datastore's time. */
    private void check(Preconditions conditions, DataTreeModification mod, YangInstanceIdentifier path) throws
            RestconfException {
        if (!conditions.isEmpty()) {
            conditions.checkWrite(mod.readNode(path).map(EntityTags::of).orElse(null), datastore.lastModified());
        }
    }

    private RestconfResponse put(EffectiveModelContext context, ApiPath target, RestconfRequest request,
            Preconditions conditions, QueryParameters query) throws RestconfException {
        MediaTypes.Format format = bodyFormat(request);
        if (target.isRoot()) {
            ContainerNode root = DatastoreBodies.parse(context, format, request.body());
            datastore.write(mod -> {
                check(conditions, mod, target.path());
                mod.write(target.path(), root);
            });
            return written(204, target.path(), Map.of());
        }
        NormalizedNode node = targetBody(context, target, request.body(), format);
        OrderedInsert insert = OrderedInsert.of(context, query, target.path());
        boolean[] existed = new boolean[1];
        datastore.write(mod -> {
            check(conditions, mod, target.path());
            existed[0] = mod.readNode(target.path()).isPresent();
            requireParents(context, mod, target.path());
            if (insert == null) {
                ensureLeafSet(context, mod, target.path());
                mod.write(target.path(), node);
            } else {
                insert.write(context, mod, target.path(), node);
            }
        });
        return written(existed[0] ? 204 : 201, target.path(), Map.of());
    }

    private RestconfResponse patch(EffectiveModelContext context, ApiPath target, RestconfRequest request,
            Preconditions conditions) throws RestconfException {
        if (MediaTypes.YANG_PATCH_JSON.equals(request.mediaType())) {
            return yangPatch(context, target, request, conditions);
        }
        MediaTypes.Format format = bodyFormat(request);
        if (target.isRoot()) {
            ContainerNode root = DatastoreBodies.parse(context, format, request.body());
            datastore.write(mod -> {
                check(conditions, mod, target.path());
                for (var child : root.body()) {
                    mod.merge(YangInstanceIdentifier.of(child.name()), child);
                }
            });
            return written(204, target.path(), Map.of());
        }
        NormalizedNode node = targetBody(context, target, request.body(), format);
        datastore.write(mod -> {
            check(conditions, mod, target.path());
            if (mod.readNode(target.path()).isEmpty()) {
                throw missing(context, target.path());
            }
            mod.merge(target.path(), node);
        });
        return written(204, target.path(), Map.of());
    }

    /** RFC 8072: the edits in one transaction; errors of an edit are reported in the yang-patch-status. */
    private RestconfResponse yangPatch(EffectiveModelContext context, ApiPath target, RestconfRequest request,
            Preconditions conditions) throws RestconfException {
        String path = request.path().startsWith("/") ? request.path().substring(1) : request.path();
        YangPatch patch = YangPatch.parse(context, path.substring("data".length()), request.body());
        String[] failed = new String[1];
        try {
            datastore.write(mod -> {
                check(conditions, mod, target.path());
                patch.apply(context, mod, failed);
            });
        } catch (RestconfException e) {
            if (e.status() == 412) {
                throw e;
            }
            // The data plane refused one instance (at commit, after every edit): the edit that touched it.
            String edit = failed[0] != null || !(e.getCause() instanceof ChangeRefused) ? failed[0]
                : patch.lastEditTouching(context, e.errorPath().orElse(null));
            return new RestconfResponse(e.status(), Map.of("Content-Type", MediaTypes.YANG_DATA_JSON),
                patch.errorStatus(edit, e));
        }
        return new RestconfResponse(200, Map.of("Content-Type", MediaTypes.YANG_DATA_JSON,
            "Last-Modified", Preconditions.HttpDates.format(datastore.lastModified())), patch.okStatus());
    }

    private RestconfResponse delete(EffectiveModelContext context, ApiPath target, Preconditions conditions)
            throws RestconfException {
        datastore.write(mod -> {
            check(conditions, mod, target.path());
            if (mod.readNode(target.path()).isEmpty()) {
                throw missing(context, target.path());
            }
            mod.delete(target.path());
        });
        return noContent();
    }

    private RestconfResponse post(EffectiveModelContext context, ApiPath target, RestconfRequest request,
            Preconditions conditions, QueryParameters query) throws RestconfException {
        MediaTypes.Format format = bodyFormat(request);
        if (!target.isRoot() && (target.self() == null || target.isWholeList())) {
            throw RestconfException.badRequest("invalid-value", ApiPaths.errorPath(context, target.path()),
                "POST needs the datastore, a container or a list entry as target; the body names the child to create");
        }
        NormalizedNode node = format == MediaTypes.Format.XML ? XmlBodies.parse(context, target.self(), request.body())
            : JsonBodies.parse(context, target.self(), target.schema(), request.body());
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
        } else if (node instanceof LeafSetNode<?> values) {
            if (values.size() != 1) {
                throw RestconfException.badRequest("invalid-value", null, "POST creates exactly one leaf-list value");
            }
            node = values.body().iterator().next();
            path = path.node(values.name()).node(node.name());
        } else {
            path = path.node(node.name());
        }
        YangInstanceIdentifier created = path;
        NormalizedNode child = node;
        OrderedInsert insert = OrderedInsert.of(context, query, created);
        datastore.write(mod -> {
            check(conditions, mod, target.path());
            if (!target.isRoot() && mod.readNode(target.path()).isEmpty()) {
                throw missing(context, target.path());
            }
            if (mod.readNode(created).isPresent()) {
                throw new RestconfException(409, RestconfException.ErrorType.PROTOCOL, "data-exists",
                    ApiPaths.errorPath(context, created), "the resource already exists");
            }
            if (insert == null) {
                ensureLeafSet(context, mod, created);
                mod.write(created, child);
            } else {
                insert.write(context, mod, created, child);
            }
        });
        return written(201, created, Map.of("Location", "/restconf/data/" + ApiPaths.format(context, created)));
    }

    /** A write's answer, with the new entity tag and time of the resource (RFC 8040 §4.4, §4.5). */
    private RestconfResponse written(int status, YangInstanceIdentifier path, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        datastore.read(path).ifPresent(node -> headers.put("ETag", EntityTags.of(node)));
        headers.put("Last-Modified", Preconditions.HttpDates.format(datastore.lastModified()));
        return new RestconfResponse(status, headers, "");
    }

    /** Parses a PUT/PATCH body, which must name the target itself (and, for a list entry, its keys). */
    static NormalizedNode targetBody(EffectiveModelContext context, ApiPath target, String body)
            throws RestconfException {
        return targetBody(context, target, body, MediaTypes.Format.JSON);
    }

    static NormalizedNode targetBody(EffectiveModelContext context, ApiPath target, String body,
            MediaTypes.Format format) throws RestconfException {
        Object parentSchema = target.parent() == null ? context
            : Schemas.parentOf(context, target.path());
        NormalizedNode node = format == MediaTypes.Format.XML ? XmlBodies.parse(context, target.parent(), body)
            : JsonBodies.parse(context, target.parent(), parentSchema, body);
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
        if (last instanceof NodeWithValue<?> value) {
            if (!(node instanceof LeafSetNode<?> values) || values.size() != 1
                    || !values.body().iterator().next().body().equals(value.getValue())) {
                throw RestconfException.badRequest("invalid-value", ApiPaths.errorPath(context, target.path()),
                    "the body must hold exactly the value of the leaf-list entry in the URI");
            }
            return values.body().iterator().next();
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

    /** A leaf-list value is written into its leaf-list, which yangtools does not create on its own. */
    private static void ensureLeafSet(EffectiveModelContext context, DataTreeModification mod,
            YangInstanceIdentifier path) {
        if (!(path.getLastPathArgument() instanceof NodeWithValue<?>) || mod.readNode(path.getParent()).isPresent()) {
            return;
        }
        YangInstanceIdentifier leafSet = path.getParent();
        Object schema = Schemas.child(Schemas.parentOf(context, leafSet), leafSet.getLastPathArgument().getNodeType());
        NodeIdentifier id = (NodeIdentifier) leafSet.getLastPathArgument();
        mod.write(leafSet, schema instanceof org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode list
            && list.isUserOrdered() ? ImmutableNodes.newUserLeafSetBuilder().withNodeIdentifier(id).build()
            : ImmutableNodes.newSystemLeafSetBuilder().withNodeIdentifier(id).build());
    }

    static RestconfException missing(EffectiveModelContext context, YangInstanceIdentifier path) {
        return new RestconfException(404, RestconfException.ErrorType.PROTOCOL, "data-missing",
            ApiPaths.errorPath(context, path), "the resource does not exist");
    }

    private static MediaTypes.Format bodyFormat(RestconfRequest request) throws RestconfException {
        String type = request.mediaType();
        if (type == null && request.body().isBlank()) {
            throw RestconfException.badRequest("malformed-message", null, "the request needs a body");
        }
        return MediaTypes.dataBody(type);
    }

    private static RestconfResponse noContent() {
        return new RestconfResponse(204, Map.of(), "");
    }

    static MapNode single(MapEntryNode entry) {
        return ImmutableNodes.newSystemMapBuilder()
            .withNodeIdentifier(NodeIdentifier.create(entry.name().getNodeType())).withChild(entry).build();
    }
}
