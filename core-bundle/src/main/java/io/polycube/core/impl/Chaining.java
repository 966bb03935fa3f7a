package io.polycube.core.impl;

import static io.polycube.core.impl.DataplaneLayout.PEER_CUBE;
import static io.polycube.core.impl.DataplaneLayout.PEER_LINK;
import static io.polycube.core.impl.DataplaneLayout.PEER_NETDEV;
import static io.polycube.core.impl.DataplaneLayout.PEER_NONE;
import static io.polycube.core.impl.DataplaneLayout.PEER_STACK;
import static io.polycube.core.impl.DataplaneLayout.port;

import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.HookType;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.PinnedProgArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How packets move between cubes: the two patch panels (XDP, TC) and their slots, and the
 * reconciliation that writes, from the configurations, every {@code pcn_ports} entry, devmap slot,
 * ingress hand-off and transparent-cube {@code pcn_next} entry.
 * <ul>
 * <li>A port-to-port link is up when both ports name each other and both cubes use the same hook; a
 * port whose peer cube is missing or does not name it back is down (its packets are dropped), so
 * instances can be created in any order.</li>
 * <li>Transparent cubes of one attachment point ({@link TransparentChains}) are traversed in order:
 * on a port's ingress before the cube sees the packet, on its egress before the peer does.</li>
 * </ul>
 */
