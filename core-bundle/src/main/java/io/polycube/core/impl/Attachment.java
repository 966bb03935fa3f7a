package io.polycube.core.impl;

import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeException;
import java.util.Optional;

/**
 * Where a transparent cube sits (pcn-base grouping {@code transparent-attachment}): its parent (a cube
 * port or a netdev), the direction, and its position among the transparent cubes of that point.
 */
record Attachment(Peer parent, boolean egress, Position position) {

    /** {@code first}, {@code last}, {@code before X}, {@code after X}. */
    record Position(String kind, Optional<String> relativeTo) {
        static Position parse(String text) {
            int space = text.indexOf(' ');
            return space < 0 ? new Position(text, Optional.empty())
                : new Position(text.substring(0, space), Optional.of(text.substring(space + 1)));
        }
    }

    static Optional<Attachment> of(ConfigNode config) throws CubeException {
        Optional<String> parent = config.leaf("parent");
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Attachment(Peer.parse(parent.get()),
            config.leaf("direction").orElse("INGRESS").equals("EGRESS"),
            Position.parse(config.leaf("position").orElse("last"))));
    }
}
