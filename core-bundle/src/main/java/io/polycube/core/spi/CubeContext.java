package io.polycube.core.spi;

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

    /** A logger named after the instance. */
    Logger logger();
}
