package io.polycube.core.spi;

import io.polycube.core.api.Direction;
import io.polycube.dataplane.api.BpfObject;
import java.util.OptionalInt;
import org.slf4j.Logger;

/** What the core gives an instance's control plane. */
public interface CubeContext {

    String instanceName();

    HookType hook();

    /** The loaded data path: its maps are the cube's tables. Owned by the core; do not close. */
    BpfObject dataplane();

    /** The data-path index of a port of this instance, if the port exists. */
    OptionalInt portIndex(String portName);

    /**
     * packet_out: sends {@code frame} (a whole Ethernet frame without FCS, at most 1514 bytes) through
     * port {@code port}. EGRESS leaves the cube: out of the peer netdev, or into the peer cube on its
     * peer port. INGRESS enters this cube on that port, as if received there. Safe to call from
     * {@link CubeControl#packetIn}. INVALID_VALUE for an unknown port or a bad frame,
     * OPERATION_FAILED when the port has no peer (EGRESS) or the kernel refuses.
     */
    void sendPacketOut(String port, Direction dir, byte[] frame) throws CubeException;

    /** A logger named after the instance. */
    Logger logger();
}
