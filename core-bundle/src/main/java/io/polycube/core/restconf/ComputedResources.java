package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.opendaylight.yangtools.yang.common.Revision;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNodes;
import org.opendaylight.yangtools.yang.data.codec.gson.JSONCodecFactorySupplier;
import org.opendaylight.yangtools.yang.data.codec.gson.JsonParserStream;
import org.opendaylight.yangtools.yang.data.impl.schema.ImmutableNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.impl.schema.NormalizationResultHolder;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.Module;
import org.opendaylight.yangtools.yang.model.api.SchemaContext;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.RpcDefinition;

/**
 * The RESTCONF resources that are not the configuration datastore: {@code /restconf/operations}
 * (RFC 8040 §3.3.2), {@code /restconf/schema/<module>[/<revision>]} (the module text the YANG library's
 * {@code location} points at), the data of {@link ComputedData} modules and their {@link ActionHandler}
 * actions. Computed data goes through the yangtools codec both ways, so it is checked against its
 * module and sub-paths work like for stored data.
 */
public final class ComputedResources {
    public static final String YANG = "application/yang";
    /** Where the YANG library says a module's text is; RFC 8040 §3.7 leaves the URL to the server. */
    public static final String SCHEMA_PATH = "/restconf/schema/";

    public static final ComputedResources NONE = new ComputedResources(name -> Optional.empty(), List.of(), List.of());

    private final Function<String, Optional<String>> sources;
    private final Map<String, ComputedData> data = new LinkedHashMap<>();
    private final Map<String, ActionHandler> actions = new LinkedHashMap<>();

    /** {@code sources}: the YANG text of a module by name (e.g. {@link YangModels#source}). */
    public ComputedResources(Function<String, Optional<String>> sources, List<? extends ComputedData> data,
            List<? extends ActionHandler> actions) {
        this.sources = requireNonNull(sources);
        data.forEach(d -> this.data.put(d.module(), d));
        actions.forEach(a -> this.actions.put(a.module(), a));
    }

    /** Answers a request for one of these resources; empty if the path is not one of them. */
    Optional<RestconfResponse> handle(EffectiveModelContext context, String method, String path,
            Map<String, String> query, String contentType, String body) throws RestconfException {
        if (path.equals("operations") || path.startsWith("operations/")) {
            return Optional.of(operations(context, method, path));
        }
        if (path.startsWith("schema/")) {
            return Optional.of(schema(context, method, path.substring("schema/".length())));
        }
        if (!path.startsWith("data/")) {
            return Optional.empty();
        }
        String apiPath = path.substring("data/".length());
        String module = moduleOf(apiPath);
        ActionHandler handler = actions.getOrDefault(module, actions.get("*")); // "*": cube-defined actions
        if (method.equals("POST") && handler != null) {
            Optional<RestconfResponse> answer = handler.invoke(apiPath, contentType, body);
            if (answer.isPresent()) {
                return answer;
            }
        }
        ComputedData computed = data.get(module);
        if (computed == null) {
            return Optional.empty();
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new RestconfException(405, RestconfException.ErrorType.PROTOCOL, "operation-not-supported", null,
                module + " is state data: only GET (and its actions, by POST) is supported");
        }
        ApiPath target = ApiPaths.parse(context, apiPath);
        if (query.getOrDefault("content", "all").equals("config")) {
            throw RestconfService.missing(context, target.path());
        }
        NormalizedNode node = NormalizedNodes.findNode(parse(context, computed.read(context)), target.path())
            .orElseThrow(() -> RestconfService.missing(context, target.path()));
        if (node instanceof MapEntryNode entry) {
            node = RestconfService.single(entry);
        }
        String json = JsonBodies.write(context, target.parent(), node);
        return Optional.of(new RestconfResponse(200, Map.of("Content-Type", RestconfService.YANG_DATA_JSON),
            method.equals("HEAD") ? "" : json));
    }

    /** The datastore root ({@code {"ietf-restconf:data": {...}}}) with every computed module's data added. */
    String withComputed(EffectiveModelContext context, String rootJson) {
        if (data.isEmpty() || rootJson.isEmpty()) {
            return rootJson;
        }
        JsonObject root = JsonParser.parseString(rootJson).getAsJsonObject();
        JsonObject members = root.getAsJsonObject("ietf-restconf:data");
        for (ComputedData computed : data.values()) {
            if (context.findModules(computed.module()).isEmpty()) {
                continue;
            }
            for (DataContainerChild child : parse(context, computed.read(context)).body()) {
                JsonParser.parseString(JsonBodies.write(context, null, child)).getAsJsonObject().entrySet()
                    .forEach(member -> members.add(member.getKey(), member.getValue()));
            }
        }
        return root.toString();
    }

