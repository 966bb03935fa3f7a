package io.polycube.core.model;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.polycube.core.restconf.ActionHandler;
import io.polycube.core.restconf.RestconfException;
import io.polycube.core.restconf.RestconfResponse;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.opendaylight.yangtools.yang.model.api.ActionDefinition;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.Module;

/**
 * Actions a cube's YANG module declares on its top-level list ({@code action flush {...}} inside
 * {@code list <cube>}), invoked as {@code POST /restconf/data/pcn-<cube>:<cube>=<name>/<action>} with an
 * optional {@code {"pcn-<cube>:input": {leaf: value}}} body (input leaves only, strings or numbers) and
 * handed to the instance's {@code CubeControl.action}. Answers 204; a cube's refusal is 400/409/500 as for
 * configuration, an unknown instance 404. Paths that name no such action are left to the datastore.
 */
public final class CubeActions implements ActionHandler {
    /** Runs an action on a live instance; false if there is no instance of that type and name. */
    @FunctionalInterface
    public interface Invoker {
        boolean invoke(String cubeType, String instance, String action, ConfigNode input) throws CubeException;
    }

    private final Supplier<EffectiveModelContext> context;
    private final Invoker invoker;

    public CubeActions(Supplier<EffectiveModelContext> context, Invoker invoker) {
        this.context = requireNonNull(context);
        this.invoker = requireNonNull(invoker);
    }

    /** Serves every module; {@code ComputedResources} asks it for modules without a handler of their own. */
    @Override
    public String module() {
        return ANY_MODULE;
    }

    public static final String ANY_MODULE = "*";

    @Override
    public Optional<RestconfResponse> invoke(String apiPath, String contentType, String body) throws RestconfException {
        String[] segments = apiPath.split("/", -1);
        int colon = segments[0].indexOf(':');
        int eq = segments[0].indexOf('=');
        if (segments.length != 2 || colon < 0 || eq < colon) {
            return Optional.empty();
        }
        String moduleName = segments[0].substring(0, colon);
        String cube = segments[0].substring(colon + 1, eq);
        Optional<ActionDefinition> action = action(context.get(), moduleName, cube, segments[1]);
        if (action.isEmpty()) {
            return Optional.empty();
        }
        String instance;
        try {
            instance = URLDecoder.decode(segments[0].substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ActionInput.bad("invalid-value", "malformed percent-encoding in '" + segments[0] + "'");
        }
        ConfigNode input = input(moduleName, action.get(), contentType, body);
        try {
            if (!invoker.invoke(cube, instance, segments[1], input)) {
                throw new RestconfException(404, RestconfException.ErrorType.PROTOCOL, "invalid-value", null,
                    "no " + cube + " instance named " + instance);
            }
        } catch (CubeException e) {
            int status = switch (e.kind()) {
                case INVALID_VALUE -> 400;
                case CONFLICT -> 409;
                default -> 500;
            };
            throw new RestconfException(status, RestconfException.ErrorType.APPLICATION,
                status == 500 ? "operation-failed" : status == 409 ? "resource-denied" : "invalid-value", null,
                e.getMessage());
        }
        return Optional.of(new RestconfResponse(204, Map.of(), ""));
    }

    private static Optional<ActionDefinition> action(EffectiveModelContext context, String moduleName, String cube,
            String name) {
        for (Module module : context.findModules(moduleName)) {
            for (DataSchemaNode node : module.getChildNodes()) {
                if (node instanceof ListSchemaNode list && list.getQName().getLocalName().equals(cube)) {
                    return list.getActions().stream().filter(a -> a.getQName().getLocalName().equals(name))
                        .map(ActionDefinition.class::cast).findFirst();
                }
            }
        }
        return Optional.empty();
    }

    private static ConfigNode input(String module, ActionDefinition action, String contentType, String body)
            throws RestconfException {
        Set<String> allowed = action.getInput().getChildNodes().stream().filter(LeafSchemaNode.class::isInstance)
            .map(n -> n.getQName().getLocalName()).collect(Collectors.toSet());
        Map<String, String> leaves = new LinkedHashMap<>();
        if (body != null && !body.isBlank()) {
            String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!type.equals("application/yang-data+json") && !type.equals("application/json")) {
                throw new RestconfException(415, RestconfException.ErrorType.PROTOCOL, "invalid-value", null,
                    "unsupported media type '" + (contentType == null ? "" : contentType) + "': use application/yang-data+json");
            }
            JsonElement tree = ActionInput.strictJson(body);
            String member = module + ":input";
            if (!tree.isJsonObject() || tree.getAsJsonObject().size() != 1 || !tree.getAsJsonObject().has(member)
                    || !tree.getAsJsonObject().get(member).isJsonObject()) {
                throw ActionInput.bad("malformed-message", "the body must be {\"" + member + "\": {...}}");
            }
            JsonObject object = tree.getAsJsonObject().getAsJsonObject(member);
            for (Map.Entry<String, JsonElement> leaf : object.entrySet()) {
                if (!allowed.contains(leaf.getKey())) {
                    throw ActionInput.bad("unknown-element", "unknown input leaf '" + leaf.getKey() + "'; this action takes "
                        + allowed.stream().sorted().toList());
                }
                if (!leaf.getValue().isJsonPrimitive()) {
                    throw ActionInput.bad("invalid-value", "input leaf '" + leaf.getKey() + "' must be a value");
                }
                leaves.put(leaf.getKey(), leaf.getValue().getAsString());
            }
        }
        return ConfigNode.of(leaves, Map.of(), Map.of(), Map.<String, List<ConfigNode>>of());
    }
}
