package io.polycube.core.impl;

import static java.util.Objects.requireNonNull;

import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ports an instance's configuration asks for: port name to peer (absent when unconnected).
 * Parsing the peer here keeps the netdev/cube distinction in one place.
 */
record PortPlan(Map<String, Optional<String>> peers) {

    PortPlan {
        // Configuration order decides index allocation, so keep it.
        peers = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(peers)));
    }

    static PortPlan of(ConfigNode instance) throws CubeException {
        Map<String, Optional<String>> peers = new LinkedHashMap<>();
        for (ConfigNode port : instance.list("ports")) {
            String name = port.leaf("name").orElseThrow();
            Optional<String> peer = port.leaf("peer");
            if (peer.isPresent() && peer.get().indexOf(':') >= 0) {
                throw CubeException.invalid("port " + name + ": peer '" + peer.get()
                    + "' names a cube port; only Linux netdev peers are supported in this version");
            }
            peers.put(name, peer);
        }
        return new PortPlan(peers);
    }
}
