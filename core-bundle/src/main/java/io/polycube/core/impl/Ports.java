package io.polycube.core.impl;

import static io.polycube.core.impl.DataplaneLayout.MAX_PORTS;
import static io.polycube.core.impl.DataplaneLayout.PEER_CUBE;
import static io.polycube.core.impl.DataplaneLayout.PEER_LINK;
import static io.polycube.core.impl.DataplaneLayout.PEER_NETDEV;
import static io.polycube.core.impl.DataplaneLayout.PEER_NONE;
import static io.polycube.core.impl.DataplaneLayout.port;
import static io.polycube.core.impl.DataplaneLayout.u32;

import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.HookType;
import io.polycube.core.spi.PortCounters;
import io.polycube.dataplane.api.BpfArrayMap;
import io.polycube.dataplane.api.BpfDevMap;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfHashMap;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfPerCpuArrayMap;
import io.polycube.dataplane.api.BpfProgram;
import io.polycube.dataplane.api.Netdevs;
import io.polycube.dataplane.api.TcDirection;
import io.polycube.dataplane.api.XdpMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The ports of one instance and their bindings to netdevs: data-path index allocation, the
 * framework maps ({@code pcn_ports}, {@code pcn_port_of_ifindex}, {@code pcn_tx_devmap}) and the
 * attachment of the entry program to each netdev peer; a cube peer is a {@code pcn_ports} entry
 * naming the peer's patch-panel slot. A port keeps its index while it exists, also when
 * its peer changes, so the cube's own tables stay valid.
 */
final class Ports implements AutoCloseable {
    private static final int EBUSY = 16;
    private static final int EEXIST = 17;
    private static final int EOPNOTSUPP = 95;

    private final HookType hook;
    private final InstancePins pins;
    private boolean inheritCounters;
    /** While taking over: the panel slots whose kept hand-offs stay (Chaining.inheritable). */
    private java.util.function.IntPredicate keptSlots = slot -> false;
    private final NetdevClaims claims;
    private final String owner;
    // Handles of the current MASTER object; swapObject() moves them to a reloaded one.
    private BpfObject object;
    private BpfArrayMap portOfIfindex;
    private BpfHashMap portOfBigIfindex;
    private BpfArrayMap portTable;
    private BpfDevMap devmap;
    private final PortCounterTable counters;
    private io.polycube.dataplane.api.BpfProgArray peerProgs;
    private final Map<String, PortBinding> bindings = new LinkedHashMap<>();
    private final BitSet used = new BitSet(MAX_PORTS);
    private static final byte[] NO_PEER = port(PEER_NONE, 0, 0);
    // What the kernel maps hold, so that a reconciliation writes only what changes.
    private final Map<Integer, byte[]> portEntries = new HashMap<>();
    private final Map<Integer, Integer> devmapEntries = new HashMap<>();
    private final Map<String, Integer> ingressSlots = new HashMap<>();
    private final Map<Integer, BpfProgram> peerPrograms = new HashMap<>();
    /** After a take-over: indexes whose pcn_peer_progs entry is the earlier polycubed's, unknown here. */
    private final BitSet peerProgramsUnknown = new BitSet(MAX_PORTS);
    private final java.util.Set<String> cubeLinked = new java.util.HashSet<>();

    Ports(BpfObject object, HookType hook, NetdevClaims claims, String owner) {
        this(object, hook, claims, owner, null);
    }

    /** With {@code pins} (nullable): netdev attachments are pinned there, and taken over from there. */
    Ports(BpfObject object, HookType hook, NetdevClaims claims, String owner, InstancePins pins) {
        this.pins = pins;
        this.hook = hook;
        this.claims = claims;
        this.owner = owner;
        this.counters = new PortCounterTable(object.perCpuArrayMap(DataplaneLayout.MAP_PORT_STATS));
        useObject(object);
    }

