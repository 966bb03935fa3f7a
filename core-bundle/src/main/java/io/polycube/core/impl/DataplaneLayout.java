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
    static final String MAP_PORT_OF_BIG_IFINDEX = "pcn_port_of_big_ifindex";
    static final int IFINDEX_DIRECT = 4096;
    static final String MAP_PORTS = "pcn_ports";
    static final String MAP_TX_DEVMAP = "pcn_tx_devmap";
    static final String MAP_SLOWPATH = "pcn_slowpath";
    static final String MAP_LOG = "pcn_log_ring";
    static final String MAP_NEXT = "pcn_next";
    static final String MAP_PATCH = "pcn_patch";
    static final String MAP_MD = "pcn_md";
    static final String MAP_PEER_PROGS = "pcn_peer_progs";
    static final String MAP_NEXT_PROG = "pcn_next_prog";
    static final String CHAIN_PROGRAM = "pcn_chain";
    /** pcn_link_&lt;port&gt;: the MASTER with a constant input port (consts.h PCN_LINK_PORTS). */
    private static final String LINK_PROGRAM_PREFIX = "pcn_link_";
    static final int PATCH_SLOTS = 1024;

    static final int MAX_PORTS = 128;
    static final int PEER_NONE = 0;
    static final int PEER_NETDEV = 1;
    static final int PEER_CUBE = 2;
    static final int PEER_STACK = 3;
    static final int PEER_LINK = 4;

    /** struct pcn_pkt_in: in_port u16, reason u16, packet_len u32, captured_len u32, md[3] u32; then bytes. */
    static final int PKT_IN_HEADER = 24;
    static final int PKT_IN_MAX = 1514;

    /** The injector: consts.h PCN_INJ_*, struct pcn_inj_hdr (24 bytes, network byte order after the MACs). */
    static final String INJECTOR_PROGRAM = "pcn_injector";
    static final int INJ_ETHERTYPE = 0x88B5;
    static final int INJ_MAGIC = 0x70636e6f;
    static final int INJ_FAMILY_XDP = 1;
    static final int INJ_FAMILY_TC = 2;
    static final int INJ_HEADER = 24;
    static final int INJ_FRAME_MAX = 1514;

    private DataplaneLayout() {
    }

    /** Maps every object of a hook family shares through bpffs: the patch panel and the XDP metadata word. */
    static io.polycube.dataplane.api.BpfObjectSpec pinShared(io.polycube.dataplane.api.BpfObjectSpec spec,
            java.nio.file.Path patchPin) throws io.polycube.dataplane.api.BpfException {
        return spec.pinMap(MAP_PATCH, patchPin).pinMap(MAP_MD, patchPin.resolveSibling(MAP_MD));
    }

    /** The object's pcn_link program for input port {@code port}, if it has one (ports below PCN_LINK_PORTS). */
    static java.util.Optional<io.polycube.dataplane.api.BpfProgram> linkProgram(io.polycube.dataplane.api.BpfObject object,
            int port) {
        String name = LINK_PROGRAM_PREFIX + port;
        return object.programNames().contains(name) ? java.util.Optional.of(object.program(name))
            : java.util.Optional.empty();
    }

    static byte[] u32(int value) {
        return buffer(4).putInt(value).array();
    }

    /** struct pcn_port { __u16 peer_kind; __u16 peer_port; __u32 target; } */
    static byte[] port(int peerKind, int peerPort, int target) {
        return buffer(8).putShort((short) peerKind).putShort((short) peerPort).putInt(target).array();
    }

    /** A struct pcn_port value, decoded. */
    record PortValue(int peerKind, int peerPort, int target) {
        static PortValue decode(byte[] value) {
            ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
            return new PortValue(Short.toUnsignedInt(b.getShort(0)), Short.toUnsignedInt(b.getShort(2)), b.getInt(4));
        }
    }

    static final String MAP_PORT_STATS = "pcn_port_stats";
    static final int PORT_STATS_SIZE = 48;

    /** struct pcn_port_stats of port {@code index} in one CPU's struct pcn_stats_table. */
    static io.polycube.core.spi.PortCounters portStats(byte[] table, int index) {
        ByteBuffer b = ByteBuffer.wrap(table, index * PORT_STATS_SIZE, PORT_STATS_SIZE).order(ByteOrder.nativeOrder());
        return new io.polycube.core.spi.PortCounters(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(),
            b.getLong());
    }

    static final String MAP_SLOWPATH_DROPS = "pcn_slowpath_drops";

    /** The slow-path copies {@code object}'s data path lost (per-CPU {@code pcn_slowpath_drops}, summed). */
    static java.util.OptionalLong slowPathDrops(io.polycube.dataplane.api.BpfObject object)
            throws io.polycube.dataplane.api.BpfException {
        if (!object.mapNames().contains(MAP_SLOWPATH_DROPS)) {
            return java.util.OptionalLong.empty(); // an ELF built without the framework's counter
        }
        long sum = 0;
        for (byte[] cpu : object.perCpuArrayMap(MAP_SLOWPATH_DROPS).get(0)) {
            sum += ByteBuffer.wrap(cpu).order(ByteOrder.nativeOrder()).getLong(0);
        }
        return java.util.OptionalLong.of(sum);
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }
}
