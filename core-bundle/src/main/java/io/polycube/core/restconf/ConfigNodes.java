package io.polycube.core.restconf;

import io.polycube.core.spi.ConfigNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.UnkeyedListEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.UnkeyedListNode;
import org.opendaylight.yangtools.yang.data.api.schema.UserMapNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.CaseSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ContainerSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.type.LeafrefTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.stmt.SchemaNodeIdentifier.Absolute;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;

/**
 * Converts between yangtools list entries and {@link ConfigNode}: local names, canonical string
 * values (enums by name, identityrefs as {@code module:name}), choices and cases flattened, and
 * YANG defaults of absent leaves filled in so cube code sees effective values.
 */
public final class ConfigNodes {
    private ConfigNodes() {
    }

    /** Converts one list entry (e.g. a cube instance) of the list {@code schema}, defaults included. */
    public static ConfigNode toConfigNode(EffectiveModelContext context, ListSchemaNode schema, MapEntryNode entry) {
        return new Converter(context, Map.of(), new IdentityHashMap<>()).convert(schema, entry);
    }

    /** A node converted before, and the sort key of a list entry (null until it is asked for). */
    record Converted(ConfigNode config, String sortKey) {
    }

    /**
     * The same, reusing the conversions of nodes of an earlier version of the entry: a DataTree shares the
     * nodes a commit did not touch, so a node identical to one in {@code previous} is not converted again.
     * {@code next} receives every node this conversion looked at (the {@code previous} of the next call);
     * descendants of a reused node are not listed in it: they are converted again if they ever come back
     * without it.
     */
    static ConfigNode toConfigNode(EffectiveModelContext context, ListSchemaNode schema, MapEntryNode entry,
            Map<NormalizedNode, Converted> previous, Map<NormalizedNode, Converted> next) {
        return new Converter(context, previous, next).convert(schema, entry);
    }

    /**
     * One conversion: fills in defaults while it walks (as {@link Defaults#fill} would, without building a
     * second tree of yangtools nodes), each default parsed once per conversion however many entries use it.
     */
    private static final class Converter {
        private final EffectiveModelContext context;
        private final Map<LeafSchemaNode, Optional<String>> defaults = new HashMap<>();
        private final Map<NormalizedNode, Converted> previous;
        private final Map<NormalizedNode, Converted> next;

        Converter(EffectiveModelContext context, Map<NormalizedNode, Converted> previous,
                Map<NormalizedNode, Converted> next) {
            this.context = context;
            this.previous = previous;
            this.next = next;
        }

        /** {@code schema}: the node's own schema (null: no defaults, e.g. an unkeyed list entry). */
        ConfigNode convert(DataNodeContainer schema, DataContainerNode node) {
            return converted(schema, node).config();
        }

        private Converted converted(DataNodeContainer schema, DataContainerNode node) {
            Converted done = previous.get(node);
            if (done == null) {
                Map<String, String> leaves = new HashMap<>();
                Map<String, List<String>> leafLists = new HashMap<>();
                Map<String, ConfigNode> containers = new HashMap<>();
                Map<String, List<ConfigNode>> lists = new HashMap<>();
                collect(schema, node, leaves, leafLists, containers, lists);
                done = new Converted(ConfigNode.of(leaves, leafLists, containers, lists), null);
            }
            next.put(node, done);
            return done;
        }

        /** The entry's key values as one string, kept with its conversion. */
        private String sortKey(DataNodeContainer schema, MapEntryNode entry) {
            Converted done = converted(schema, entry);
            if (done.sortKey() == null) {
                done = new Converted(done.config(), keyString(context, entry));
                next.put(entry, done);
            }
            return done.sortKey();
        }

