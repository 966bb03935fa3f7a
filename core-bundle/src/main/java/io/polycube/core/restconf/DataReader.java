package io.polycube.core.restconf;

import io.polycube.core.spi.ConfigNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetEntryNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.tree.api.DataTree;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeConfiguration;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeModification;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeSnapshot;
import org.opendaylight.yangtools.yang.data.tree.impl.di.InMemoryDataTreeFactory;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;

/**
 * RESTCONF GET: reads config from the {@link Datastore} and merges the state of the cube instances
 * covered by the target (content=all), or returns config only / state only.
 */
final class DataReader {
    private static final InMemoryDataTreeFactory FACTORY = new InMemoryDataTreeFactory();

    private final Datastore datastore;
    private final StateSource state;
    /** An empty operational tree for the current model (never committed): every GET's scratch view starts from it. */
    private volatile Scratch scratch;

    private record Scratch(EffectiveModelContext context, DataTree tree) {
    }

    DataReader(Datastore datastore, StateSource state) {
        this.datastore = datastore;
        this.state = state;
    }

    /** A GET answer: the JSON text and the entity tag of the target's configuration (null if it has none). */
    record Read(String body, String etag) {
    }

    Read get(EffectiveModelContext context, ApiPath target, QueryParameters query) throws RestconfException {
        return get(context, target, query, MediaTypes.Format.JSON);
    }

    /** The answer in JSON or XML; report-all-tagged tags defaults in JSON only. */
    Read get(EffectiveModelContext context, ApiPath target, QueryParameters query, MediaTypes.Format format)
            throws RestconfException {
        boolean xml = format == MediaTypes.Format.XML;
        if (xml && target.isWholeList()) {
            throw new RestconfException(406, RestconfException.ErrorType.PROTOCOL, "invalid-value",
                ApiPaths.errorPath(context, target.path()), "a whole list or leaf-list has no XML document (one root "
                    + "element per entry): name one entry, or ask for JSON");
        }
        String content = query.content();
        String withDefaults = query.withDefaults();
        boolean fill = withDefaults.startsWith("report-all") && !content.equals("nonconfig");
        Fields.Selection fields = query.fields() == null ? null : Fields.parse(context, target.schema(),
            target.isRoot() ? null : target.path().getLastPathArgument().getNodeType().getModule(), query.fields());
        YangInstanceIdentifier path = target.path();
        // One snapshot for the whole answer: config and the instance list from the same commit.
        DataTreeSnapshot config = datastore.snapshot();
        Optional<NormalizedNode> configNode = config.readNode(path);
        String etag = configNode.map(EntityTags::of).orElse(null);
        NormalizedNode node = content.equals("config") ? configNode.orElse(null)
            : withState(context, config, path, content.equals("all")).orElse(null);
        if (node == null && target.isRoot()) {
            node = org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes.newContainerBuilder()
                .withNodeIdentifier(YangInstanceIdentifier.NodeIdentifier.create(
                    org.opendaylight.yangtools.yang.common.QName.create("urn:ietf:params:xml:ns:yang:ietf-restconf",
                        "data")))
                .build();
        }
        if (node == null && fill) {
            node = defaultLeaf(context, config, target).orElse(null);
        }
        if (node == null) {
            throw RestconfService.missing(context, path);
        }
        if (fill) {
            node = Defaults.fill(context, target.schema(), node);
        } else if (withDefaults.equals("trim")) {
            node = Shaping.trim(context, target.schema(), node);
        }
        node = Shaping.depth(Shaping.fields(node, fields), target.isRoot() ? 0 : 1, query.depth());
        String json;
        if (target.isRoot()) {
            json = xml ? XmlBodies.writeRoot(context, (ContainerNode) node)
                : JsonBodies.writeRoot(context, (ContainerNode) node);
        } else {
            if (node instanceof MapEntryNode entry) {
                node = RestconfService.single(entry);
            } else if (node instanceof LeafSetEntryNode<?> value) {
                node = ImmutableNodes.newSystemLeafSetBuilder()
                    .withNodeIdentifier(YangInstanceIdentifier.NodeIdentifier.create(value.name().getNodeType()))
                    .withChild((LeafSetEntryNode) value).build();
            }
            json = xml ? XmlBodies.write(context, target.parent(), node)
                : JsonBodies.write(context, target.parent(), node);
        }
        if (withDefaults.equals("report-all-tagged") && !xml) {
            json = DefaultTags.tag(context, target.isRoot() ? context : Schemas.parentOf(context, path),
                target.isRoot(), json);
        }
        return new Read(json, etag);
    }