    private void useObject(BpfObject object) {
        this.object = object;
        this.portOfIfindex = object.arrayMap(DataplaneLayout.MAP_PORT_OF_IFINDEX);
        this.portOfBigIfindex = object.hashMap(DataplaneLayout.MAP_PORT_OF_BIG_IFINDEX);
        this.portTable = object.arrayMap(DataplaneLayout.MAP_PORTS);
        this.devmap = hook.isXdp() ? object.devMap(DataplaneLayout.MAP_TX_DEVMAP) : null;
        this.peerProgs = object.progArray(DataplaneLayout.MAP_PEER_PROGS);
    }

    /** The port's counters summed over CPUs. */
    synchronized Optional<PortCounters> counters(String portName) {
        PortBinding binding = bindings.get(portName);
        return binding == null ? Optional.empty() : Optional.of(allCounters().get(portName));
    }

    /** Every port's counters, from one read of the per-CPU table (a GET of the state reads it once). */
    synchronized Map<String, PortCounters> allCounters() {
        try {
            Map<Integer, PortCounters> byIndex = counters.read(bindings.values().stream().map(PortBinding::index).toList());
            Map<String, PortCounters> all = new HashMap<>();
            bindings.values().forEach(b -> all.put(b.name(), byIndex.get(b.index())));
            return all;
        } catch (BpfException e) {
            throw new IllegalStateException("reading the port counters failed: " + e.getMessage(), e);
        }
    }

    /** What pcn_ports[index] holds (the last value written), without asking the kernel. */
    synchronized DataplaneLayout.PortValue portEntry(int index) {
        return DataplaneLayout.PortValue.decode(portEntries.getOrDefault(index, NO_PEER));
    }

    /**
     * The program a port's netdev runs: the port's own pcn_link program (its input port a constant, so
     * no ifindex lookup per packet), or pcn_entry, which looks the port up and hands packets to the
     * port's ingress transparent cubes first (slot != 0) or serves a port beyond PCN_LINK_PORTS.
     */
    private static BpfProgram netdevProgram(BpfObject object, int index, int ingressSlot) {
        BpfProgram entry = object.program(DataplaneLayout.ENTRY_PROGRAM);
        return ingressSlot == 0 ? DataplaneLayout.linkProgram(object, index).orElse(entry) : entry;
    }

    /**
     * Moves every attachment to {@code next}'s program for it (atomic replace per device) and the map
     * handles to {@code next}, whose maps are the same kernel maps. Undone in reverse on failure.
     */
    synchronized void swapObject(BpfObject next, Undo undo) throws CubeException {
        BpfObject previous = object;
        for (PortBinding binding : bindings.values()) {
            if (binding.link().isPresent()) {
                BpfLink link = binding.link().get();
                int slot = ingressSlots.getOrDefault(binding.name(), 0);
                replace(binding, link, netdevProgram(next, binding.index(), slot));
                undo.push(() -> link.replace(netdevProgram(previous, binding.index(), slot)));
            }
        }
        BpfArrayMap previousPortOfIfindex = portOfIfindex;
        BpfHashMap previousPortOfBigIfindex = portOfBigIfindex;
        BpfArrayMap previousPortTable = portTable;
        BpfDevMap previousDevmap = devmap;
        BpfPerCpuArrayMap previousStats = counters.use(next.perCpuArrayMap(DataplaneLayout.MAP_PORT_STATS));
        io.polycube.dataplane.api.BpfProgArray previousPeerProgs = peerProgs;
        useObject(next);
        undo.push(() -> {
            object = previous;
            portOfIfindex = previousPortOfIfindex;
            portOfBigIfindex = previousPortOfBigIfindex;
            portTable = previousPortTable;
            devmap = previousDevmap;
            counters.use(previousStats);
            peerProgs = previousPeerProgs;
        });
    }

    synchronized Optional<String> nameOf(int index) {
        return bindings.values().stream().filter(b -> b.index() == index).map(PortBinding::name).findFirst();
    }

    synchronized OptionalInt index(String portName) {
        PortBinding binding = bindings.get(portName);
        return binding == null ? OptionalInt.empty() : OptionalInt.of(binding.index());
    }

    synchronized List<PortBinding> bindings() {
        return List.copyOf(bindings.values());
    }