        private void collect(DataNodeContainer schema, DataContainerNode node, Map<String, String> leaves,
                Map<String, List<String>> leafLists, Map<String, ConfigNode> containers,
                Map<String, List<ConfigNode>> lists) {
            for (DataContainerChild child : node.body()) {
                String name = child.name().getNodeType().getLocalName();
                if (child instanceof LeafNode<?> leaf) {
                    leaves.put(name, Schemas.canonical(context, leaf.body()));
                } else if (child instanceof LeafSetNode<?> leafSet) {
                    List<String> values = new ArrayList<>();
                    for (LeafSetEntryNode<?> value : leafSet.body()) {
                        values.add(Schemas.canonical(context, value.body()));
                    }
                    leafLists.put(name, values);
                } else if (child instanceof ChoiceNode choice) {
                    collect(selectedCase(schema, choice), choice, leaves, leafLists, containers, lists);
                } else if (child instanceof ContainerNode container) {
                    containers.put(name, convert(childSchema(schema, child), container));
                } else if (child instanceof MapNode map) {
                    DataNodeContainer entrySchema = childSchema(schema, child);
                    List<ConfigNode> entries = new ArrayList<>(map.size());
                    if (map instanceof UserMapNode) {
                        map.body().forEach(entry -> entries.add(convert(entrySchema, entry)));
                    } else {
                        // ordered-by system: give cube code (and change detection) a stable order, by key
                        // values; each key string made once (in a comparator it is made 2 log n times)
                        List<Map.Entry<String, MapEntryNode>> sorted = new ArrayList<>(map.size());
                        map.body().forEach(entry -> sorted.add(Map.entry(sortKey(entrySchema, entry), entry)));
                        sorted.sort(Map.Entry.comparingByKey());
                        sorted.forEach(entry -> entries.add(convert(entrySchema, entry.getValue())));
                    }
                    lists.put(name, entries);
                } else if (child instanceof UnkeyedListNode unkeyed) {
                    List<ConfigNode> entries = new ArrayList<>();
                    for (UnkeyedListEntryNode entry : unkeyed.body()) {
                        entries.add(convert(null, entry));
                    }
                    lists.put(name, entries);
                }
            }
            if (schema != null) {
                for (DataSchemaNode childSchema : schema.getChildNodes()) {
                    if (childSchema instanceof LeafSchemaNode leaf
                            && !leaves.containsKey(leaf.getQName().getLocalName())) {
                        defaultOf(leaf).ifPresent(value -> leaves.put(leaf.getQName().getLocalName(), value));
                    }
                }
            }
        }

        private Optional<String> defaultOf(LeafSchemaNode leaf) {
            return defaults.computeIfAbsent(leaf, l -> {
                if (l.getType().getDefaultValue().isEmpty() || l.getType() instanceof LeafrefTypeDefinition) {
                    return Optional.empty();
                }
                return Optional.of(Schemas.canonical(context, Defaults.defaultValue(context, l)));
            });
        }

        private static DataNodeContainer childSchema(DataNodeContainer schema, DataContainerChild child) {
            return schema == null ? null
                : Schemas.child(schema, child.name().getNodeType()) instanceof DataNodeContainer container ? container
                : null;
        }

        /** The case of {@code choice} its data is in (found by the first child, as {@link Defaults} does). */
        private static DataNodeContainer selectedCase(DataNodeContainer schema, ChoiceNode choice) {
            if (schema == null || !(Schemas.child(schema, choice.name().getNodeType())
                    instanceof ChoiceSchemaNode choiceSchema)) {
                return null;
            }
            QName first = choice.body().stream().findFirst().map(c -> c.name().getNodeType()).orElse(null);
            return choiceSchema.getCases().stream()
                .filter(caze -> first != null && caze.findDataChildByName(first).isPresent())
                .findFirst().orElse(null);
        }
    }

    private static String keyString(EffectiveModelContext context, MapEntryNode entry) {
        StringBuilder sb = new StringBuilder();
        entry.name().values().forEach(value -> sb.append(Schemas.canonical(context, value)).append('\0'));
        return sb.toString();
    }

    /**
     * Converts a ConfigNode (e.g. the state of a cube instance) back into an entry of the
     * top-level list {@code schema} with the identifier {@code id}. Keys come from {@code id};
     * children of choices are put back into their case; names not in the schema are ignored.
     *
     * @throws RestconfException (500 operation-failed) if the node does not fit the schema
     */
    public static MapEntryNode toMapEntry(EffectiveModelContext context, ListSchemaNode schema,
            NodeIdentifierWithPredicates id, ConfigNode node) throws RestconfException {
        SchemaInferenceStack stack = SchemaInferenceStack.of(context, Absolute.of(schema.getQName()));
        try {
            return entry(context, stack, schema, id, node);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new RestconfException(500, RestconfException.ErrorType.APPLICATION, "operation-failed", null,
                "state of " + schema.getQName().getLocalName() + " does not fit its schema: "
                    + Errors.clean(e.getMessage()));
        }
    }

