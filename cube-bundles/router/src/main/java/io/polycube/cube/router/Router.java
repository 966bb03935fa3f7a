package io.polycube.cube.router;

import io.polycube.core.api.Direction;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.PacketIn;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfMap;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The control plane of one router instance: validates the configuration and writes the address maps
 * (routes and static neighbours are bound tables, the core writes them), and is the slow path: ARP
 * resolution with a bounded wait queue, ICMP time-exceeded and destination-unreachable.
 */
final class Router implements CubeControl {
    /** Slow-path reasons of router.bpf.c. */
    static final int REASON_ARP_MISS = 1;
    static final int REASON_ARP_REPLY = 2;
    static final int REASON_TTL_EXCEEDED = 3;
    static final int REASON_NO_ROUTE = 4;

    private final CubeContext context;
    private final KernelTables tables = new KernelTables();
    private final Counters counters;
    private final ArpResolver resolver;
    private volatile RouterConfig config;

    Router(CubeContext context, ScheduledExecutorService timer) {
        this.context = context;
        this.counters = new Counters(context::dataplane);
        this.resolver = new ArpResolver(timer, new ArpResolver.Output() {
            @Override
            public void sendRequest(int nexthop, String outPort) {
                request(nexthop, outPort);
            }

            @Override
            public void dropped(boolean timeout, int packets) {
                count(timeout ? Counters.Counter.ARP_TIMEOUT_DROPS : Counters.Counter.ARP_QUEUE_DROPS, packets);
            }
        });
    }

    @Override
    public void configure(ConfigNode node) throws CubeException {
        RouterConfig next = RouterConfig.parse(node, context.instanceName(), context::portIndex);
        tables.apply(context.dataplane(), next);
        config = next;
        forgetStaleNeighbours(next);
    }

    @Override
    public void packetIn(PacketIn packet) {
        RouterConfig c = config;
        Optional<RouterConfig.Port> in = c.port(packet.port());
        if (in.isEmpty() || in.get().addresses().isEmpty()) {
            return;
        }
        switch (packet.reason()) {
            case REASON_ARP_MISS -> {
                Optional<RouterConfig.Port> out = c.port(packet.metadata(1));
                if (out.isPresent() && !packet.truncated()) {
                    resolver.miss(Ipv4.fromWire(packet.metadata(0)), out.get().name(),
                        new ArpResolver.Waiting(packet.port(), packet.packet()), c.arpQueueLength(), c.arpTimeoutMs());
                }
            }
            case REASON_ARP_REPLY -> {
                int neighbour = Ipv4.fromWire(packet.metadata(0));
                if (packet.metadata(1) != 0) {
                    evictFor(neighbour, Frames.arpSenderMac(packet.packet()), in.get().index());
                }
                for (ArpResolver.Waiting w : resolver.resolved(neighbour)) {
                    send(w.inPort(), Direction.INGRESS, w.frame());
                }
            }
            case REASON_TTL_EXCEEDED -> icmpError(packet, in.get(), 11, 0);
            case REASON_NO_ROUTE -> icmpError(packet, in.get(), 3, 0);
            default -> context.logger().debug("slow path: {} with an unknown reason", packet);
        }
    }

    @Override
    public void close() {
        resolver.clear();
    }

    private void icmpError(PacketIn packet, RouterConfig.Port in, int type, int code) {
        Frames.icmpError(packet.packet(), type, code, in.mac(), in.addresses().get(0).ip())
            .ifPresent(frame -> send(in.name(), Direction.EGRESS, frame));
    }

    private void request(int nexthop, String outPort) {
        RouterConfig c = config;
        Optional<RouterConfig.Port> port = c.port(outPort);
        Optional<RouterConfig.Address> from = port.flatMap(p -> p.addressFor(nexthop));
        if (from.isPresent()) {
            send(outPort, Direction.EGRESS, Frames.arpRequest(port.get().mac(), from.get().ip(), nexthop));
            count(Counters.Counter.ARP_REQUESTS, 1);
        }
    }

    /** The data path could not learn {@code neighbour} (table full): make room by evicting one learned entry. */
    private void evictFor(int neighbour, byte[] mac, int port) {
        try {
            BpfMap table = context.dataplane().map("arp_table");
            byte[] key = Ipv4.bytes(neighbour);
            for (byte[] other : table.keys()) {
                if (!Arrays.equals(other, key) && table.delete(other)) {
                    count(Counters.Counter.ARP_EVICTIONS, 1);
                    break;
                }
            }
            table.update(key, KernelTables.arpEntry(mac, port));
        } catch (BpfException e) {
            context.logger().warn("ARP entry for {} not written: {}", Ipv4.format(neighbour), e.getMessage());
        }
    }

    /** Learned entries for addresses now static, or no longer on a connected subnet of their port, go. */
    private void forgetStaleNeighbours(RouterConfig c) {
        try {
            BpfMap table = context.dataplane().map("arp_table");
            for (byte[] key : table.keys()) {
                int address = Ipv4.of(key, 0);
                Optional<byte[]> value = table.lookup(key);
                int port = value.map(v -> java.nio.ByteBuffer.wrap(v).order(java.nio.ByteOrder.nativeOrder()).getInt(8))
                    .orElse(-1);
                boolean onItsPort = c.port(port).flatMap(p -> p.addressFor(address)).isPresent();
                if (!onItsPort || c.staticNeighbours().contains(address)) {
                    table.delete(key);
                }
            }
        } catch (BpfException e) {
            context.logger().warn("stale ARP entries not removed: {}", e.getMessage());
        }
    }

    private void send(String port, Direction direction, byte[] frame) {
        try {
            context.sendPacketOut(port, direction, frame);
        } catch (CubeException e) {
            context.logger().debug("slow path: frame not sent {} {}: {}", direction, port, e.getMessage());
        }
    }

    private void count(Counters.Counter counter, int n) {
        try {
            counters.add(counter, n);
        } catch (BpfException e) {
            context.logger().debug("counter {} not written: {}", counter, e.getMessage());
        }
    }
}
