package io.polycube.core.spi;

import io.polycube.core.api.Direction;
import io.polycube.dataplane.api.BpfObject;
import java.util.OptionalInt;
import org.slf4j.Logger;

/** What the core gives an instance's control plane. */
public interface CubeContext {

    String instanceName();

    HookType hook();

    /**
     * The loaded MASTER data path: its maps are the cube's tables. Owned by the core; do not close it,
     * and do not keep its map handles across calls: a reload (loglevel change, {@link #reload}) swaps
     * in a new object that shares the same kernel maps and closes the old one.
     */
    BpfObject dataplane();

    /**
     * Replaces µCube {@code index} (0 is the MASTER, 1..63 SLAVE programs reached with
     * {@code call_ingress_program(ctx, md, index)}, 65..127 those reached with
     * {@code call_egress_program(ctx, md, index - 64)}) while traffic flows: the new program shares the cube's maps and
     * takes over atomically. On a compile or verifier error the old program keeps running.
     */
    void reload(int index, DataplaneCode code) throws CubeException;

    /** Logs under the instance's logger when {@code level} passes its loglevel; formats as {@code pcn_log}. */
    void log(LogLevel level, String format, Object... args);

    /** The data-path index of a port of this instance, if the port exists. */
    OptionalInt portIndex(String portName);

    /** The counters of a port of this instance, if the port exists. */
    java.util.Optional<PortCounters> portCounters(String portName);

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
