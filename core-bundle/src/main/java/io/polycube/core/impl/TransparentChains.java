package io.polycube.core.impl;

import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.HookType;
import io.polycube.dataplane.api.Netdevs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The transparent cubes grouped by attachment point (a cube port, or a netdev no cube owns, and a
 * direction), each group in traversal order. A netdev that is the peer of a cube port stands for that
 * port. Order: instances in creation order, {@code first} to the front, {@code last} to the back, then
 * {@code before X}/{@code after X} next to X.
 */
final class TransparentChains {

    /** One attachment point and its transparent cubes, in order. */
    record Chain(String cube, String port, Optional<String> netdev, int ifindex, boolean egress,
            List<CubeInstance> members) {

        /** A netdev chain: the first member's entry program is the one attached to the device. */
        void attachFirst(Undo undo) throws CubeException {
            if (ifindex == 0) {
                return; // the device is gone
            }
            CubeInstance first = members.get(0);
            if (first.netdevHold().holds(ifindex, egress)) {
                return;
            }
            for (CubeInstance other : members) {
                if (other.netdevHold().holds(ifindex, egress)) {
                    other.netdevHold().handTo(first.netdevHold(), undo);
                    return;
                }
            }
            // Taken over in another order than before (types come back one by one): the attachment a member
            // left pinned goes to the first one, which adopts it with one replace instead of attaching again.
            for (CubeInstance other : members) {
                if (other != first && other.pins() != null && first.pins() != null
                        && other.pins().holdsLink(first.hook(), ifindex, egress)) {
                    try {
                        other.pins().handLeftLink(first.pins(), first.hook(), ifindex, egress, undo);
                    } catch (java.io.IOException e) {
                        throw CubeInstance.failed(first.name() + ": taking over the attachment " + other.name()
                            + " left on " + netdev.orElseThrow() + " failed: " + e.getMessage(), e);
                    }
                    break;
                }
            }
            first.netdevHold().attach(netdev.orElseThrow(), ifindex, egress, undo);
        }

        private String where() {
            return (netdev.isPresent() ? "netdev " + netdev.get() : cube + ":" + port) + (egress ? " egress" : " ingress");
        }
    }

    private final Map<String, Chain> byPoint;

    private TransparentChains(Map<String, Chain> byPoint) {
        this.byPoint = byPoint;
    }

    private static String key(String where, boolean egress) {
        return where + (egress ? "|egress" : "|ingress");
    }

    static TransparentChains of(Collection<CubeInstance> instances, Map<String, CubeInstance> byName)
            throws CubeException {
        return of(instances, byName, java.util.Set.of());
    }

    /**
     * {@code changing}: the instances of the change being applied. Only for them is a missing parent
     * netdev an error; for the others (a device deleted behind polycube's back) their chain is just
     * not attached, so an unrelated change still goes through.
     */
    static TransparentChains of(Collection<CubeInstance> instances, Map<String, CubeInstance> byName,
            java.util.Set<String> changing) throws CubeException {
        Map<String, List<CubeInstance>> members = new LinkedHashMap<>();
        Map<String, Chain> shapes = new LinkedHashMap<>();
        for (CubeInstance t : instances) {
            Optional<Attachment> attachment = t.attachment();
            if (!t.transparent() || attachment.isEmpty()) {
                continue;
            }
            Chain shape = point(t, attachment.get(), instances, byName, changing.contains(t.name()));
            String key = key(shape.netdev().map(n -> "dev:" + n).orElse(shape.cube() + ":" + shape.port()), shape.egress());
            shapes.putIfAbsent(key, shape);
            members.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
        }
        Map<String, Chain> chains = new LinkedHashMap<>();
        for (Map.Entry<String, List<CubeInstance>> group : members.entrySet()) {
            Chain shape = shapes.get(group.getKey());
            requireOneHook(group.getValue(), shape, changing);
            chains.put(group.getKey(), new Chain(shape.cube(), shape.port(), shape.netdev(), shape.ifindex(),
                shape.egress(), order(group.getValue(), shape)));
        }
        return new TransparentChains(chains);
    }

