package io.polycube.core.impl;

import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.HookType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Cube-to-cube links: the two patch panels (XDP, TC), their slots, and the reconciliation that turns
 * port peers {@code cube:port} into {@code pcn_ports} entries. A link is up when both ports name each
 * other and both cubes use the same hook; a port whose peer cube is missing or does not name it back is
 * down (its packets are dropped), so instances can be created in any order.
 */
final class Chaining {
    private final Path pinRoot;
    private final BitSet xdpSlots = new BitSet(DataplaneLayout.PATCH_SLOTS);
    private final BitSet tcSlots = new BitSet(DataplaneLayout.PATCH_SLOTS);

    /** Starts with fresh panels: pins a previous daemon left would keep its programs alive. */
    Chaining(Path pinRoot) {
        this.pinRoot = pinRoot;
        for (String family : new String[] {"xdp", "tc"}) {
            try {
                Files.createDirectories(pinRoot.resolve(family));
                Files.deleteIfExists(pinRoot.resolve(family).resolve(DataplaneLayout.MAP_PATCH));
            } catch (IOException e) {
                throw new IllegalStateException("cannot prepare bpffs directory " + pinRoot + ": " + e.getMessage(), e);
            }
        }
        xdpSlots.set(0);
        tcSlots.set(0);
    }

    private static String family(HookType hook) {
        return hook.isXdp() ? "xdp" : "tc";
    }

    Path patchPin(HookType hook) {
        return pinRoot.resolve(family(hook)).resolve(DataplaneLayout.MAP_PATCH);
    }

    synchronized int allocateSlot(HookType hook) throws CubeException {
        BitSet slots = hook.isXdp() ? xdpSlots : tcSlots;
        int slot = slots.nextClearBit(1);
        if (slot >= DataplaneLayout.PATCH_SLOTS) {
            throw new CubeException(CubeException.Kind.CONFLICT, "no free patch-panel slot: at most "
                + (DataplaneLayout.PATCH_SLOTS - 1) + " " + family(hook).toUpperCase() + " cube instances");
        }
        slots.set(slot);
        return slot;
    }

    synchronized void releaseSlot(HookType hook, int slot) {
        (hook.isXdp() ? xdpSlots : tcSlots).clear(slot);
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

    /** Makes every cube link match the current configurations. */
    static void reconcile(Collection<CubeInstance> instances, Map<String, CubeInstance> byName, Undo undo)
            throws CubeException {
        for (CubeInstance instance : instances) {
            for (PortBinding binding : instance.ports().bindings()) {
                Optional<Target> target = target(instance, binding, byName);
                OptionalInt current = instance.ports().cubeLink(binding.name());
                if (target.isEmpty()) {
                    instance.ports().unlinkCube(binding.name(), undo);
                } else if (current.isEmpty() || current.getAsInt() != target.get().slot()) {
                    instance.ports().linkCube(binding.name(), target.get().slot(), target.get().peerIndex(), undo);
                }
            }
        }
    }

    private record Target(int slot, int peerIndex) {
    }

    private static Optional<Target> target(CubeInstance instance, PortBinding binding, Map<String, CubeInstance> byName) {
        if (!(binding.peer().orElse(null) instanceof Peer.CubePort peer)) {
            return Optional.empty();
        }
        CubeInstance other = byName.get(peer.cube());
        if (other == null || other.hook() != instance.hook()) {
            return Optional.empty();
        }
        Optional<PortBinding> back = other.ports().bindings().stream()
            .filter(b -> b.name().equals(peer.port())).findFirst();
        Peer self = new Peer.CubePort(instance.name(), binding.name());
        if (back.isEmpty() || !back.get().peer().equals(Optional.of(self))) {
            return Optional.empty();
        }
        return Optional.of(new Target(other.slot(), back.get().index()));
    }
}
