package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The router cube's compiled data path (cube-bundles/router/target/classes/bpf) wired as the core and
 * Router.java wire a two-port instance: port 0 on {@code dutIn} (10.250.1.1/24, MAC = dutIn's), port 1
 * on {@code dutOut} (10.250.2.1/24), the sink's address as a static neighbour (arp_static), each port's
 * pcn_link program attached to its netdev. Every frame is routed: LPM lookup, neighbour, MAC rewrite,
 * TTL and checksum.
 */
final class RouterDut extends TwoPortCubeDut {
    static final int NET_IN = 0x0afa0100;  // 10.250.1.0
    static final int NET_OUT = 0x0afa0200; // 10.250.2.0
    private final byte[] inMac;
    private final byte[] outMac;
    private final byte[] sinkMac;

    RouterDut(Hook hook, Path objectDir, byte[] inMac, byte[] outMac, byte[] sinkMac) {
        super("router", hook, objectDir);
        this.inMac = inMac;
        this.outMac = outMac;
        this.sinkMac = sinkMac;
    }

    @Override
    void configure(BpfObject object) throws BpfException {
        port(object, 0, inMac, NET_IN + 1);
        port(object, 1, outMac, NET_OUT + 1);
        object.map("arp_static").update(be(NET_OUT + 2), ByteBuffer.allocate(12).order(ByteOrder.nativeOrder())
            .put(sinkMac).putShort((short) 0).putInt(1).array());
    }

    /** router_ports, own_addrs and connected, as Router.java's KernelTables writes them. */
    private static void port(BpfObject object, int index, byte[] mac, int ip) throws BpfException {
        object.arrayMap("router_ports").set(index, ByteBuffer.allocate(12).put(mac).putShort((short) 0).putInt(ip).array());
        object.map("own_addrs").update(be(ip), ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(index).array());
        object.map("connected").update(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(24)
            .put(be(ip & 0xffffff00)).array(), ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(index).array());
    }

    private static byte[] be(int ip) {
        return ByteBuffer.allocate(4).putInt(ip).array();
    }
}