    /** Where a transparent cube sits, after turning a port's netdev into that port; checks hooks. */
    private static Chain point(CubeInstance t, Attachment attachment, Collection<CubeInstance> instances,
            Map<String, CubeInstance> byName, boolean strict) throws CubeException {
        if (attachment.parent() instanceof Peer.Netdev netdev) {
            for (CubeInstance owner : instances) {
                for (PortBinding binding : owner.transparent() ? List.<PortBinding>of() : owner.ports().bindings()) {
                    if (binding.peer().equals(Optional.of(netdev))) {
                        return checked(t, new Chain(owner.name(), binding.name(), Optional.empty(), 0,
                            attachment.egress(), List.of()), owner);
                    }
                }
            }
            OptionalInt ifindex = Netdevs.ifindex(netdev.device());
            if (ifindex.isEmpty() && strict) {
                throw CubeException.invalid(t.name() + ": parent netdev '" + netdev.device() + "' does not exist");
            }
            if (ifindex.isPresent()) {
                NetdevClaims.refuseLoopback(ifindex.getAsInt(), t.name() + ": parent netdev '" + netdev.device() + "'");
            }
            if (attachment.egress() && t.hook() != HookType.TC) {
                throw CubeException.invalid(t.name() + ": a netdev has no XDP egress hook; use type TC for EGRESS on "
                    + netdev.device());
            }
            return new Chain("", "", Optional.of(netdev.device()), ifindex.orElse(0), attachment.egress(), List.of());
        }
        Peer.CubePort port = (Peer.CubePort) attachment.parent();
        CubeInstance owner = byName.get(port.cube());
        return checked(t, new Chain(port.cube(), port.port(), Optional.empty(), 0, attachment.egress(), List.of()), owner);
    }

    private static Chain checked(CubeInstance t, Chain chain, CubeInstance owner) throws CubeException {
        if (owner != null && owner.transparent()) {
            throw CubeException.invalid(t.name() + ": parent " + owner.name() + " is a transparent cube; attach to a "
                + "port of a cube with ports, or to a netdev");
        }
        if (owner != null && owner.hook() != t.hook()) {
            throw CubeException.invalid(t.name() + " is " + t.hook() + " but " + owner.name() + " is " + owner.hook()
                + "; a chain uses one hook type");
        }
        return chain;
    }

    /**
     * Transparent cubes on one point hand packets to each other through one prog array, which takes
     * programs of one hook type only: mixing would fail in the kernel half-way through linking.
     */
    private static void requireOneHook(List<CubeInstance> members, Chain chain, java.util.Set<String> changing)
            throws CubeException {
        CubeInstance first = members.get(0);
        for (CubeInstance other : members) {
            if (other.hook() != first.hook()) {
                CubeInstance blamed = changing.contains(other.name()) || !changing.contains(first.name()) ? other : first;
                CubeInstance kept = blamed == other ? first : other;
                throw CubeException.invalid(blamed.name() + " is " + blamed.hook() + " but " + kept.name() + " on "
                    + chain.where() + " is " + kept.hook() + "; transparent cubes on one point use one hook type");
            }
        }
    }

    private static List<CubeInstance> order(List<CubeInstance> created, Chain chain) throws CubeException {
        List<CubeInstance> order = new ArrayList<>();
        List<CubeInstance> relative = new ArrayList<>();
        for (CubeInstance t : created) {
            Attachment.Position position = t.attachment().orElseThrow().position();
            switch (position.kind()) {
                case "first" -> order.add(0, t);
                case "last" -> order.add(t);
                default -> relative.add(t);
            }
        }
        while (!relative.isEmpty()) {
            boolean progress = false;
            for (CubeInstance t : List.copyOf(relative)) {
                Attachment.Position position = t.attachment().orElseThrow().position();
                String anchor = position.relativeTo().orElseThrow();
                int at = indexOf(order, anchor);
                if (at >= 0) {
                    order.add(position.kind().equals("before") ? at : at + 1, t);
                    relative.remove(t);
                    progress = true;
                }
            }
            if (!progress) {
                CubeInstance t = relative.get(0);
                throw CubeException.invalid(t.name() + ": position '" + t.attachment().orElseThrow().position().kind()
                    + " " + t.attachment().orElseThrow().position().relativeTo().orElseThrow()
                    + "' names no other transparent cube on " + chain.where());
            }
        }
        return List.copyOf(order);
    }

    private static int indexOf(List<CubeInstance> order, String name) {
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    Collection<Chain> chains() {
        return byPoint.values();
    }

    /** The patch-panel slot of the first transparent cube on a cube port's ingress or egress; 0: none. */
    int firstSlot(String cube, String port, boolean egress) {
        CubeInstance first = first(cube, port, egress);
        return first == null ? 0 : first.slot();
    }

    /** The first transparent cube on a cube port's ingress or egress, or null. */
    CubeInstance first(String cube, String port, boolean egress) {
        Chain chain = byPoint.get(key(cube + ":" + port, egress));
        return chain == null ? null : chain.members().get(0);
    }

    /** Closes the netdev attachments of transparent cubes that are no longer first on a netdev. */
    static void detachUnused(Collection<CubeInstance> instances, TransparentChains chains, Undo undo)
            throws CubeException {
        for (CubeInstance t : instances) {
            if (!t.transparent() || !t.netdevHold().holdsAny()) {
                continue;
            }
            boolean needed = chains.chains().stream().anyMatch(c -> c.netdev().isPresent()
                && c.members().get(0) == t && t.netdevHold().holds(c.ifindex(), c.egress()));
            if (!needed) {
                t.netdevHold().detach(undo);
            }
        }
    }
}
