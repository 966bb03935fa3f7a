package io.polycube.core.model;

import static java.util.Objects.requireNonNull;

import io.polycube.core.restconf.ActionHandler;
import io.polycube.core.restconf.Datastore;
import io.polycube.core.restconf.RestconfException;
import io.polycube.core.restconf.RestconfResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.LeafNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeModification;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;

/**
 * The actions of {@code pcn-polycubed} (like polycubectl's): {@code cube=C/port=P/connect} and
 * {@code /disconnect}, {@code cube=T/attach} and {@code /detach}. Each is one {@link Datastore#write}
 * of the cube modules' configuration (the {@code peer} leaves of ports, the attachment leaves of a
 * transparent cube): validated, applied to the data plane and committed together, or not at all.
 * A cube-to-cube connect sets both ports; a disconnect clears the far port too when it names this one.
 */
public final class FrameworkActions implements ActionHandler {
    private static final Pattern NETDEV = Pattern.compile("[a-zA-Z0-9_.\\-]{1,15}");
    private static final Pattern CUBE_PORT = Pattern.compile("([a-zA-Z][a-zA-Z0-9_\\-]{0,31}):([a-zA-Z0-9][a-zA-Z0-9_.\\-]{0,31})");
    private static final Pattern POSITION = Pattern.compile("first|last|(before|after) [a-zA-Z][a-zA-Z0-9_\\-]*");
    private static final Set<String> ACTIONS = Set.of("connect", "disconnect", "attach", "detach");

    private final Datastore datastore;

    public FrameworkActions(Datastore datastore) {
        this.datastore = requireNonNull(datastore);
    }

    @Override
    public String module() {
        return FrameworkModel.MODULE;
    }

    @Override
    public Optional<RestconfResponse> invoke(String apiPath, String contentType, String body)
            throws RestconfException {
        String[] segments = apiPath.split("/", -1);
        String action = segments[segments.length - 1];
        if (!ACTIONS.contains(action)) {
            return Optional.empty();
        }
        boolean onPort = action.equals("connect") || action.equals("disconnect");
        if (segments.length != (onPort ? 4 : 3) || !segments[0].equals(FrameworkModel.MODULE + ":polycubed")
                || !segments[1].startsWith("cube=") || onPort && !segments[2].startsWith("port=")) {
            throw ActionInput.bad("unknown-element", "action '" + action + "' is invoked on "
                + (onPort ? "pcn-polycubed:polycubed/cube=<cube>/port=<port>/" : "pcn-polycubed:polycubed/cube=<cube>/")
                + action);
        }
        String cube = decode(segments[1].substring("cube=".length()));
        switch (action) {
            case "connect" -> {
                ActionInput input = ActionInput.parse(contentType, body, Set.of("peer"), Set.of("peer"));
                connect(cube, decode(segments[2].substring("port=".length())), input.get("peer"));
            }
            case "disconnect" -> {
                ActionInput.parse(contentType, body, Set.of(), Set.of());
                disconnect(cube, decode(segments[2].substring("port=".length())));
            }
            case "attach" -> attach(cube, ActionInput.parse(contentType, body, Set.of("parent", "direction", "position"),
                Set.of("parent")));
            default -> {
                ActionInput.parse(contentType, body, Set.of(), Set.of());
                detach(cube);
            }
        }
        return Optional.of(new RestconfResponse(204, Map.of(), ""));
    }

    private void connect(String cube, String port, String peer) throws RestconfException {
        java.util.regex.Matcher cubePeer = CUBE_PORT.matcher(peer);
        boolean toCube = cubePeer.matches();
        if (!toCube && !NETDEV.matcher(peer).matches()) {
            throw ActionInput.bad("invalid-value", "peer '" + peer + "' is neither a netdev name nor 'cube:port'");
        }
        EffectiveModelContext context = datastore.context();
        datastore.write(mod -> {
            Instance self = instance(context, mod, cube).orElseThrow(() -> missing("cube " + cube));
            YangInstanceIdentifier portPath = self.port(port);
            requirePorts(context, self);
            if (mod.readNode(portPath).isEmpty()) {
                throw missing("port " + port + " of cube " + cube);
            }
            String here = cube + ":" + port;
            unlinkFarEnd(context, mod, self.peer(port), here);
            if (toCube) {
                String otherCube = cubePeer.group(1);
                String otherPort = cubePeer.group(2);
                Instance other = instance(context, mod, otherCube)
                    .orElseThrow(() -> ActionInput.bad("invalid-value", "peer: no cube instance named " + otherCube));
                if (mod.readNode(other.port(otherPort)).isEmpty()) {
                    throw ActionInput.bad("invalid-value", "peer: cube " + otherCube + " has no port " + otherPort);
                }
                if (peer.equals(here)) {
                    throw ActionInput.bad("invalid-value", "a port cannot be its own peer");
                }
                unlinkFarEnd(context, mod, other.peer(otherPort), peer);
                mod.write(other.peer(otherPort), ImmutableNodes.leafNode(other.leaf("peer"), here));
            }
            mod.write(self.peer(port), ImmutableNodes.leafNode(self.leaf("peer"), peer));
        });
    }

    private void disconnect(String cube, String port) throws RestconfException {
        EffectiveModelContext context = datastore.context();
        datastore.write(mod -> {
            Instance self = instance(context, mod, cube).orElseThrow(() -> missing("cube " + cube));
            requirePorts(context, self);
            if (mod.readNode(self.port(port)).isEmpty()) {
                throw missing("port " + port + " of cube " + cube);
            }
            unlinkFarEnd(context, mod, self.peer(port), cube + ":" + port);
            if (mod.readNode(self.peer(port)).isPresent()) {
                mod.delete(self.peer(port));
            }
        });
    }

