package io.polycube.cube.helloworld;

import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.LogLevel;
import io.polycube.core.spi.PacketIn;

/**
 * The optional Java of helloworld: the one check YANG cannot make here (yangtools does not evaluate
 * {@code must}) and the slow path, which says hello for every SLOWPATH packet.
 */
final class HelloWorld implements CubeControl {
    private final CubeContext context;

    HelloWorld(CubeContext context) {
        this.context = context;
    }

    @Override
    public void configure(ConfigNode config) throws CubeException {
        for (ConfigNode entry : config.list("actions")) {
            if (entry.leaf("action").orElse("DROP").equals("FORWARD") && entry.leaf("outport").isEmpty()) {
                throw CubeException.invalid("action FORWARD on port " + entry.leaf("port").orElseThrow() + " needs an outport");
            }
        }
    }

    @Override
    public void packetIn(PacketIn packet) {
        context.log(LogLevel.INFO, "hello from port %P: %d bytes", packet.port(), packet.packet().length);
    }
}
