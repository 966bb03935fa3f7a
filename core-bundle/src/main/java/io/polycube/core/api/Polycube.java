package io.polycube.core.api;

import io.polycube.core.spi.CubeException;
import java.util.Map;
import java.util.Set;

/** The running daemon, as an OSGi service (registered by polycubed). */
public interface Polycube {

    /** Names of the registered cube types. */
    Set<String> cubeTypes();

    /** Live instances: instance name to cube type name. */
    Map<String, String> instances();

    /**
     * Sends {@code frame} (a whole Ethernet frame, no FCS) into port {@code port} of instance {@code cube}
     * in direction {@code dir}; see {@link io.polycube.core.spi.CubeContext#sendPacketOut}. INVALID_VALUE
     * for an unknown cube or port, OPERATION_FAILED when the port has no peer or the kernel refuses.
     */
    void sendPacketOut(String cube, String port, Direction dir, byte[] frame) throws CubeException;

    /**
     * Replaces µCube {@code index} of instance {@code cube} while traffic flows; see
     * {@link io.polycube.core.spi.CubeContext#reload}. A compile or verifier error is an INVALID_VALUE
     * whose message carries the compiler output or the verifier log; the old program keeps running.
     */
    void reload(String cube, int index, io.polycube.core.spi.DataplaneCode code) throws CubeException;
}
