package io.polycube.core.impl;

import io.polycube.dataplane.api.BpfLink;
import java.util.Optional;

/**
 * One port of a live instance: its data-path index, its configured peer and, for a netdev peer, the
 * device's ifindex and the attachment of the entry program.
 */
record PortBinding(String name, int index, Optional<Peer> peer, int ifindex, Optional<BpfLink> link) {

    static PortBinding unconnected(String name, int index) {
        return new PortBinding(name, index, Optional.empty(), 0, Optional.empty());
    }

    boolean hasNetdev() {
        return peer.isPresent() && peer.get() instanceof Peer.Netdev;
    }
}