    /** An absent leaf with a default, whose parent exists: its default value. */
    private static Optional<NormalizedNode> defaultLeaf(EffectiveModelContext context, DataTreeSnapshot config,
            ApiPath target) {
        YangInstanceIdentifier parent = target.path().getParent();
        if (!(target.schema() instanceof org.opendaylight.yangtools.yang.model.api.LeafSchemaNode leaf)
                || leaf.getType().getDefaultValue().isEmpty() || parent == null) {
            return Optional.empty();
        }
        Object parentSchema = Schemas.parentOf(context, target.path());
        var name = (YangInstanceIdentifier.NodeIdentifier) target.path().getLastPathArgument();
        return config.readNode(parent).map(node -> Defaults.fill(context, parentSchema, node))
            .flatMap(node -> node instanceof DataContainerNode container
                ? Optional.ofNullable((NormalizedNode) container.childByArg(name)) : Optional.empty());
    }

    /** The target read from a scratch operational tree holding config (if wanted) and state of the instances. */
    private Optional<NormalizedNode> withState(EffectiveModelContext context, DataTreeSnapshot config,
            YangInstanceIdentifier path, boolean withConfig) throws RestconfException {
        DataTreeModification view = scratchTree(context).takeSnapshot().newModification();
        for (Map.Entry<YangInstanceIdentifier, NormalizedNode> instance : instances(config, path).entrySet()) {
            if (withConfig) {
                view.write(instance.getKey(), instance.getValue());
            }
            if (instance.getKey().getLastPathArgument() instanceof NodeIdentifierWithPredicates id
                    && context.findDataChildByName(id.getNodeType()).orElse(null) instanceof ListSchemaNode list) {
                String cubeType = list.getQName().getLocalName();
                Optional<ConfigNode> instanceState = state.state(cubeType, InstanceChanges.instanceName(context, id));
                if (instanceState.isPresent()) {
                    MapEntryNode entry = ConfigNodes.toMapEntry(context, list, id, instanceState.orElseThrow());
                    view.merge(instance.getKey(), entry);
                }
            }
        }
        return view.readNode(path);
    }

    private DataTree scratchTree(EffectiveModelContext context) {
        Scratch current = scratch;
        if (current == null || current.context() != context) {
            current = new Scratch(context, FACTORY.create(DataTreeConfiguration.DEFAULT_OPERATIONAL, context));
            scratch = current;
        }
        return current.tree();
    }

    /**
     * The top-level nodes (list entries of cube instances, other top-level nodes whole) the path
     * covers that exist in {@code config}, with their config.
     */
    private static Map<YangInstanceIdentifier, NormalizedNode> instances(DataTreeSnapshot config,
            YangInstanceIdentifier path) {
        Map<YangInstanceIdentifier, NormalizedNode> result = new LinkedHashMap<>();
        var args = path.getPathArguments();
        if (args.size() >= 2 && args.get(1) instanceof NodeIdentifierWithPredicates) {
            YangInstanceIdentifier instance = YangInstanceIdentifier.of(args.get(0), args.get(1));
            config.readNode(instance).ifPresent(node -> result.put(instance, node));
            return result;
        }
        List<DataContainerChild> tops = new ArrayList<>();
        if (args.isEmpty()) {
            config.readNode(path).ifPresent(root -> tops.addAll(((ContainerNode) root).body()));
        } else {
            config.readNode(YangInstanceIdentifier.of(args.get(0))).ifPresent(top -> tops.add((DataContainerChild) top));
        }
        for (DataContainerChild top : tops) {
            YangInstanceIdentifier topPath = YangInstanceIdentifier.of(top.name());
            if (top instanceof MapNode map) {
                map.body().forEach(entry -> result.put(topPath.node(entry.name()), entry));
            } else {
                result.put(topPath, top);
            }
        }
        return result;
    }
}
