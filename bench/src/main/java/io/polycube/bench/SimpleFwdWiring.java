package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.TcDirection;
import io.polycube.dataplane.api.XdpMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How the core wires a simplefwd instance's maps and programs (core Ports, Chaining, DataplaneLayout;
 * SimpleFwd), for the DUTs that load the compiled object without the core.
 */
final class SimpleFwdWiring {
    static final int PEER_NETDEV = 1;
    static final int PEER_LINK = 4;
    private static final int ACTION_FORWARD = 2;

    private SimpleFwdWiring() {
    }

    /**
     * As Ports.connect, in its order: port table, devmap (XDP), ifindex -> port, then the port's
     * pcn_link program attached to the netdev (what the core attaches to a port below PCN_LINK_PORTS
     * without ingress transparent cubes).
     */
    static BpfLink connectNetdev(BpfObject cube, Hook hook, int port, int ifindex) throws BpfException {
        setPort(cube, port, PEER_NETDEV, 0, ifindex);
        if (hook == Hook.XDP) {
            cube.devMap("pcn_tx_devmap").set(port, ifindex);
        }
        cube.arrayMap("pcn_port_of_ifindex").set(ifindex, buffer(4).putInt(port + 1).array());
        String program = linkProgram(port);
        return hook == Hook.XDP ? cube.program(program).attachXdp(ifindex, XdpMode.DRV)
            : cube.program(program).attachTc(ifindex, TcDirection.INGRESS);
    }

    /** pcn_ports[port] = struct pcn_port { kind, peer port, target }. */
    static void setPort(BpfObject cube, int port, int kind, int peerPort, int target) throws BpfException {
        cube.arrayMap("pcn_ports").set(port, buffer(8).putShort((short) kind).putShort((short) peerPort)
            .putInt(target).array());
    }

    /** actions[0] = FORWARD to port 1: what enters port 0 leaves through port 1. */
    static void forwardPort0To1(BpfObject cube) throws BpfException {
        cube.arrayMap("actions").set(0, buffer(8).putInt(ACTION_FORWARD).putInt(1).array());
    }

    /** The program a cube's input port {@code port} runs when its peer is a netdev or a linked cube. */
    static String linkProgram(int port) {
        return "pcn_link_" + port;
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }
}
