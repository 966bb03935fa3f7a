package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.TcDirection;
import io.polycube.dataplane.api.TestRun;
import io.polycube.dataplane.api.TestRunResult;
import io.polycube.dataplane.api.XdpMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The simplefwd cube's compiled data path (cube-bundles/simplefwd/target/classes/bpf), loaded
 * and wired as the core wires a two-port instance (core Ports/DataplaneLayout, SimpleFwd): port 0
 * "in" on {@code dutIn}, port 1 "out" on {@code dutOut}, the entry program attached to both peers
 * (XDP driver mode or TC ingress), {@code actions[0] = FORWARD to port 1}.
 */
final class SimpleFwdDut implements Dut {
    private static final int PEER_NETDEV = 1;
    private static final int ACTION_FORWARD = 2;

    private final Hook hook;
    private final Path objectDir;
    private final List<BpfLink> links = new ArrayList<>();
    private BpfObject object;

    SimpleFwdDut(Hook hook, Path objectDir) {
        this.hook = hook;
        this.objectDir = objectDir;
    }

    @Override
    public String name() {
        return "simplefwd";
    }

    @Override
    public Hook hook() {
        return hook;
    }

    @Override
    public void setUp(Topology t) throws BpfException {
        try (BpfObjectSpec spec = BpfObjectSpec.open(objectDir.resolve("simplefwd." + hook.prefix() + ".o"))) {
            object = spec.load();
        }
        try {
            connect(0, t.dutIn());
            connect(1, t.dutOut());
            object.arrayMap("actions").set(0, buffer(8).putInt(ACTION_FORWARD).putInt(1).array());
        } catch (BpfException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** What Ports.connect does, in its order: port table, devmap, ifindex -> port, attach. */
    private void connect(int port, int ifindex) throws BpfException {
        object.arrayMap("pcn_ports").set(port, buffer(8).putShort((short) PEER_NETDEV).putShort((short) 0)
            .putInt(ifindex).array());
        if (hook == Hook.XDP) {
            object.devMap("pcn_tx_devmap").set(port, ifindex);
        }
        object.arrayMap("pcn_port_of_ifindex").set(ifindex, buffer(4).putInt(port + 1).array());
        // As the core does for a port below PCN_LINK_PORTS without ingress transparent cubes.
        String program = "pcn_link_" + port;
        links.add(hook == Hook.XDP ? object.program(program).attachXdp(ifindex, XdpMode.DRV)
            : object.program(program).attachTc(ifindex, TcDirection.INGRESS));
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    @Override
    public TestRunResult micro(Topology t, byte[] frame, int repeat) throws BpfException {
        byte[] ctx = hook == Hook.XDP ? TestRun.xdpContext(t.dutIn(), 0, frame.length) : Frames.skbContext(t.dutIn());
        return object.program("pcn_link_0").testRun(TestRun.of(frame).withRepeat(repeat).withCtxIn(ctx));
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
