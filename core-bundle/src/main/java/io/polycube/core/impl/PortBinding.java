package io.polycube.core.impl;

import io.polycube.dataplane.api.BpfLink;
import java.util.Optional;

/** One port of a live instance: its data-path index and, when connected, its peer and the attach link. */
record PortBinding(String name, int index, Optional<String> peer, int ifindex, Optional<BpfLink> link) {

    static PortBinding unconnected(String name, int index) {
        return new PortBinding(name, index, Optional.empty(), 0, Optional.empty());
    }
}
