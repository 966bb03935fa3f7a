package io.polycube.cube.simplebridge;

import io.polycube.core.api.Direction;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.PacketIn;
import io.polycube.dataplane.api.BpfException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The control plane of one simplebridge: hands the aging time and the port range to the data path,
 * ages learned entries out of the filtering database, and sends the flood copies the kernel cannot
 * make for ports whose peer is another cube (see {@code pcn/flood.h}). Learning and forwarding are the
 * data path's; static entries are a zero-code table.
 */
final class SimpleBridge implements CubeControl {
    /** PCN_REASON_FLOOD and PCN_FLOOD_NONE of pcn/flood.h. */
    static final int REASON_FLOOD = 0xf100;
    static final int FLOOD_NONE = 0xffff;

    private final CubeContext context;
    private final ScheduledFuture<?> sweeper;
    /** Port index -> name, and the names whose peer is a cube; replaced whole on configure. */
    private volatile Map<Integer, String> ports = Map.of();
    private volatile Set<String> cubePorts = Set.of();
    private volatile long agingNanos = 300_000_000_000L;

    SimpleBridge(CubeContext context, ScheduledExecutorService aging) {
        this.context = context;
        this.sweeper = aging.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void configure(ConfigNode config) throws CubeException {
        Map<Integer, String> indexes = new HashMap<>();
        Set<String> cubes = new HashSet<>();
        for (ConfigNode port : config.list("ports")) {
            String name = port.leaf("name").orElseThrow();
            context.portIndex(name).ifPresent(i -> indexes.put(i, name));
            if (port.leaf("peer").orElse("").contains(":")) {
                cubes.add(name);
            }
        }
        long aging = TimeUnit.SECONDS.toNanos(Long.parseLong(config.leaf("aging-time").orElse("300")));
        int bound = indexes.keySet().stream().mapToInt(i -> i + 1).max().orElse(0);
        Fdb fdb = new Fdb(context.dataplane());
        try {
            // Learned state only (the data path relearns it): entries a static one overrides, or on ports gone.
            fdb.removeIf((mac, port, seen) -> !indexes.containsKey(port) || fdb.isStatic(mac));
            fdb.writeConfig(aging, bound); // last: one map write, so a failure before it changes no setting
        } catch (BpfException e) {
            throw new CubeException(CubeException.Kind.OPERATION_FAILED, "simplebridge " + context.instanceName()
                + ": " + e.getMessage(), e);
        }
        ports = Map.copyOf(indexes);
        cubePorts = Set.copyOf(cubes);
        agingNanos = aging;
    }

    /** {@code flush}: one learned entry ({@code address}) or all of them; static entries stay. */
    @Override
    public void action(String name, ConfigNode input) throws CubeException {
        if (!name.equals("flush")) {
            CubeControl.super.action(name, input);
            return;
        }
        Optional<String> address = input.leaf("address");
        Optional<byte[]> only = address.map(SimpleBridge::mac);
        if (address.isPresent() && only.isEmpty()) {
            throw CubeException.invalid("address '" + address.get() + "' is not a MAC address (xx:xx:xx:xx:xx:xx)");
        }
        try {
            new Fdb(context.dataplane()).removeIf((mac, port, seen) -> only.isEmpty() || Arrays.equals(mac, only.get()));
        } catch (BpfException e) {
            throw new CubeException(CubeException.Kind.OPERATION_FAILED, "flush: " + e.getMessage(), e);
        }
    }

    /** The 6 bytes of {@code xx:xx:xx:xx:xx:xx}, or null. */
    static byte[] mac(String text) {
        if (!text.matches("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}")) {
            return null;
        }
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) Integer.parseInt(text.substring(3 * i, 3 * i + 2), 16);
        }
        return mac;
    }

    /** Removes learned entries older than the aging time (the data path already ignores them). */
    private void sweep() {
        long now = System.nanoTime(); // CLOCK_MONOTONIC on Linux, the clock of bpf_ktime_get_ns()
        long aging = agingNanos;
        try {
            new Fdb(context.dataplane()).removeIf((mac, port, seen) -> now - seen > aging);
        } catch (BpfException | RuntimeException e) {
            context.logger().debug("aging sweep of {} skipped: {}", context.instanceName(), e.toString());
        }
    }

    /** A flood copy for the ports the kernel could not serve: every cube port but the input one (or all). */
    @Override
    public void packetIn(PacketIn packet) {
        if (packet.reason() != REASON_FLOOD || packet.truncated()) {
            return;
        }
        int served = packet.metadata(0);
        boolean all = packet.metadata(1) == 1;
        Set<String> cubes = cubePorts;
        for (Map.Entry<Integer, String> port : ports.entrySet()) {
            String name = port.getValue();
            if (name.equals(packet.port()) || port.getKey() == served || !all && !cubes.contains(name)) {
                continue;
            }
            try {
                context.sendPacketOut(name, Direction.EGRESS, packet.packet());
            } catch (CubeException e) {
                context.logger().debug("flood copy to {} not sent: {}", name, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        sweeper.cancel(false);
    }
}