    private static MapEntryNode entry(EffectiveModelContext context, SchemaInferenceStack stack,
            ListSchemaNode schema, NodeIdentifierWithPredicates id, ConfigNode node) {
        var builder = ImmutableNodes.newMapEntryBuilder().withNodeIdentifier(id);
        id.entrySet().forEach(key -> builder.withChild(ImmutableNodes.leafNode(key.getKey(), key.getValue())));
        children(context, stack, schema, node, id.keySet(), builder::withChild);
        return builder.build();
    }

    private static void children(EffectiveModelContext context, SchemaInferenceStack stack, DataNodeContainer schema,
            ConfigNode node, java.util.Set<QName> skip, java.util.function.Consumer<DataContainerChild> sink) {
        for (DataSchemaNode child : schema.getChildNodes()) {
            String name = child.getQName().getLocalName();
            if (skip.contains(child.getQName())) {
                continue;
            }
            if (child instanceof ChoiceSchemaNode choice) {
                stack.enterSchemaTree(choice.getQName());
                for (CaseSchemaNode caze : choice.getCases()) {
                    stack.enterSchemaTree(caze.getQName());
                    List<DataContainerChild> inCase = new ArrayList<>();
                    children(context, stack, caze, node, skip, inCase::add);
                    stack.exit();
                    if (!inCase.isEmpty()) {
                        sink.accept(ImmutableNodes.newChoiceBuilder().withNodeIdentifier(
                            new NodeIdentifier(
                                choice.getQName())).withValue(inCase).build());
                        break;
                    }
                }
                stack.exit();
            } else if (child instanceof LeafSchemaNode leaf && node.leaf(name).isPresent()) {
                stack.enterSchemaTree(leaf.getQName());
                sink.accept(ImmutableNodes.leafNode(leaf.getQName(),
                    Schemas.parse(context, leaf, stack, node.leaf(name).orElseThrow())));
                stack.exit();
            } else if (child instanceof LeafListSchemaNode leafList && !node.leafList(name).isEmpty()) {
                stack.enterSchemaTree(leafList.getQName());
                var builder = leafList.isUserOrdered() ? ImmutableNodes.newUserLeafSetBuilder()
                    : ImmutableNodes.newSystemLeafSetBuilder();
                builder.withNodeIdentifier(new NodeIdentifier(leafList.getQName()));
                for (String text : node.leafList(name)) {
                    builder.withChildValue(Schemas.parse(context, leafList, stack, text));
                }
                sink.accept(builder.build());
                stack.exit();
            } else if (child instanceof ContainerSchemaNode container && node.container(name).isPresent()) {
                stack.enterSchemaTree(container.getQName());
                var builder = ImmutableNodes.newContainerBuilder().withNodeIdentifier(
                    new NodeIdentifier(
                        container.getQName()));
                children(context, stack, container, node.container(name).orElseThrow(), java.util.Set.of(),
                    builder::withChild);
                sink.accept(builder.build());
                stack.exit();
            } else if (child instanceof ListSchemaNode list && !node.list(name).isEmpty()) {
                stack.enterSchemaTree(list.getQName());
                var builder = list.isUserOrdered() ? ImmutableNodes.newUserMapBuilder()
                    : ImmutableNodes.newSystemMapBuilder();
                builder.withNodeIdentifier(new NodeIdentifier(list.getQName()));
                for (ConfigNode item : node.list(name)) {
                    Map<QName, Object> keys = new java.util.LinkedHashMap<>();
                    for (QName key : list.getKeyDefinition()) {
                        String text = item.leaf(key.getLocalName()).orElseThrow(() -> new IllegalArgumentException(
                            "entry of " + name + " without key " + key.getLocalName()));
                        stack.enterSchemaTree(key);
                        keys.put(key, Schemas.parse(context, (LeafSchemaNode) list.getDataChildByName(key), stack,
                            text));
                        stack.exit();
                    }
                    builder.withChild(entry(context, stack, list, NodeIdentifierWithPredicates.of(list.getQName(),
                        keys), item));
                }
                sink.accept(builder.build());
                stack.exit();
            }
        }
    }
}
