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

    private final Map<Integer, String> owners = new HashMap<>();
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