    /**
     * Makes the ports match {@code plan}; every kernel step is recorded in {@code undo}. Links to
     * cube peers are left to the reconciliation ({@code Chaining.reconcile}), which the instance
     * manager drives because a link needs both cubes.
     */
    synchronized void apply(PortPlan plan, Undo undo) throws CubeException {
        Map<String, Integer> ifindexes = resolve(plan);
        for (PortBinding binding : List.copyOf(bindings.values())) {
            if (!plan.peers().containsKey(binding.name())) {
                remove(binding, undo);
            } else if (!plan.peers().get(binding.name()).equals(binding.peer()) && binding.peer().isPresent()) {
                disconnect(binding, undo);
            }
        }
        for (Map.Entry<String, Optional<Peer>> wanted : plan.peers().entrySet()) {
            String name = wanted.getKey();
            if (!bindings.containsKey(name)) {
                add(name, undo);
            }
            PortBinding binding = bindings.get(name);
            if (wanted.getValue().isEmpty() || binding.peer().isPresent()) {
                continue;
            }
            if (wanted.getValue().get() instanceof Peer.Netdev netdev) {
                connect(binding, netdev.device(), ifindexes.get(name), undo);
            } else {
                PortBinding previous = binding;
                bindings.put(name, new PortBinding(name, binding.index(), wanted.getValue(), 0, Optional.empty()));
                undo.push(() -> bindings.put(name, previous));
            }
        }
        inheritCounters = false;
    }

    /** Writes pcn_ports[index] unless it already holds {@code value}; undone by writing the old value back. */
    synchronized void setPortEntry(int index, byte[] value, Undo undo) throws CubeException {
        byte[] previous = portEntries.getOrDefault(index, NO_PEER);
        if (Arrays.equals(previous, value)) {
            return;
        }
        write(index, value);
        undo.push(() -> write(index, previous));
    }

    private void write(int index, byte[] value) throws CubeException {
        try {
            portTable.set(index, value);
            portEntries.put(index, value);
        } catch (BpfException e) {
            throw CubeInstance.failed("port index " + index + ": " + e.getMessage(), e);
        }
    }

    /** pcn_peer_progs[index]: the program that receives what leaves through the port towards a cube. */
    synchronized void setPeerProgram(int index, Optional<BpfProgram> program, Undo undo) throws CubeException {
        BpfProgram previous = peerPrograms.get(index);
        BpfProgram wanted = program.orElse(null);
        if (previous == wanted && !peerProgramsUnknown.get(index)) {
            return;
        }
        writePeerProgram(index, wanted);
        undo.push(() -> writePeerProgram(index, previous));
    }

    private void writePeerProgram(int index, BpfProgram program) throws CubeException {
        try {
            if (program == null) {
                peerProgs.clear(index);
                peerPrograms.remove(index);
            } else {
                peerProgs.set(index, program);
                peerPrograms.put(index, program);
            }
            peerProgramsUnknown.clear(index);
        } catch (BpfException e) {
            throw CubeInstance.failed("port index " + index + ": linking to the peer's program failed: " + e.getMessage(), e);
        }
    }

    /** XDP: the devmap slot of a port (0: empty, so pcn_pkt_redirect() falls back to pcn_ports). */
    synchronized void setDevmap(int index, int ifindex, Undo undo) throws CubeException {
        if (devmap == null) {
            return;
        }
        int previous = devmapEntries.getOrDefault(index, 0);
        if (previous == ifindex) {
            return;
        }
        writeDevmap(index, ifindex);
        undo.push(() -> writeDevmap(index, previous));
    }

    private void writeDevmap(int index, int ifindex) throws CubeException {
        try {
            if (ifindex == 0) {
                devmap.clear(index);
                devmapEntries.remove(index);
            } else {
                devmap.set(index, ifindex);
                devmapEntries.put(index, ifindex);
            }
        } catch (BpfException e) {
            throw CubeInstance.failed("devmap slot " + index + ": " + e.getMessage(), e);
        }
    }