final class Chaining {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Chaining.class);

    private static final List<String> FAMILIES = List.of("xdp", "tc");

    private final Path pinRoot;
    private final Map<String, Panel> panels = Map.of("xdp", new Panel("xdp"), "tc", new Panel("tc"));

    /** One family's patch panel (XDP or TC): which slots are used, and what an earlier polycubed left in it. */
    private static final class Panel {
        final String family;
        /** Slot 0 is pcn_link_0's, never an instance's. */
        final BitSet used = new BitSet(DataplaneLayout.PATCH_SLOTS);
        /** The panel an earlier polycubed left pinned, held open from the start so it keeps its entries. */
        PinnedProgArray kept;
        /**
         * The slots recorded at start (never 0) and still their instance's (slot to instance name): kept hand-offs
         * may name them. Those not {@link #back} yet are pending: what still points there (the kept panel, other
         * cubes' kept port tables) is left as it is until their instance comes back or is swept.
         */
        final Map<Integer, String> recorded = new java.util.TreeMap<>();
        final BitSet back = new BitSet();

        Panel(String family) {
            this.family = family;
            used.set(0);
        }

        boolean pending(int slot) {
            return recorded.containsKey(slot) && !back.get(slot);
        }

        List<Integer> pendingSlots() {
            return recorded.keySet().stream().filter(this::pending).toList();
        }

        /** Empties the kept panel's entry: no program of the earlier polycubed runs there any more. */
        void clearKept(int slot) {
            if (kept == null) {
                return;
            }
            try {
                kept.map().clear(slot);
            } catch (BpfException e) {
                // already empty
            }
        }

        /** The slot is nobody's: emptied and free. */
        void forget(int slot) {
            clearKept(slot);
            free(slot);
        }

        void free(int slot) {
            used.clear(slot);
            recorded.remove(slot);
            back.clear(slot);
        }
    }

    /**
     * Takes over the panels an earlier polycubed left pinned (a crash, a stop that kept the data plane): the
     * slots its instances recorded ({@link InstancePins#slot}) stay theirs, every other slot is emptied. Panels of
     * another layout are unpinned (their programs keep them until they go).
     */
    Chaining(Path pinRoot) {
        this.pinRoot = pinRoot;
        try {
            Files.createDirectories(pinRoot.resolve("public"));
            for (String family : FAMILIES) {
                Files.createDirectories(pinRoot.resolve(family));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare bpffs directory " + pinRoot + ": " + e.getMessage(), e);
        }
        for (Panel panel : panels.values()) {
            keep(panel, pinRoot.resolve(panel.family).resolve(DataplaneLayout.MAP_PATCH));
        }
        reserveLeftSlots();
    }

    private static void keep(Panel panel, Path panelPin) {
        if (!Files.exists(panelPin)) {
            deletePin(panelPin.resolveSibling(DataplaneLayout.MAP_MD));
            return;
        }
        try {
            PinnedProgArray left = PinnedProgArray.open(panelPin);
            if (left.map().maxEntries() == DataplaneLayout.PATCH_SLOTS) {
                panel.kept = left;
                return;
            }
            left.close();
            LOG.warn("The {} patch panel left at {} has another size; starting with a new one", panel.family, panelPin);
        } catch (BpfException e) {
            LOG.warn("The {} patch panel left at {} cannot be taken over ({}); starting with a new one", panel.family,
                panelPin, e.getMessage());
        }
        deletePin(panelPin);
        deletePin(panelPin.resolveSibling(DataplaneLayout.MAP_MD));
    }

    private static void deletePin(Path pin) {
        try {
            Files.deleteIfExists(pin);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + pin + ": " + e.getMessage(), e);
        }
    }

    /** The slots the left instances recorded are theirs; what else a kept panel holds is stale. */
    private void reserveLeftSlots() {
        for (String name : InstancePins.pinned(pinRoot)) {
            InstancePins pins = InstancePins.of(pinRoot, name);
            for (Panel panel : panels.values()) {
                java.util.OptionalInt slot = pins.slot(panel.family);
                if (slot.isEmpty() || panel.kept == null) {
                    continue;
                }
                int s = slot.getAsInt();
                if (s <= 0 || s >= DataplaneLayout.PATCH_SLOTS || panel.used.get(s)) {
                    LOG.warn("{}: recorded {} slot {} is not available; it gets another one", name, panel.family, s);
                    continue;
                }
                panel.used.set(s);
                panel.recorded.put(s, name);
            }
        }
        for (Panel panel : panels.values()) {
            if (panel.kept != null) {
                for (int s = 1; s < DataplaneLayout.PATCH_SLOTS; s++) {
                    if (!panel.recorded.containsKey(s)) {
                        panel.clearKept(s);
                    }
                }
            }
        }
    }

    /**
     * Unpins the panels and metadata words when the daemon stops cleanly (their programs are gone);
     * PUBLIC tables stay pinned: other programs may use them.
     */
    void close() {
        release();
        for (String family : FAMILIES) {
            try {
                Files.deleteIfExists(pinRoot.resolve(family).resolve(DataplaneLayout.MAP_PATCH));
                Files.deleteIfExists(pinRoot.resolve(family).resolve(DataplaneLayout.MAP_MD));
                Files.deleteIfExists(pinRoot.resolve(family));
            } catch (IOException e) {
                // A directory that is not empty holds someone else's pins: leave it.
            }
        }
        try {
            Files.deleteIfExists(pinRoot.resolve("public"));
            Files.deleteIfExists(pinRoot);
        } catch (IOException e) {
            // PUBLIC tables are still pinned there.
        }
    }

    /** Lets go of the panels, leaving them pinned with their entries for the next polycubed (see InstanceManager.release). */
    synchronized void release() {
        for (Panel panel : panels.values()) {
            if (panel.kept != null) {
                panel.kept.close();
                panel.kept = null;
            }
        }
    }

    /** The panel a hook's programs share: xdp or tc. */
    static String family(HookType hook) {
        return hook.isXdp() ? "xdp" : "tc";
    }

    private Panel panel(HookType hook) {
        return panels.get(family(hook));
    }

    Path patchPin(HookType hook) {
        return pinRoot.resolve(family(hook)).resolve(DataplaneLayout.MAP_PATCH);
    }

    /**
     * The slot of instance {@code pins.name()} in {@code hook}'s panel: the one it recorded if an earlier
     * polycubed left it (it takes its place back), else a free one. Recorded under its pins.
     */
    synchronized int claimSlot(HookType hook, InstancePins pins) throws CubeException {
        Panel mine = panel(hook);
        for (Panel panel : panels.values()) {
            java.util.OptionalInt slot = claimable(panel, pins);
            if (slot.isPresent() && panel != mine) {
                panel.forget(slot.getAsInt()); // it comes back in the other hook
            } else if (slot.isPresent()) {
                mine.back.set(slot.getAsInt());
                return slot.getAsInt();
            }
        }
        return allocateSlot(hook);
    }

    /** The pending slot of {@code panel} recorded for that instance, if there is one. */
    private static java.util.OptionalInt claimable(Panel panel, InstancePins pins) {
        java.util.OptionalInt slot = pins.slot(panel.family);
        return slot.isPresent() && panel.pending(slot.getAsInt()) && pins.name().equals(panel.recorded.get(slot.getAsInt()))
            ? slot : java.util.OptionalInt.empty();
    }

    /**
     * A take-over whose instance failed to start: its recorded slot is pending again (the sweep empties it and
     * re-links), any other slot is free again.
     */
    synchronized void unclaim(HookType hook, int slot, InstancePins pins) {
        Panel panel = panel(hook);
        if (pins.name().equals(panel.recorded.get(slot)) && pins.left()) {
            panel.back.clear(slot);
        } else {
            panel.free(slot);
        }
    }

    /** Whether a kept hand-off to {@code slot} may stay while its instance is taken over: the slot is still its cube's. */
    synchronized boolean inheritable(HookType hook, int slot) {
        return panel(hook).recorded.containsKey(slot);
    }

    /** An instance not back yet was deleted: its slot is emptied and free again. */
    synchronized void dropPending(String name) {
        for (Panel panel : panels.values()) {
            for (int slot : panel.pendingSlots()) {
                if (panel.recorded.get(slot).equals(name)) {
                    panel.forget(slot);
                }
            }
        }
    }

    /** Whether {@code slot} of {@code hook}'s panel belongs to an instance an earlier polycubed left, not back yet. */
    synchronized boolean pending(HookType hook, int slot) {
        return panel(hook).pending(slot);
    }

    /** Whether an instance an earlier polycubed left, not back yet, holds an attachment to that device. */
    synchronized boolean pendingHolds(HookType hook, int ifindex, boolean egress) {
        Panel panel = panel(hook);
        return panel.pendingSlots().stream()
            .anyMatch(slot -> InstancePins.of(pinRoot, panel.recorded.get(slot)).holdsLink(hook, ifindex, egress));
    }

    /** The left instances that never came back were swept: their slots are emptied and free again. Returns whether any were. */
    synchronized boolean forgetPending() {
        boolean any = false;
        for (Panel panel : panels.values()) {
            for (int slot : panel.pendingSlots()) {
                panel.forget(slot);
                any = true;
            }
        }
        return any;
    }

    synchronized int allocateSlot(HookType hook) throws CubeException {
        BitSet used = panel(hook).used;
        int slot = used.nextClearBit(1);
        if (slot >= DataplaneLayout.PATCH_SLOTS) {
            throw new CubeException(CubeException.Kind.CONFLICT, "no free patch-panel slot: at most "
                + (DataplaneLayout.PATCH_SLOTS - 1) + " " + family(hook).toUpperCase() + " cube instances");
        }
        used.set(slot);
        return slot;
    }

    /** The instance in {@code slot} is gone: the slot is free (and no longer a recorded one). */
    synchronized void releaseSlot(HookType hook, int slot) {
        panel(hook).free(slot);
    }

    /** Refuses a configuration whose cube peers use another hook (checked before any kernel change). */
    static void checkHooks(CubeInstance instance, Map<String, CubeInstance> byName) throws CubeException {
        for (PortBinding binding : instance.ports().bindings()) {
            if (binding.peer().orElse(null) instanceof Peer.CubePort peer) {
                CubeInstance other = byName.get(peer.cube());
                if (other != null && other.hook() != instance.hook()) {
                    throw CubeException.invalid("port " + binding.name() + ": peer " + peer + " is a "
                        + other.hook() + " cube but " + instance.name() + " is " + instance.hook()
                        + "; a chain uses one hook type");
                }
            }
        }
    }

    /**
     * Where a stage sends packets: a pcn_port value (kind, peer port, target). For a cube, {@code via}
     * is the receiving instance (target is its slot): LINK when its MASTER has a pcn_link program for
     * the port (no metadata on the hop), else CUBE (its pcn_chain, the port in the metadata).
     */
    record Target(int kind, int peerPort, int target, CubeInstance via) {
        static final Target NONE = new Target(PEER_NONE, 0, 0, null);
        static final Target STACK = new Target(PEER_STACK, 0, 0, null);

        static Target netdev(int ifindex) {
            return new Target(PEER_NETDEV, 0, ifindex, null);
        }

        static Target cube(CubeInstance via, int peerPort) {
            boolean link = !via.transparent() && DataplaneLayout.linkProgram(via.master(), peerPort).isPresent();
            return new Target(link ? PEER_LINK : PEER_CUBE, peerPort, via.slot(), via);
        }

        boolean isCube() {
            return kind == PEER_CUBE || kind == PEER_LINK;
        }

        byte[] encode() {
            return port(kind, peerPort, target);
        }

        /** The program a tail call to this target enters, if it is a cube. */
        java.util.Optional<io.polycube.dataplane.api.BpfProgram> program() {
            if (via == null) {
                return java.util.Optional.empty();
            }
            return kind == PEER_LINK ? DataplaneLayout.linkProgram(via.master(), peerPort)
                : java.util.Optional.of(via.master().program(DataplaneLayout.CHAIN_PROGRAM));
        }
    }

    /** Makes every link match the current configurations; every write is recorded in {@code undo}. */
    void reconcile(Collection<CubeInstance> instances, Map<String, CubeInstance> byName, Undo undo)
            throws CubeException {
        reconcile(instances, byName, java.util.Set.of(), undo);
    }

    /**
     * {@code changing}: the instances of the change being applied (see {@link TransparentChains#of}). What an
     * instance taken over from an earlier polycubed kept and that points at the slot of an instance not back
     * yet ({@link #pending}) stays as it is: that instance's programs still run there, so a chain keeps its
     * transparent cubes (and forwards) while its cubes come back one by one.
     */
    synchronized void reconcile(Collection<CubeInstance> instances, Map<String, CubeInstance> byName,
            java.util.Set<String> changing, Undo undo) throws CubeException {
        TransparentChains chains = TransparentChains.of(instances, byName, changing);
        for (CubeInstance instance : instances) {
            if (instance.transparent()) {
                continue;
            }
            HookType hook = instance.hook();
            for (PortBinding binding : instance.ports().bindings()) {
                if (binding.peer().orElse(null) instanceof Peer.CubePort cube && !byName.containsKey(cube.cube())
                        && instance.inheritsLinkTo(cube.cube())) {
                    continue; // the earlier polycubed's link still carries packets to the cube not back yet
                }
                Target peer = peerTarget(instance, binding, byName, chains);
                CubeInstance egressFirst = chains.first(instance.name(), binding.name(), true);
                if (!pending(hook, instance.ports().ingressSlot(binding.name()))) {
                    instance.ports().setIngressSlot(binding.name(),
                        chains.firstSlot(instance.name(), binding.name(), false), undo);
                }
                Target entry = egressFirst != null ? Target.cube(egressFirst, 0) : peer;
                if (!pointsAtPending(hook, instance.ports().portEntry(binding.index()))) {
                    instance.ports().setPortEntry(binding.index(), entry.encode(), undo);
                    instance.ports().setPeerProgram(binding.index(), entry.program(), undo);
                    instance.ports().setDevmap(binding.index(), entry.kind() == PEER_NETDEV ? entry.target() : 0, undo);
                }
                instance.ports().setCubeLinked(binding.name(), peer.isCube());
            }
        }
        for (TransparentChains.Chain chain : chains.chains()) {
            List<CubeInstance> members = chain.members();
            Target last = finalTarget(chain, byName, chains);
            for (int i = 0; i < members.size(); i++) {
                CubeInstance member = members.get(i);
                if (pointsAtPending(member.hook(), member.next())) {
                    continue;
                }
                Target next = i + 1 < members.size() ? Target.cube(members.get(i + 1), 0) : last;
                member.setNext(next, undo);
                member.refreshNextProgram(undo);
            }
            if (chain.netdev().isPresent() && !pendingHolds(members.get(0).hook(), chain.ifindex(), chain.egress())) {
                chain.attachFirst(undo);
            }
        }
        TransparentChains.detachUnused(instances, chains, undo);
    }

    private boolean pointsAtPending(HookType hook, DataplaneLayout.PortValue kept) {
        return (kept.peerKind() == PEER_CUBE || kept.peerKind() == PEER_LINK) && pending(hook, kept.target());
    }

    private boolean pointsAtPending(HookType hook, Target kept) {
        return kept.isCube() && pending(hook, kept.target());
    }

    /** Where a port's packets go once its egress transparent cubes (if any) have let them through. */
    private static Target peerTarget(CubeInstance instance, PortBinding binding, Map<String, CubeInstance> byName,
            TransparentChains chains) {
        Optional<Peer> peer = binding.peer();
        if (peer.isEmpty()) {
            return Target.NONE;
        }
        if (peer.get() instanceof Peer.Netdev) {
            return binding.ifindex() == 0 ? Target.NONE : Target.netdev(binding.ifindex());
        }
        Peer.CubePort cubePort = (Peer.CubePort) peer.get();
        CubeInstance other = byName.get(cubePort.cube());
        if (other == null || other.transparent() || other.hook() != instance.hook()) {
            return Target.NONE;
        }
        Optional<PortBinding> back = other.ports().bindings().stream()
            .filter(b -> b.name().equals(cubePort.port())).findFirst();
        Peer self = new Peer.CubePort(instance.name(), binding.name());
        if (back.isEmpty() || !back.get().peer().equals(Optional.of(self))) {
            return Target.NONE;
        }
        CubeInstance ingressFirst = chains.first(other.name(), back.get().name(), false);
        return Target.cube(ingressFirst != null ? ingressFirst : other, back.get().index());
    }

    /** After the last transparent cube of a chain. */
    private static Target finalTarget(TransparentChains.Chain chain, Map<String, CubeInstance> byName,
            TransparentChains chains) {
        if (chain.netdev().isPresent()) {
            return Target.STACK;
        }
        CubeInstance owner = byName.get(chain.cube());
        Optional<PortBinding> binding = owner == null ? Optional.empty()
            : owner.ports().bindings().stream().filter(b -> b.name().equals(chain.port())).findFirst();
        if (binding.isEmpty()) {
            return Target.NONE;
        }
        if (!chain.egress()) {
            return Target.cube(owner, binding.get().index());
        }
        return peerTarget(owner, binding.get(), byName, chains);
    }
}
