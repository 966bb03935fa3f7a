package io.polycube.cube.simplefwd;

import io.polycube.core.api.Direction;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.PacketIn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The slow path of one simplefwd instance: packets of SLOWPATH ports arrive here and leave through
 * the action's {@code outport} (packet_out EGRESS), or are logged and dropped when it has none. The
 * {@code actions} map itself is the core's work: the YANG list is bound to it with {@code base:map}.
 */
final class SimpleFwd implements CubeControl {
    /** The YANG enumeration's values, which the core writes into {@code struct action}. */
    enum Action { DROP, SLOWPATH, FORWARD }

    private final CubeContext context;
    /** SLOWPATH input port name -> its outport, if any; replaced whole, read by the slow-path thread. */
    private volatile Map<String, Optional<String>> slowPathOut = Map.of();

    SimpleFwd(CubeContext context) {
        this.context = context;
    }

    @Override
    public void configure(ConfigNode config) throws CubeException {
        Map<String, Optional<String>> slow = new HashMap<>();
        for (ConfigNode entry : config.list("actions")) {
            String inport = entry.leaf("inport").orElseThrow();
            String action = entry.leaf("action").orElse("DROP");
            // The model's must statement says the same; yangtools does not evaluate must.
            if (action.equals("FORWARD") && entry.leaf("outport").isEmpty()) {
                throw CubeException.invalid("action FORWARD on port " + inport + " needs an outport");
            } else if (action.equals("SLOWPATH")) {
                slow.put(inport, entry.leaf("outport"));
            }
        }
        slowPathOut = Map.copyOf(slow);
    }

    /** Forwarding through the slow path: what FORWARD does in the kernel, done in Java. */
    @Override
    public void packetIn(PacketIn packet) {
        Optional<String> out = slowPathOut.getOrDefault(packet.port(), Optional.empty());
        if (out.isEmpty()) {
            context.logger().debug("slow path: {} dropped (no outport for {})", packet, packet.port());
            return;
        }
        if (packet.truncated()) {
            context.logger().debug("slow path: {} dropped (truncated copy)", packet);
            return;
        }
        try {
            context.sendPacketOut(out.get(), Direction.EGRESS, packet.packet());
        } catch (CubeException e) {
            context.logger().debug("slow path: {} not sent out of {}: {}", packet, out.get(), e.getMessage());
        }
    }

    /** {@code struct action { __u32 action; __u32 outport; }} as the core writes it; for the data-path fixtures. */
    static byte[] encode(Action action, int outIndex) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(action.ordinal()).putInt(outIndex).array();
    }
}
