package io.polycube.core.restconf;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeWithValue;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.util.DataSchemaContext;
import org.opendaylight.yangtools.yang.data.util.DataSchemaContextTree;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.Module;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;

/**
 * RFC 8040 §3.5.3 api-paths: {@code module:node=key1,key2/child}, keys percent-encoded. Parses them
 * on {@link DataSchemaContextTree} and prints instance identifiers back (for Location headers and
 * RFC 7951 error-paths).
 */
final class ApiPaths {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.\\-]*");

    private ApiPaths() {
    }

    /** Parses the api-path after {@code /data} (with or without a leading slash; empty is the root). */
    static ApiPath parse(EffectiveModelContext context, String apiPath) throws RestconfException {
        String text = apiPath.startsWith("/") ? apiPath.substring(1) : apiPath;
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        SchemaInferenceStack stack = SchemaInferenceStack.of(context);
        if (text.isEmpty()) {
            return new ApiPath(YangInstanceIdentifier.of(), context, null, null);
        }
        List<PathArgument> args = new ArrayList<>();
        DataSchemaContext current = DataSchemaContextTree.from(context).getRoot();
        QNameModule namespace = null;
        SchemaInferenceStack parent = null;
        String[] segments = text.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            int eq = segment.indexOf('=');
            String name = decode(eq < 0 ? segment : segment.substring(0, eq));
            int colon = name.indexOf(':');
            if (colon >= 0) {
                String moduleName = name.substring(0, colon);
                Collection<? extends Module> modules = context.findModules(moduleName);
                if (modules.isEmpty()) {
                    throw RestconfException.badRequest("unknown-element", null, "unknown module '" + moduleName + "'");
                }
                namespace = modules.iterator().next().getQNameModule();
                name = name.substring(colon + 1);
            } else if (namespace == null) {
                throw RestconfException.badRequest("invalid-value", null,
                    "the first node of an api-path must be qualified with its module name: '" + name + "'");
            }
            if (!IDENTIFIER.matcher(name).matches()) {
                throw RestconfException.badRequest("invalid-value", null, "bad node name '" + name + "'");
            }
            QName qname = QName.create(namespace, name);
            parent = stack.copy();
            DataSchemaContext child = current instanceof DataSchemaContext.Composite composite
                ? enter(composite, stack, qname) : null;
            if (child == null) {
                throw RestconfException.badRequest("unknown-element", null, "no data node '" + name + "' under '"
                    + (i == 0 ? "/" : segments[i - 1]) + "'");
            }
            while (child instanceof DataSchemaContext.PathMixin mixin
                    && !(child.dataSchemaNode() instanceof ListSchemaNode)
                    && !(child.dataSchemaNode() instanceof LeafListSchemaNode)) {
                args.add(mixin.mixinPathStep());
                child = mixin.enterChild(stack, qname);
            }
            DataSchemaNode schema = child.dataSchemaNode();
            boolean last = i == segments.length - 1;
            if (schema instanceof ListSchemaNode list) {
                args.add(NodeIdentifier.create(qname));
                if (eq < 0) {
                    if (!last) {
                        throw RestconfException.badRequest("missing-element", null,
                            "list '" + name + "' needs its keys: " + name + "=<key>");
                    }
                    return new ApiPath(YangInstanceIdentifier.of(args), list, parent.toInference(), null);
                }
                args.add(keys(context, stack, list, segment.substring(eq + 1)));
                child = ((DataSchemaContext.Composite) child).childByQName(qname);
            } else if (schema instanceof LeafListSchemaNode leafList) {
                args.add(NodeIdentifier.create(qname));
                if (eq < 0) {
                    if (!last) {
                        throw RestconfException.badRequest("invalid-value", null,
                            "leaf-list '" + name + "' has no children");
                    }
                    return new ApiPath(YangInstanceIdentifier.of(args), leafList, parent.toInference(), null);
                }
                String entryValue = decode(segment.substring(eq + 1));
                args.add(new NodeWithValue<>(qname, value(context, stack, leafList, entryValue)));
            } else {
                if (eq >= 0) {
                    throw RestconfException.badRequest("invalid-value", null, "'" + name + "' is not a list");
                }
                args.add(NodeIdentifier.create(qname));
            }
            if (last) {
                boolean leaf = schema instanceof LeafSchemaNode || schema instanceof LeafListSchemaNode;
                return new ApiPath(YangInstanceIdentifier.of(args), schema, parent.toInference(),
                    leaf ? null : stack.toInference());
            }
            if (!(schema instanceof org.opendaylight.yangtools.yang.model.api.DataNodeContainer)) {
                throw RestconfException.badRequest("invalid-value", null, "'" + name + "' has no children");
            }
            current = child;
        }
        throw new IllegalStateException("unreachable");
    }

    private static DataSchemaContext enter(DataSchemaContext.Composite parent, SchemaInferenceStack stack,
            QName qname) {
        try {
            return parent.enterChild(stack, qname);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static NodeIdentifierWithPredicates keys(EffectiveModelContext context, SchemaInferenceStack stack,
            ListSchemaNode list, String encoded) throws RestconfException {
        List<QName> keyNames = list.getKeyDefinition();
        String[] values = encoded.split(",", -1);
        if (keyNames.isEmpty() || values.length != keyNames.size()) {
            throw RestconfException.badRequest("invalid-value", null, "list '" + list.getQName().getLocalName()
                + "' takes " + keyNames.size() + " key value(s), got " + values.length);
        }
        Map<QName, Object> keys = new LinkedHashMap<>();
        for (int k = 0; k < values.length; k++) {
            QName key = keyNames.get(k);
            LeafSchemaNode leaf = (LeafSchemaNode) list.getDataChildByName(key);
            stack.enterSchemaTree(key);
            try {
                keys.put(key, value(context, stack, leaf, decode(values[k])));
            } finally {
                stack.exit();
            }
        }
        return NodeIdentifierWithPredicates.of(list.getQName(), keys);
    }

    private static Object value(EffectiveModelContext context, SchemaInferenceStack stack,
            org.opendaylight.yangtools.yang.model.api.TypedDataSchemaNode node, String text) throws RestconfException {
        try {
            return Schemas.parse(context, node, stack, text);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw RestconfException.badRequest("invalid-value", null, "bad value '" + text + "' for "
                + node.getQName().getLocalName() + ": " + Errors.clean(e.getMessage()));
        }
    }

    static String decode(String text) throws RestconfException {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RestconfException.badRequest("invalid-value", null, "bad percent-encoding in '" + text + "'");
        }
    }

    /** Prints an instance identifier as an RFC 8040 api-path (no leading slash). */
    static String format(EffectiveModelContext context, YangInstanceIdentifier path) {
        StringBuilder sb = new StringBuilder();
        walk(context, path, (qname, prefix, keys) -> {
            sb.append(sb.length() == 0 ? "" : "/").append(prefix ? Schemas.moduleName(context, qname) + ":" : "")
                .append(qname.getLocalName());
            if (!keys.isEmpty()) {
                sb.append('=').append(String.join(",", keys.values().stream().map(ApiPaths::encode).toList()));
            }
        });
        return sb.toString();
    }

    /** Prints an instance identifier as an RFC 7951 instance-identifier, for error-path. */
    static String errorPath(EffectiveModelContext context, YangInstanceIdentifier path) {
        StringBuilder sb = new StringBuilder();
        walk(context, path, (qname, prefix, keys) -> {
            sb.append('/').append(prefix ? Schemas.moduleName(context, qname) + ":" : "").append(qname.getLocalName());
            keys.forEach((key, value) -> sb.append('[').append(key).append("='").append(value.replace("'", "\\'"))
                .append("']"));
        });
        return sb.length() == 0 ? "/" : sb.toString();
    }

    private interface Step {
        void accept(QName qname, boolean prefix, Map<String, String> keys);
    }

    private static void walk(EffectiveModelContext context, YangInstanceIdentifier path, Step step) {
        Object schema = context;
        QNameModule namespace = null;
        List<PathArgument> args = path.getPathArguments();
        for (int i = 0; i < args.size(); i++) {
            PathArgument arg = args.get(i);
            QName qname = arg.getNodeType();
            if (arg instanceof NodeIdentifier && i + 1 < args.size()
                    && args.get(i + 1).getNodeType().equals(qname)) {
                continue;
            }
            Object child = Schemas.child(schema, qname);
            schema = child == null ? schema : child;
            if (child instanceof ChoiceSchemaNode) {
                continue;
            }
            Map<String, String> keys = new LinkedHashMap<>();
            if (arg instanceof NodeIdentifierWithPredicates predicates) {
                predicates.entrySet().forEach(e -> keys.put(e.getKey().getLocalName(),
                    Schemas.canonical(context, e.getValue())));
            } else if (arg instanceof NodeWithValue<?> value) {
                keys.put(".", Schemas.canonical(context, value.getValue()));
            }
            step.accept(qname, !qname.getModule().equals(namespace), keys);
            namespace = qname.getModule();
        }
    }

    /** Percent-encodes a key value per RFC 8040 §3.5.3 (RFC 3986 unreserved characters stay). */
    static String encode(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
