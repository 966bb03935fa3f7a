package io.polycube.core.api;

/** Where a packet_out enters the data path of a cube port (the paper's send_packet_out direction). */
public enum Direction {
    /** Into the cube on that port, as if received there: the cube's handle_rx runs with in_port = the port. */
    INGRESS,
    /** Out of the cube through that port: to its peer netdev (transmitted) or into its peer cube's port. */
    EGRESS
}