    private RestconfResponse schema(EffectiveModelContext context, String method, String rest)
            throws RestconfException {
        requireGet(method);
        String[] parts = rest.split("/", -1);
        String name = decode(parts[0]);
        Optional<Revision> revision = parts.length > 1 && !parts[1].isEmpty()
            ? Optional.of(parseRevision(decode(parts[1]))) : Optional.empty();
        Optional<? extends Module> module = context.findModules(name).stream()
            .filter(m -> revision.isEmpty() || m.getRevision().equals(revision)).findFirst();
        if (parts.length > 2 || module.isEmpty() || sources.apply(name).isEmpty()) {
            throw new RestconfException(404, RestconfException.ErrorType.PROTOCOL, "invalid-value", null,
                "no YANG module " + rest + " in this server's schema");
        }
        String text = sources.apply(name).orElseThrow();
        return new RestconfResponse(200, Map.of("Content-Type", YANG), method.equals("HEAD") ? "" : text);
    }

    private static Revision parseRevision(String text) throws RestconfException {
        try {
            return Revision.of(text);
        } catch (RuntimeException e) {
            throw new RestconfException(404, RestconfException.ErrorType.PROTOCOL, "invalid-value", null,
                "'" + text + "' is not a revision date (YYYY-MM-DD)");
        }
    }

    /** RFC 8040 §3.3.2: one member per RPC, {@code "module:rpc": [null]}. */
    private static RestconfResponse operations(EffectiveModelContext context, String method, String path)
            throws RestconfException {
        JsonObject list = new JsonObject();
        for (Module module : context.getModules()) {
            for (RpcDefinition rpc : module.getRpcs()) {
                com.google.gson.JsonArray value = new com.google.gson.JsonArray();
                value.add(JsonNull.INSTANCE);
                list.add(module.getName() + ":" + rpc.getQName().getLocalName(), value);
            }
        }
        if (!path.equals("operations")) {
            String name = decode(path.substring("operations/".length()));
            if (!list.has(name)) {
                throw new RestconfException(404, RestconfException.ErrorType.PROTOCOL, "invalid-value", null,
                    "no operation " + name + "; GET /restconf/operations lists them");
            }
            throw new RestconfException(405, RestconfException.ErrorType.PROTOCOL, "operation-not-supported", null,
                "invoking " + name + " is not supported");
        }
        requireGet(method);
        JsonObject top = new JsonObject();
        top.add("ietf-restconf:operations", list);
        return new RestconfResponse(200, Map.of("Content-Type", RestconfService.YANG_DATA_JSON),
            method.equals("HEAD") ? "" : top.toString());
    }

    private static void requireGet(String method) throws RestconfException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new RestconfException(405, RestconfException.ErrorType.PROTOCOL, "operation-not-supported", null,
                "method " + method + " is not allowed here");
        }
    }

    /** Computed data as a datastore root node; the provider's JSON goes through the codec (a bad one fails here). */
    static ContainerNode parse(EffectiveModelContext context, JsonObject members) {
        var root = ImmutableNodes.newContainerBuilder().withNodeIdentifier(NodeIdentifier.create(SchemaContext.NAME));
        // The parser takes one top-level member per run.
        for (Map.Entry<String, com.google.gson.JsonElement> member : members.entrySet()) {
            JsonObject one = new JsonObject();
            one.add(member.getKey(), member.getValue());
            NormalizationResultHolder holder = new NormalizationResultHolder();
            try (JsonParserStream parser = JsonParserStream.create(ImmutableNormalizedNodeStreamWriter.from(holder),
                    JSONCodecFactorySupplier.RFC7951.getShared(context))) {
                parser.parse(new JsonReader(new StringReader(one.toString())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            NormalizedNode data = holder.getResult().data();
            if (data instanceof ContainerNode container && container.name().getNodeType().equals(SchemaContext.NAME)) {
                container.body().forEach(root::withChild);
            } else {
                root.withChild((DataContainerChild) data);
            }
        }
        return root.build();
    }

    private static String moduleOf(String apiPath) {
        String first = decode(apiPath.split("/", 2)[0]);
        int colon = first.indexOf(':');
        return colon < 0 ? "" : first.substring(0, colon);
    }

    static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