    /**
     * The first transparent cube on a port's ingress (0: none): recorded for packet_out, and for a
     * netdev-bound port written into pcn_port_of_ifindex, where the entry program finds it.
     */
    synchronized void setIngressSlot(String portName, int slot, Undo undo) throws CubeException {
        PortBinding binding = bindings.get(portName);
        if (binding == null) {
            return;
        }
        if (!binding.hasNetdev()) {
            Integer previous = slot == 0 ? ingressSlots.remove(portName) : ingressSlots.put(portName, slot);
            undo.push(() -> {
                if (previous == null) {
                    ingressSlots.remove(portName);
                } else {
                    ingressSlots.put(portName, previous);
                }
            });
            return;
        }
        int previous = ingressSlots.getOrDefault(portName, 0);
        if (previous == slot) {
            return;
        }
        // The inverse first: a failed program swap after the map write is undone too.
        undo.push(() -> writeIngressSlot(binding, previous));
        writeIngressSlot(binding, slot);
    }

    /** The ifindex entry first, then the program: pcn_entry reads the slot there, a pcn_link program would not. */
    private void writeIngressSlot(PortBinding binding, int slot) throws CubeException {
        try {
            mapIfindex(binding.ifindex(), binding.index() | (slot << 16));
            ingressSlots.put(binding.name(), slot);
        } catch (BpfException e) {
            throw CubeInstance.failed("port " + binding.name() + ": " + e.getMessage(), e);
        }
        if (binding.link().isPresent()) {
            replace(binding, binding.link().get(), netdevProgram(object, binding.index(), slot));
        }
    }

    private static void replace(PortBinding binding, BpfLink link, BpfProgram program) throws CubeException {
        try {
            link.replace(program);
        } catch (BpfException e) {
            throw CubeInstance.failed("port " + binding.name() + ": replacing the program failed: " + e.getMessage(), e);
        }
    }

    /** The patch-panel slot of the first transparent cube on a port's ingress; 0: none. */
    synchronized int ingressSlot(String portName) {
        return ingressSlots.getOrDefault(portName, 0);
    }

    /** Whether the port's cube peer link is up (for the status leaf); set by the reconciliation. */
    synchronized void setCubeLinked(String portName, boolean linked) {
        if (linked) {
            cubeLinked.add(portName);
        } else {
            cubeLinked.remove(portName);
        }
    }

    synchronized boolean cubeLinked(String portName) {
        return cubeLinked.contains(portName);
    }

    /** Checks every peer before any kernel state changes. */
    private Map<String, Integer> resolve(PortPlan plan) throws CubeException {
        Map<String, Integer> ifindexes = new HashMap<>();
        Map<Integer, String> byIfindex = new HashMap<>();
        for (Map.Entry<String, Optional<Peer>> wanted : plan.peers().entrySet()) {
            if (wanted.getValue().isEmpty() || !(wanted.getValue().get() instanceof Peer.Netdev netdev)) {
                continue;
            }
            String port = wanted.getKey();
            String peer = netdev.device();
            OptionalInt ifindex = Netdevs.ifindex(peer);
            if (ifindex.isEmpty()) {
                throw CubeException.invalid("port " + port + ": peer netdev '" + peer + "' does not exist");
            }
            NetdevClaims.refuseLoopback(ifindex.getAsInt(), "port " + port + ": peer netdev '" + peer + "'");
            String other = byIfindex.putIfAbsent(ifindex.getAsInt(), port);
            if (other != null) {
                throw CubeException.invalid("ports " + other + " and " + port + " both have peer " + peer);
            }
            Optional<String> claimant = claims.owner(ifindex.getAsInt());
            if (claimant.isPresent() && !claimant.get().startsWith(owner + " port ")) {
                throw new CubeException(CubeException.Kind.CONFLICT,
                    "port " + port + ": netdev " + peer + " is already the peer of " + claimant.get());
            }
            ifindexes.put(port, ifindex.getAsInt());
        }
        return ifindexes;
    }

