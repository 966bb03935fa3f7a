package io.polycube.core.impl;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which port owns which netdev: a netdev can be the peer of one port only, machine-wide. Also which
 * transparent cube is attached to a netdev no port owns, so a port that takes the device can make it
 * step aside (XDP allows one program per device).
 */
final class NetdevClaims {
    /** What a transparent cube does to leave a device. */
    interface Yield {
        void leave(Undo undo) throws io.polycube.core.spi.CubeException;
    }

    /** The kernel gives the loopback device this index in every namespace. */
    static final int LOOPBACK_IFINDEX = 1;

    private final Map<Integer, String> owners = new HashMap<>();

    /**
     * The loopback device carries polycubed's own API (RESTCONF, ssh on 127.0.0.1): a port there drops
     * everything it has no action for, so the daemon would cut itself off. Nothing may take it.
     */
    static void refuseLoopback(int ifindex, String what) throws io.polycube.core.spi.CubeException {
        if (ifindex == LOOPBACK_IFINDEX) {
            throw io.polycube.core.spi.CubeException.invalid(what + " is the loopback device, which carries "
                + "polycubed's own API; cubes cannot take it");
        }
    }
    private final Map<Integer, Yield> transparentHolders = new HashMap<>();

    synchronized void holdTransparent(int ifindex, Yield yield) {
        transparentHolders.put(ifindex, yield);
    }

    synchronized void releaseTransparent(int ifindex, Yield yield) {
        transparentHolders.remove(ifindex, yield);
    }

    synchronized Optional<Yield> transparentHolder(int ifindex) {
        return Optional.ofNullable(transparentHolders.get(ifindex));
    }

    synchronized Optional<String> owner(int ifindex) {
        return Optional.ofNullable(owners.get(ifindex));
    }

    synchronized void claim(int ifindex, String owner) {
        owners.put(ifindex, owner);
    }

    synchronized void release(int ifindex, String owner) {
        owners.remove(ifindex, owner);
    }
}
