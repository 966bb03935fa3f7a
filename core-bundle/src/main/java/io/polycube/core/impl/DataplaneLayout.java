package io.polycube.core.impl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Java side of the data-path ABI in {@code pcn/consts.h}, {@code pcn/structs.h} and
 * {@code pcn/maps.h}: names of the framework's maps and programs, and the layouts of their values.
 */
final class DataplaneLayout {
    static final String ENTRY_PROGRAM = "pcn_entry";
    static final String MAP_PORT_OF_IFINDEX = "pcn_port_of_ifindex";
    static final String MAP_PORTS = "pcn_ports";
    static final String MAP_TX_DEVMAP = "pcn_tx_devmap";
    static final String MAP_SLOWPATH = "pcn_slowpath";

    static final int MAX_PORTS = 128;
    static final int PEER_NONE = 0;
    static final int PEER_NETDEV = 1;

    private DataplaneLayout() {
    }

    static byte[] u32(int value) {
        return buffer(4).putInt(value).array();
    }

    static byte[] u16(int value) {
        return buffer(2).putShort((short) value).array();
    }

    /** struct pcn_port { __u32 peer_kind; __u32 ifindex; } */
    static byte[] port(int peerKind, int ifindex) {
        return buffer(8).putInt(peerKind).putInt(ifindex).array();
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }
}