    private void add(String name, Undo undo) throws CubeException {
        int index = used.nextClearBit(0);
        if (index >= MAX_PORTS) {
            throw CubeException.invalid("a cube has at most " + MAX_PORTS + " ports");
        }
        try {
            // The index may have served a deleted port: its counts are not this port's. Unless the counters are
            // this very port's, kept by an earlier polycubed's pins (a crash): then they count on.
            if (!inheritCounters) {
                counters.startAt(index);
            }
        } catch (BpfException e) {
            throw CubeInstance.failed("port " + name + ": reading counters failed: " + e.getMessage(), e);
        }
        used.set(index);
        bindings.put(name, PortBinding.unconnected(name, index));
        undo.push(() -> {
            bindings.remove(name);
            used.clear(index);
        });
    }

    private void remove(PortBinding binding, Undo undo) throws CubeException {
        if (binding.peer().isPresent()) {
            disconnect(binding, undo);
        }
        setPortEntry(binding.index(), NO_PEER, undo);
        setPeerProgram(binding.index(), Optional.empty(), undo);
        cubeLinked.remove(binding.name());
        bindings.remove(binding.name());
        used.clear(binding.index());
        undo.push(() -> {
            used.set(binding.index());
            bindings.put(binding.name(), PortBinding.unconnected(binding.name(), binding.index()));
        });
    }

    private void connect(PortBinding binding, String peer, int ifindex, Undo undo) throws CubeException {
        String claim = owner + " port " + binding.name();
        int index = binding.index();
        try {
            claims.claim(ifindex, claim);
            undo.push(() -> claims.release(ifindex, claim));
            DataplaneLayout.PortValue kept = portEntry(index);
            if (!inheritCounters || !(kept.peerKind() == PEER_CUBE || kept.peerKind() == PEER_LINK)) {
                // (Taking over, a port whose egress transparent cubes come first keeps that hand-off.)
                setPortEntry(index, port(PEER_NETDEV, 0, ifindex), undo);
            }
            setDevmap(index, ifindex, undo);
            Optional<byte[]> keptWord = inheritCounters ? ifindexWord(ifindex) : Optional.empty();
            int ingressSlot = keptWord.map(word -> keptIngressSlot(word, index)).orElse(0);
            mapIfindex(ifindex, index | ingressSlot << 16);
            // Taking over, the earlier program still reads the kept word: a rollback puts it back.
            undo.push(() -> {
                if (keptWord.isPresent()) {
                    writeIfindexWord(ifindex, keptWord.get());
                } else {
                    unmapIfindex(ifindex);
                }
            });
            if (ingressSlot != 0) {
                ingressSlots.put(binding.name(), ingressSlot);
                undo.push(() -> ingressSlots.remove(binding.name()));
            }
            // A transparent cube attached to this free device steps aside; the reconciliation then puts it
            // on this port's ingress.
            Optional<NetdevClaims.Yield> holder = claims.transparentHolder(ifindex);
            if (holder.isPresent()) {
                holder.get().leave(undo);
            }
            BpfLink link = attachEntry(netdevProgram(object, index, ingressSlot), hook, ifindex, false,
                "port " + binding.name(), peer, pins);
            undo.push(link::close);
            bindings.put(binding.name(), new PortBinding(binding.name(), index, Optional.of(new Peer.Netdev(peer)),
                ifindex, Optional.of(link)));
            undo.push(() -> bindings.put(binding.name(), binding));
        } catch (BpfException e) {
            throw CubeInstance.failed("port " + binding.name() + ": " + e.getMessage(), e);
        }
    }

    private void disconnect(PortBinding binding, Undo undo) throws CubeException {
        if (!binding.hasNetdev()) {
            setPortEntry(binding.index(), NO_PEER, undo);
            setPeerProgram(binding.index(), Optional.empty(), undo);
            cubeLinked.remove(binding.name());
            bindings.put(binding.name(), PortBinding.unconnected(binding.name(), binding.index()));
            undo.push(() -> bindings.put(binding.name(), binding));
            return;
        }
        binding.link().ifPresent(BpfLink::close);
        String device = ((Peer.Netdev) binding.peer().orElseThrow()).device();
        undo.push(() -> connect(PortBinding.unconnected(binding.name(), binding.index()), device, binding.ifindex(),
            new Undo()));
        try {
            unmapIfindex(binding.ifindex());
            ingressSlots.remove(binding.name());
        } catch (BpfException e) {
            throw CubeInstance.failed("port " + binding.name() + ": " + e.getMessage(), e);
        }
        setDevmap(binding.index(), 0, undo);
        setPortEntry(binding.index(), NO_PEER, undo);
        claims.release(binding.ifindex(), owner + " port " + binding.name());
        bindings.put(binding.name(), PortBinding.unconnected(binding.name(), binding.index()));
    }

