package io.polycube.core.shell;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.model.api.ContainerSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.TypedDataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.type.LeafrefTypeDefinition;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;

/**
 * RFC 7951 request bodies from console words: the node a path ends at (a list entry with its keys, or
 * a container) with {@code leaf=value} assignments, as PATCH takes it at that path and POST at its parent.
 */
final class Bodies {
    private Bodies() {
    }

    /** {@code {"module:node": [{keys..., leaves...}]}} for a list entry, {@code {"module:node": {leaves...}}} for a container. */
    static String of(YangPath target, List<Assignment> assignments) throws ConsoleException {
        if (!target.isNode()) {
            throw new ConsoleException("'" + target.describe() + "' is not a list entry or a container");
        }
        DataSchemaNode node = target.schema();
        JsonObject fields = new JsonObject();
        if (node instanceof ListSchemaNode list) {
            List<String> keys = target.last().keys();
            for (int i = 0; i < keys.size(); i++) {
                QName key = list.getKeyDefinition().get(i);
                SchemaInferenceStack stack = target.stack();
                stack.enterDataTree(key);
                LeafSchemaNode leaf = (LeafSchemaNode) list.getDataChildByName(key);
                fields.add(key.getLocalName(), Values.json(resolve(stack, leaf), keys.get(i)));
            }
        }
        for (Assignment assignment : assignments) {
            assign(target, fields, assignment);
        }
        JsonObject body = new JsonObject();
        String name = target.moduleName(node) + ":" + node.getQName().getLocalName();
        if (node instanceof ListSchemaNode) {
            JsonArray entries = new JsonArray();
            entries.add(fields);
            body.add(name, entries);
        } else {
            body.add(name, fields);
        }
        return body.toString();
    }

    private static void assign(YangPath target, JsonObject fields, Assignment assignment) throws ConsoleException {
        String[] parts = assignment.name().split("/", -1);
        DataNodeContainer parent = (DataNodeContainer) target.schema();
        String parentModule = target.moduleName(target.schema());
        SchemaInferenceStack stack = target.stack();
        JsonObject object = fields;
        for (int i = 0; i < parts.length; i++) {
            DataSchemaNode child = find(parent, parts[i], target, assignment);
            String module = target.moduleName(child);
            String member = module.equals(parentModule) ? child.getQName().getLocalName()
                : module + ":" + child.getQName().getLocalName();
            stack.enterDataTree(child.getQName());
            boolean last = i == parts.length - 1;
            if (!last) {
                if (!(child instanceof ContainerSchemaNode container)) {
                    throw new ConsoleException("'" + parts[i] + "' in '" + assignment.name() + "' is not a container");
                }
                if (!object.has(member)) {
                    object.add(member, new JsonObject());
                }
                object = object.getAsJsonObject(member);
                parent = container;
                parentModule = module;
            } else if (child instanceof LeafSchemaNode leaf) {
                object.add(member, Values.json(resolve(stack, leaf), assignment.value()));
            } else if (child instanceof LeafListSchemaNode leafList) {
                JsonArray values = object.has(member) ? object.getAsJsonArray(member) : new JsonArray();
                for (String value : assignment.value().split(",")) {
                    values.add(Values.json(resolve(stack, leafList), value.trim()));
                }
                object.add(member, values);
            } else {
                throw new ConsoleException("'" + assignment.name() + "' is not a leaf or leaf-list: use its path ("
                    + target.describe() + " " + parts[i] + " ...)");
            }
        }
    }

    private static DataSchemaNode find(DataNodeContainer parent, String name, YangPath target, Assignment assignment)
            throws ConsoleException {
        for (DataSchemaNode child : YangPath.children(parent)) {
            if (child.getQName().getLocalName().equals(name)) {
                return child;
            }
        }
        throw new ConsoleException("no leaf '" + assignment.name() + "' in " + target.describe() + "; leaves: "
            + String.join(", ", YangPath.children(parent).stream().filter(c -> c instanceof TypedDataSchemaNode)
                .map(c -> c.getQName().getLocalName()).toList()));
    }

    /** The type of a leaf, leafrefs followed to their target's type. */
    static TypeDefinition<?> resolve(SchemaInferenceStack stackAtLeaf, TypedDataSchemaNode leaf) {
        TypeDefinition<?> type = leaf.getType();
        try {
            return type instanceof LeafrefTypeDefinition leafref ? stackAtLeaf.resolveLeafref(leafref) : type;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return type;
        }
    }
}
