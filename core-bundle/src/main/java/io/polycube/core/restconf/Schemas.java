package io.polycube.core.restconf;

import java.util.Base64;
import java.util.Set;
import java.util.stream.Collectors;
import org.opendaylight.yangtools.yang.common.Empty;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.codec.gson.JSONCodec;
import org.opendaylight.yangtools.yang.data.codec.gson.JSONCodecFactorySupplier;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.Module;
import org.opendaylight.yangtools.yang.model.api.TypedDataSchemaNode;
import org.opendaylight.yangtools.yang.model.util.LeafrefResolver;

/** Small schema and value helpers shared by the RESTCONF classes. */
final class Schemas {
    private Schemas() {
    }

    /** The schema child of a container-like node or of a choice (looking into its cases), or null. */
    static DataSchemaNode child(Object parent, QName name) {
        if (parent instanceof ChoiceSchemaNode choice) {
            return choice.findDataSchemaChild(name).orElse(null);
        }
        if (parent instanceof DataNodeContainer container) {
            return container.findDataChildByName(name).orElse(null);
        }
        return null;
    }

    /** The canonical string form of a NormalizedNode leaf value (RFC 7950 canonical, identityref as module:name). */
    static String canonical(EffectiveModelContext context, Object value) {
        if (value instanceof QName qname) {
            return context.findModule(qname.getModule()).map(Module::getName).orElse("") + ":" + qname.getLocalName();
        }
        if (value instanceof Set<?> bits) {
            return bits.stream().map(Object::toString).sorted().collect(Collectors.joining(" "));
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Empty) {
            return "";
        }
        return value.toString();
    }

    /** Parses the canonical string form of a value of {@code node}'s type; the resolver resolves leafrefs. */
    static Object parse(EffectiveModelContext context, TypedDataSchemaNode node, LeafrefResolver resolver,
            String text) {
        JSONCodec<?> codec = JSONCodecFactorySupplier.RFC7951.getShared(context).codecFor(node, resolver);
        return codec.parseValue(text);
    }

    /** The module name of a QName's namespace. */
    static String moduleName(EffectiveModelContext context, QName qname) {
        return context.findModule(qname.getModule()).map(Module::getName).orElse("");
    }

    /** The schema of the parent data node of the node {@code path} points to. */
    static Object parentOf(EffectiveModelContext context,
            org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier path) {
        var args = path.getPathArguments();
        int end = args.size() - 1;
        if (end > 0 && !(args.get(end) instanceof org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier
                .NodeIdentifier)) {
            end--;
        }
        Object schema = context;
        for (int i = 0; i < end; i++) {
            Object child = child(schema, args.get(i).getNodeType());
            schema = child == null ? schema : child;
        }
        return schema;
    }
}