    private void attach(String cube, ActionInput input) throws RestconfException {
        String parent = input.get("parent");
        String direction = input.getOrDefault("direction", "INGRESS");
        String position = input.getOrDefault("position", "last");
        java.util.regex.Matcher parentPort = CUBE_PORT.matcher(parent);
        if (!parentPort.matches() && !NETDEV.matcher(parent).matches()) {
            throw ActionInput.bad("invalid-value", "parent '" + parent + "' is neither a netdev name nor 'cube:port'");
        }
        if (!direction.equals("INGRESS") && !direction.equals("EGRESS")) {
            throw ActionInput.bad("invalid-value", "direction must be INGRESS or EGRESS, not '" + direction + "'");
        }
        if (!POSITION.matcher(position).matches()) {
            throw ActionInput.bad("invalid-value", "position must be first, last, 'before X' or 'after X', not '"
                + position + "'");
        }
        EffectiveModelContext context = datastore.context();
        datastore.write(mod -> {
            Instance self = requireTransparent(context, instance(context, mod, cube)
                .orElseThrow(() -> missing("cube " + cube)));
            if (parentPort.matches()) {
                Instance owner = instance(context, mod, parentPort.group(1)).orElseThrow(
                    () -> ActionInput.bad("invalid-value", "parent: no cube instance named " + parentPort.group(1)));
                if (transparent(context, owner) || mod.readNode(owner.port(parentPort.group(2))).isEmpty()) {
                    throw ActionInput.bad("invalid-value", "parent: cube " + owner.name() + " has no port "
                        + parentPort.group(2));
                }
            }
            mod.write(self.child("parent"), ImmutableNodes.leafNode(self.leaf("parent"), parent));
            mod.write(self.child("direction"), ImmutableNodes.leafNode(self.leaf("direction"), direction));
            mod.write(self.child("position"), ImmutableNodes.leafNode(self.leaf("position"), position));
        });
    }

    private void detach(String cube) throws RestconfException {
        EffectiveModelContext context = datastore.context();
        datastore.write(mod -> {
            Instance self = requireTransparent(context, instance(context, mod, cube)
                .orElseThrow(() -> missing("cube " + cube)));
            for (String leaf : new String[] {"parent", "direction", "position"}) {
                if (mod.readNode(self.child(leaf)).isPresent()) {
                    mod.delete(self.child(leaf));
                }
            }
        });
    }

    /** If {@code peerLeaf} holds {@code cube:port} and that port names {@code here} back, clear it. */
    private static void unlinkFarEnd(EffectiveModelContext context, DataTreeModification mod,
            YangInstanceIdentifier peerLeaf, String here) throws RestconfException {
        Optional<String> old = value(mod, peerLeaf);
        java.util.regex.Matcher far = CUBE_PORT.matcher(old.orElse(""));
        if (!far.matches()) {
            return;
        }
        Optional<Instance> other = instance(context, mod, far.group(1));
        if (other.isPresent() && value(mod, other.get().peer(far.group(2))).equals(Optional.of(here))) {
            mod.delete(other.get().peer(far.group(2)));
        }
    }

    /** A cube instance: an entry of a cube module's top-level list, found by name across cube types. */
    private record Instance(QName list, String name) {
        YangInstanceIdentifier path() {
            return YangInstanceIdentifier.of(NodeIdentifier.create(list),
                NodeIdentifierWithPredicates.of(list, leaf("name"), name));
        }

        QName leaf(String local) {
            return QName.create(list, local);
        }

        YangInstanceIdentifier child(String local) {
            return path().node(NodeIdentifier.create(leaf(local)));
        }

        YangInstanceIdentifier port(String port) {
            QName ports = leaf("ports");
            return path().node(NodeIdentifier.create(ports))
                .node(NodeIdentifierWithPredicates.of(ports, QName.create(ports, "name"), port));
        }

        YangInstanceIdentifier peer(String port) {
            return port(port).node(NodeIdentifier.create(leaf("peer")));
        }
    }

    private static Optional<Instance> instance(EffectiveModelContext context, DataTreeModification mod, String name) {
        if (!(mod.readNode(YangInstanceIdentifier.of()).orElse(null) instanceof ContainerNode root)) {
            return Optional.empty();
        }
        for (DataContainerChild top : root.body()) {
            QName list = top.name().getNodeType();
            boolean cubeModule = context.findModule(list.getModule()).map(m -> m.getName().equals("pcn-"
                + list.getLocalName())).orElse(false);
            if (cubeModule && top instanceof MapNode) {
                Instance candidate = new Instance(list, name);
                if (mod.readNode(candidate.path()).isPresent()) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean transparent(EffectiveModelContext context, Instance instance) {
        return context.findDataChildByName(instance.list()).orElse(null) instanceof ListSchemaNode list
            && list.findDataChildByName(instance.leaf("parent")).isPresent();
    }

    private static Instance requireTransparent(EffectiveModelContext context, Instance instance)
            throws RestconfException {
        if (!transparent(context, instance)) {
            throw ActionInput.bad("invalid-value", instance.name() + " is not a transparent cube; connect its ports");
        }
        return instance;
    }

    private static void requirePorts(EffectiveModelContext context, Instance instance) throws RestconfException {
        if (transparent(context, instance)) {
            throw ActionInput.bad("invalid-value", instance.name() + " is a transparent cube without ports; use attach");
        }
    }

    private static Optional<String> value(DataTreeModification mod, YangInstanceIdentifier leaf) {
        return mod.readNode(leaf).filter(LeafNode.class::isInstance).map(node -> String.valueOf(((LeafNode<?>) node).body()));
    }

    private static RestconfException missing(String what) {
        return new RestconfException(404, RestconfException.ErrorType.PROTOCOL, "data-missing", null,
            "no " + what);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
