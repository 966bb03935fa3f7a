package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.TestRun;
import io.polycube.dataplane.api.TestRunResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The router cube's compiled data path (cube-bundles/router/target/classes/bpf) wired as the core and
 * Router.java wire a two-port instance: port 0 on {@code dutIn} (10.250.1.1/24, MAC = dutIn's), port 1
 * on {@code dutOut} (10.250.2.1/24), the sink's address as a static neighbour (arp_static), each port's
 * pcn_link program attached to its netdev. Every frame is routed: LPM lookup, neighbour, MAC rewrite,
 * TTL and checksum.
 */
final class RouterDut implements Dut {
    static final int NET_IN = 0x0afa0100;  // 10.250.1.0
    static final int NET_OUT = 0x0afa0200; // 10.250.2.0
    private final Hook hook;
    private final Path objectDir;
    private final byte[] inMac;
    private final byte[] outMac;
    private final byte[] sinkMac;
    private final List<BpfLink> links = new ArrayList<>();
    private BpfObject object;

    RouterDut(Hook hook, Path objectDir, byte[] inMac, byte[] outMac, byte[] sinkMac) {
        this.hook = hook;
        this.objectDir = objectDir;
        this.inMac = inMac;
        this.outMac = outMac;
        this.sinkMac = sinkMac;
    }

    @Override
    public String name() {
        return "router";
    }

    @Override
    public Hook hook() {
        return hook;
    }

    @Override
    public void setUp(Topology t) throws BpfException {
        try (BpfObjectSpec spec = BpfObjectSpec.open(objectDir.resolve("router." + hook.prefix() + ".o"))) {
            object = spec.load();
        }
        try {
            port(0, inMac, NET_IN + 1);
            port(1, outMac, NET_OUT + 1);
            object.map("arp_static").update(be(NET_OUT + 2), ByteBuffer.allocate(12).order(ByteOrder.nativeOrder())
                .put(sinkMac).putShort((short) 0).putInt(1).array());
            links.add(SimpleFwdWiring.connectNetdev(object, hook, 0, t.dutIn()));
            links.add(SimpleFwdWiring.connectNetdev(object, hook, 1, t.dutOut()));
        } catch (BpfException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** router_ports, own_addrs and connected, as Router.java's KernelTables writes them. */
    private void port(int index, byte[] mac, int ip) throws BpfException {
        object.arrayMap("router_ports").set(index, ByteBuffer.allocate(12).put(mac).putShort((short) 0).putInt(ip).array());
        object.map("own_addrs").update(be(ip), ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(index).array());
        object.map("connected").update(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(24)
            .put(be(ip & 0xffffff00)).array(), ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(index).array());
    }

    private static byte[] be(int ip) {
        return ByteBuffer.allocate(4).putInt(ip).array();
    }

    @Override
    public TestRunResult micro(Topology t, byte[] frame, int repeat) throws BpfException {
        byte[] ctx = Frames.context(hook, t.dutIn(), frame.length);
        return object.program(SimpleFwdWiring.linkProgram(0)).testRun(TestRun.of(frame).withRepeat(repeat).withCtxIn(ctx));
    }

    @Override
    public void close() {
        links.forEach(BpfLink::close);
        links.clear();
        if (object != null) {
            object.close();
            object = null;
        }
    }
}