    /** The entry program's ifindex -> port lookup: a direct array slot, or the hash for large ifindexes. */
    /** {@code indexAndSlot}: port index in the low 16 bits, first ingress transparent slot above. */
    private void mapIfindex(int ifindex, int indexAndSlot) throws BpfException {
        int value = (indexAndSlot & 0xffff) + 1 | (indexAndSlot & 0xffff0000);
        writeIfindexWord(ifindex, u32(value));
    }

    private Optional<byte[]> ifindexWord(int ifindex) throws BpfException {
        return ifindex < DataplaneLayout.IFINDEX_DIRECT ? Optional.of(portOfIfindex.get(ifindex))
            : portOfBigIfindex.lookup(u32(ifindex));
    }

    private void writeIfindexWord(int ifindex, byte[] word) throws BpfException {
        if (ifindex < DataplaneLayout.IFINDEX_DIRECT) {
            portOfIfindex.set(ifindex, word);
        } else {
            portOfBigIfindex.update(u32(ifindex), word);
        }
    }

    private void unmapIfindex(int ifindex) throws BpfException {
        if (ifindex < DataplaneLayout.IFINDEX_DIRECT) {
            portOfIfindex.set(ifindex, u32(0));
        } else {
            portOfBigIfindex.delete(u32(ifindex));
        }
    }

    /**
     * Attaches a cube's entry program to a netdev at its hook ({@code egress}: TC only), turning the
     * kernel's refusals into the errors a user can act on. {@code who} names the port or cube.
     */
    static BpfLink attachEntry(BpfProgram entry, HookType hook, int ifindex, boolean egress, String who, String device)
            throws CubeException {
        return attachEntry(entry, hook, ifindex, egress, who, device, null);
    }

    /**
     * As above, pinned under {@code pins} (if given) so the attachment outlives polycubed; an attachment an
     * earlier polycubed pinned there and left in place (a crash) is taken over by one atomic replace instead:
     * the device never goes without a program.
     */
    static BpfLink attachEntry(BpfProgram entry, HookType hook, int ifindex, boolean egress, String who, String device,
            InstancePins pins) throws CubeException {
        java.nio.file.Path pin = null;
        if (pins != null) {
            try {
                pin = pins.link(hook, ifindex, egress);
            } catch (java.io.IOException e) {
                throw CubeInstance.failed(who + ": cannot pin its attachment to " + device + ": " + e.getMessage(), e);
            }
            Optional<BpfLink> left = InstancePins.adopt(pin, hook, ifindex, egress);
            if (left.isPresent()) {
                try {
                    left.get().replace(entry);
                    return left.get();
                } catch (BpfException e) {
                    left.get().release();
                    throw CubeInstance.failed(who + ": taking over the attachment to " + device + " failed: "
                        + e.getMessage(), e);
                }
            }
        }
        BpfLink link = attachFresh(entry, hook, ifindex, egress, who, device);
        if (pin != null) {
            try {
                link.pin(pin);
            } catch (BpfException e) {
                link.close();
                throw CubeInstance.failed(who + ": pinning its attachment to " + device + " failed: " + e.getMessage(), e);
            }
        }
        return link;
    }

