package io.polycube.cube.bridge;

import io.polycube.core.api.Direction;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.PacketIn;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.Netdevs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * The control plane of one bridge: checks what YANG cannot (native VLAN among the allowed ones, static
 * entries on a member port), writes the ports' VLANs, the XDP flood devmap and the aging time to the
 * data path, ages learned entries, and sends the flood copies the kernel cannot make for ports whose
 * peer is another cube (see {@code pcn/flood.h}). Learning, tagging and forwarding are the data path's;
 * static entries are a zero-code table.
 */
final class Bridge implements CubeControl {
    /** PCN_REASON_FLOOD of pcn/flood.h. */
    static final int REASON_FLOOD = 0xf100;
    static final String EGRESS_PROGRAM = "bridge_egress";

    private final CubeContext context;
    private final ScheduledFuture<?> sweeper;
    /** Port index -> name, VLANs, and the names whose peer is a cube; replaced whole on configure. */
    private volatile Map<Integer, String> ports = Map.of();
    private volatile Map<Integer, VlanPort> vlans = Map.of();
    private volatile Set<String> cubePorts = Set.of();
    private volatile long agingNanos = 300_000_000_000L;

    Bridge(CubeContext context, ScheduledExecutorService aging) {
        this.context = context;
        this.sweeper = aging.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void configure(ConfigNode config) throws CubeException {
        Map<Integer, String> indexes = new HashMap<>();
        Map<Integer, VlanPort> byIndex = new HashMap<>();
        Map<String, VlanPort> byName = new HashMap<>();
        Map<Integer, Integer> netdevs = new HashMap<>();
        Set<String> cubes = new HashSet<>();
        for (ConfigNode port : config.list("ports")) {
            String name = port.leaf("name").orElseThrow();
            VlanPort vlanPort = VlanPort.of(port);
            byName.put(name, vlanPort);
            String peer = port.leaf("peer").orElse("");
            if (peer.contains(":")) {
                cubes.add(name);
            }
            var index = context.portIndex(name);
            if (index.isPresent()) {
                indexes.put(index.getAsInt(), name);
                byIndex.put(index.getAsInt(), vlanPort);
                if (!peer.isEmpty() && !peer.contains(":")) {
                    Netdevs.ifindex(peer).ifPresent(ifindex -> netdevs.put(index.getAsInt(), ifindex));
                }
            }
        }
        for (ConfigNode entry : config.list("static-entries")) {
            int vlan = Integer.parseInt(entry.leaf("vlan").orElseThrow());
            String port = entry.leaf("port").orElseThrow();
            if (!byName.containsKey(port) || !byName.get(port).isMember(vlan)) {
                throw CubeException.invalid("static entry " + entry.leaf("address").orElse("") + ": port " + port
                    + " is not a member of VLAN " + vlan);
            }
        }
        long aging = TimeUnit.SECONDS.toNanos(Long.parseLong(config.leaf("aging-time").orElse("300")));
        int bound = indexes.keySet().stream().mapToInt(i -> i + 1).max().orElse(0);
        BpfObject dataplane = context.dataplane();
        try {
            var map = dataplane.arrayMap("vlan_ports");
            byte[] none = new byte[VlanPort.SIZE];
            for (int i = 0; i < Math.max(bound, ports.keySet().stream().mapToInt(p -> p + 1).max().orElse(0)); i++) {
                map.set(i, byIndex.containsKey(i) ? byIndex.get(i).bytes() : none);
            }
            if (context.hook().isXdp()) {
                writeFloodDevmap(dataplane, netdevs);
            }
            Fdb fdb = new Fdb(dataplane);
            // Learned state only (the data path relearns it): on ports gone or out of the VLAN, or overridden.
            fdb.removeIf((vlan, mac, port, seen) -> !byIndex.containsKey(port) || !byIndex.get(port).isMember(vlan)
                || fdb.isStatic(Fdb.key(vlan, mac)));
            dataplane.arrayMap("bridge_config").set(0, Fdb.config(aging, bound));
        } catch (BpfException e) {
            throw new CubeException(CubeException.Kind.OPERATION_FAILED, "bridge " + context.instanceName()
                + ": " + e.getMessage(), e);
        }
        ports = Map.copyOf(indexes);
        vlans = Map.copyOf(byIndex);
        cubePorts = Set.copyOf(cubes);
        agingNanos = aging;
    }

    /** vlan_flood: every netdev port with the egress program that keeps a flood copy inside its VLAN. */
    static void writeFloodDevmap(BpfObject dataplane, Map<Integer, Integer> netdevs) throws BpfException {
        var devmap = dataplane.map("vlan_flood");
        int egress = dataplane.program(EGRESS_PROGRAM).fd();
        for (int i = 0; i < devmap.maxEntries(); i++) {
            byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(i).array();
            Integer ifindex = netdevs.get(i);
            if (ifindex != null) {
                devmap.update(key, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(ifindex).putInt(egress).array());
            } else {
                devmap.delete(key);
            }
        }
    }

    /** {@code flush}: the learned entries of {@code vlan} and/or {@code address}, or all; static entries stay. */
    @Override
    public void action(String name, ConfigNode input) throws CubeException {
        if (!name.equals("flush")) {
            CubeControl.super.action(name, input);
            return;
        }
        Optional<String> address = input.leaf("address");
        Optional<byte[]> only = address.map(Bridge::mac);
        if (address.isPresent() && only.isEmpty()) {
            throw CubeException.invalid("address '" + address.get() + "' is not a MAC address (xx:xx:xx:xx:xx:xx)");
        }
        int vlanOnly = input.leaf("vlan").map(Integer::parseInt).orElse(0);
        try {
            new Fdb(context.dataplane()).removeIf((vlan, mac, port, seen) -> (vlanOnly == 0 || vlan == vlanOnly)
                && (only.isEmpty() || Arrays.equals(mac, only.get())));
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
            new Fdb(context.dataplane()).removeIf((vlan, mac, port, seen) -> now - seen > aging);
        } catch (BpfException | RuntimeException e) {
            context.logger().debug("aging sweep of {} skipped: {}", context.instanceName(), e.toString());
        }
    }

    /**
     * A flood copy (md[2]: its VLAN) for the ports the kernel could not serve: every cube port of the VLAN
     * but the input one and the one served by tail call (md[0]), or every member port (md[1] == 1).
     */
    @Override
    public void packetIn(PacketIn packet) {
        if (packet.reason() != REASON_FLOOD || packet.truncated()) {
            return;
        }
        int served = packet.metadata(0);
        boolean all = packet.metadata(1) == 1;
        int vlan = packet.metadata(2);
        Set<String> cubes = cubePorts;
        Map<Integer, VlanPort> members = vlans;
        for (Map.Entry<Integer, String> port : ports.entrySet()) {
            String name = port.getValue();
            VlanPort vp = members.get(port.getKey());
            if (name.equals(packet.port()) || port.getKey() == served || !all && !cubes.contains(name)
                    || vp == null || !vp.isMember(vlan)) {
                continue;
            }
            try {
                context.sendPacketOut(name, Direction.EGRESS, frame(packet.packet(), vlan, vp.leavesTagged(vlan)));
            } catch (CubeException e) {
                context.logger().debug("flood copy to {} not sent: {}", name, e.getMessage());
            }
        }
    }

    /** The frame untagged, or tagged with vlan (whatever tag it had in line is replaced). */
    static byte[] frame(byte[] frame, int vlan, boolean tagged) {
        boolean hasTag = frame.length >= 18 && (frame[12] & 0xff) == 0x81 && frame[13] == 0;
        byte[] bare = hasTag ? concat(Arrays.copyOfRange(frame, 0, 12), Arrays.copyOfRange(frame, 16, frame.length)) : frame;
        if (!tagged) {
            return bare;
        }
        byte[] tag = {(byte) 0x81, 0, (byte) (vlan >> 8), (byte) vlan};
        return concat(concat(Arrays.copyOfRange(bare, 0, 12), tag), Arrays.copyOfRange(bare, 12, bare.length));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public void close() {
        sweeper.cancel(false);
    }
}
