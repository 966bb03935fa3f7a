package io.polycube.cube.simplefwd;

import io.polycube.core.api.Direction;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.PacketIn;
import io.polycube.dataplane.api.BpfArrayMap;
import io.polycube.dataplane.api.BpfException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Control plane of one simplefwd instance: keeps the {@code actions} table equal to the configuration,
 * and is the slow path of SLOWPATH ports: their packets arrive here and leave through the action's
 * {@code outport} (packet_out EGRESS), or are logged and dropped when it has none.
 */
final class SimpleFwd implements CubeControl {
    /** Values of the data path's action enum in simplefwd.bpf.c. */
    enum Action { DROP, SLOWPATH, FORWARD }

    private static final byte[] NO_ACTION = encode(Action.DROP, 0);

    private final CubeContext context;
    private Map<Integer, byte[]> written = Map.of();
    /** SLOWPATH input port name -> its outport, if any; replaced whole, read by the slow-path thread. */
    private volatile Map<String, Optional<String>> slowPathOut = Map.of();

    SimpleFwd(CubeContext context) {
        this.context = context;
    }

    @Override
    public void configure(ConfigNode config) throws CubeException {
        Map<Integer, byte[]> wanted = new HashMap<>();
        Map<String, Optional<String>> slow = new HashMap<>();
        for (ConfigNode entry : config.list("actions")) {
            String inport = entry.leaf("inport").orElseThrow();
            Action action = Action.valueOf(entry.leaf("action").orElse("DROP"));
            int outIndex = 0;
            if (action == Action.FORWARD) {
                String outport = entry.leaf("outport").orElseThrow(() -> CubeException.invalid(
                    "action FORWARD on port " + inport + " needs an outport"));
                outIndex = index(outport);
            } else if (action == Action.SLOWPATH) {
                slow.put(inport, entry.leaf("outport"));
            }
            wanted.put(index(inport), encode(action, outIndex));
        }
        try {
            // Fetched each time: a reload swaps the object (the kernel map stays the same).
            BpfArrayMap actions = context.dataplane().arrayMap("actions");
            for (Map.Entry<Integer, byte[]> entry : wanted.entrySet()) {
                actions.set(entry.getKey(), entry.getValue());
            }
            for (Integer stale : written.keySet()) {
                if (!wanted.containsKey(stale)) {
                    actions.set(stale, NO_ACTION);
                }
            }
        } catch (BpfException e) {
            throw new CubeException(CubeException.Kind.OPERATION_FAILED, "updating actions failed: " + e.getMessage(), e);
        }
        written = wanted;
        slowPathOut = Map.copyOf(slow);
        context.logger().debug("{} actions configured", wanted.size());
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

    private int index(String port) throws CubeException {
        return context.portIndex(port).orElseThrow(() -> CubeException.invalid("no port named " + port));
    }

    /** struct action { __u32 action; __u32 outport; } */
    static byte[] encode(Action action, int outIndex) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(action.ordinal()).putInt(outIndex).array();
    }

    @Override
    public void close() {
        // The table dies with the data path, which the core frees.
    }
}
