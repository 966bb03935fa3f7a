package io.polycube.core.impl;

import static java.util.Objects.requireNonNull;

/** Where a port is connected: a Linux netdev, or a port of another cube ({@code cube:port}). */
sealed interface Peer {

    record Netdev(String device) implements Peer {
        public Netdev {
            requireNonNull(device);
        }

        @Override
        public String toString() {
            return device;
        }
    }

    record CubePort(String cube, String port) implements Peer {
        public CubePort {
            requireNonNull(cube);
            requireNonNull(port);
        }

        @Override
        public String toString() {
            return cube + ":" + port;
        }
    }

    /** The YANG type {@code peer-ref} has already checked the syntax. */
    static Peer parse(String text) {
        int colon = text.indexOf(':');
        return colon < 0 ? new Netdev(text) : new CubePort(text.substring(0, colon), text.substring(colon + 1));
    }
}