    private static BpfLink attachFresh(BpfProgram entry, HookType hook, int ifindex, boolean egress, String who,
            String device) throws CubeException {
        try {
            return switch (hook) {
                case TC -> entry.attachTc(ifindex, egress ? TcDirection.EGRESS : TcDirection.INGRESS);
                case XDP_SKB -> entry.attachXdp(ifindex, XdpMode.SKB);
                case XDP_DRV -> entry.attachXdp(ifindex, XdpMode.DRV);
            };
        } catch (BpfException e) {
            if (e.errno() == EBUSY || e.errno() == EEXIST) {
                throw new CubeException(CubeException.Kind.CONFLICT, who + ": netdev " + device
                    + " already has a " + (hook.isXdp() ? "XDP" : "TC") + " program attached", e);
            }
            if (e.errno() == EOPNOTSUPP && hook == HookType.XDP_DRV) {
                throw CubeException.invalid(who + ": netdev " + device
                    + " does not support XDP in driver mode; use type XDP_SKB");
            }
            throw CubeInstance.failed(who + ": attaching to " + device + " failed: " + e.getMessage(), e);
        }
    }

    /** Detaches from every netdev now (an instance being deleted), so another program may take them. */
    synchronized void detachLinks() {
        for (PortBinding binding : List.copyOf(bindings.values())) {
            if (binding.link().isPresent()) {
                binding.link().get().close();
                claims.release(binding.ifindex(), owner + " port " + binding.name());
                bindings.put(binding.name(), new PortBinding(binding.name(), binding.index(), binding.peer(),
                    binding.ifindex(), Optional.empty()));
            }
        }
    }

    /**
     * Taking over what an earlier polycubed left: the next {@link #apply} adds ports whose counters it kept
     * (they are not reset), and the new devmap (never inherited, see Dataplane) gets every netdev port the
     * kept port table names now, before any program is swapped: the first port's new program must find the
     * others' devices at once, or it drops what it forwards to them until they are connected.
     */
    synchronized void inheritOnce(java.util.function.IntPredicate keptSlots) throws CubeException {
        inheritCounters = true;
        this.keptSlots = keptSlots;
        for (int index = 0; index < MAX_PORTS; index++) {
            try {
                byte[] kept = portTable.get(index);
                DataplaneLayout.PortValue entry = DataplaneLayout.PortValue.decode(kept);
                boolean toCube = entry.peerKind() == PEER_CUBE || entry.peerKind() == PEER_LINK;
                if (entry.peerKind() != PEER_NONE && (!toCube || keptSlots.test(entry.target()))) {
                    // What is in the kernel: written again only where the reconciliation wants something else.
                    portEntries.put(index, kept);
                }
                if (devmap != null && entry.peerKind() == PEER_NETDEV && entry.target() != 0) {
                    writeDevmap(index, entry.target());
                }
            } catch (BpfException e) {
                throw CubeInstance.failed("reading the kept port table failed: " + e.getMessage(), e);
            }
            peerProgramsUnknown.set(index);
        }
    }

    /**
     * While taking over: the first ingress transparent cube's slot the kept {@code pcn_port_of_ifindex} word names
     * for this device and port, 0 if none. It stays in place (the cube still runs there, or comes back there).
     */
    private int keptIngressSlot(byte[] keptWord, int index) {
        int word = java.nio.ByteBuffer.wrap(keptWord).order(java.nio.ByteOrder.nativeOrder()).getInt();
        int slot = word >>> 16;
        return (word & 0xffff) - 1 == index && keptSlots.test(slot) ? slot : 0;
    }

    /** Lets go of every netdev attachment, leaving the pinned ones in the kernel (see CubeInstance.release). */
    synchronized void release() {
        for (PortBinding binding : List.copyOf(bindings.values())) {
            binding.link().ifPresent(link -> {
                if (pins != null) {
                    link.release();
                } else {
                    link.close();
                }
            });
            if (binding.hasNetdev()) {
                claims.release(binding.ifindex(), owner + " port " + binding.name());
            }
        }
        bindings.clear();
        cubeLinked.clear();
        used.clear();
    }

    /** Detaches from every peer; the maps go away with the object. */
    @Override
    public synchronized void close() {
        List<PortBinding> all = new ArrayList<>(bindings.values());
        for (PortBinding binding : all) {
            binding.link().ifPresent(BpfLink::close);
            if (binding.hasNetdev()) {
                claims.release(binding.ifindex(), owner + " port " + binding.name());
            }
        }
        bindings.clear();
        cubeLinked.clear();
        used.clear();
    }
}
