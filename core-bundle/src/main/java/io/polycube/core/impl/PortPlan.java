package io.polycube.core.impl;

import static java.util.Objects.requireNonNull;

import io.polycube.core.spi.ConfigNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The ports an instance's configuration asks for: port name to peer (absent when unconnected). */
record PortPlan(Map<String, Optional<Peer>> peers) {

    PortPlan {
        // Configuration order decides index allocation, so keep it.
        peers = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(peers)));
    }

    static PortPlan of(ConfigNode instance) {
        Map<String, Optional<Peer>> peers = new LinkedHashMap<>();
        for (ConfigNode port : instance.list("ports")) {
            peers.put(port.leaf("name").orElseThrow(), port.leaf("peer").map(Peer::parse));
        }
        return new PortPlan(peers);
    }
}
