package io.polycube.core.impl;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Which port owns which netdev: a netdev can be the peer of one port only, machine-wide. */
final class NetdevClaims {
    private final Map<Integer, String> owners = new HashMap<>();

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
