package io.polycube.core.impl;

import static io.polycube.core.impl.DataplaneLayout.MAX_PORTS;

import io.polycube.core.api.Direction;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.CubeType;
import io.polycube.core.spi.DataplaneCode;
import io.polycube.core.spi.HookType;
import io.polycube.core.spi.LogLevel;
import io.polycube.core.spi.PacketIn;
import io.polycube.core.spi.PortCounters;
import io.polycube.core.tables.TableException;
import io.polycube.core.tables.TableSchema;
import io.polycube.core.tables.Tables;
import io.polycube.dataplane.api.BpfCompiler;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfProgArray;
import io.polycube.dataplane.api.BpfProgram;
import io.polycube.dataplane.api.BpfRingPoller;
import io.polycube.dataplane.api.CompileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live cube instance: its data path (MASTER and SLAVE µCubes), its ports bound to netdevs or to
 * other cubes, and the cube's control plane. Every change is all-or-nothing: a failed step undoes the
 * steps before it, and the programs already running keep running.
 */
final class CubeInstance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CubeInstance.class);

    private final String typeName;
    private final String name;
    private final HookType hook;
    private final Dataplane dataplane;
    private final int slot;
    private final Ports ports;
    private final InstanceContext context;
    private final SlowPath slowPath;
    private volatile LogLevel logLevel;
    /** Read by the slow-path thread; the registrations' locks order it with close(). */
    private volatile CubeControl control;
    private BpfRingPoller.Registration packetIns;
    private BpfRingPoller.Registration logs;
    private final boolean transparent;
    private final NetdevClaims claims;
    private volatile Optional<Attachment> attachment = Optional.empty();
    private Chaining.Target next = Chaining.Target.NONE;
    private BpfProgram nextProgram;
    private final List<Integer> codeNotRestored = new ArrayList<>();
    /** After a take-over: pcn_next_prog holds a program of the earlier polycubed, unknown here. */
    private boolean nextProgramUnknown;
    private final NetdevHold netdevHold;
    /** Whether it took over the data path an earlier polycubed left (its links to cubes not yet back stand). */
    private volatile boolean takenOver;
    /** The YANG lists bound to maps (base:map), kept equal to the configuration by the core. */
    private Tables tables;
    /** The configuration last applied (the bound tables' config-false leaves are read for its entries). */
    private volatile ConfigNode config;
    /** The version of the bundle whose data path runs (the one that created or last adopted it). */
    private volatile String codeVersion;
    /** Why the last registration of its type could not adopt it while it is an orphan; null otherwise. */
    private volatile String upgradeRefused;

    private CubeInstance(CubeType type, String name, HookType hook, Dataplane dataplane, int slot, LogLevel level,
            NetdevClaims claims, SlowPath slowPath) {
        this.slowPath = slowPath;
        this.transparent = type.transparent();
        this.typeName = type.name();
        this.name = name;
        this.hook = hook;
        this.dataplane = dataplane;
        this.slot = slot;
        this.logLevel = level;
        this.ports = new Ports(dataplane.master(), hook, claims, typeName + " " + name, dataplane.pins());
        this.claims = claims;
        this.netdevHold = new NetdevHold(this, claims);
        this.context = new InstanceContext(this, LoggerFactory.getLogger("pcn." + type.name() + "." + name));
        this.codeVersion = versionOf(type);
    }

    /** The version of the bundle that registered {@code type}; empty outside OSGi. */
    static String versionOf(CubeType type) {
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(type.getClass());
        return bundle == null ? "" : bundle.getVersion().toString();
    }

    /**
     * Loads and attaches a new instance, puts its chain entry into patch-panel {@code slot} (the panel
     * is the map pinned at {@code patchPin}) and configures its control plane, or leaves nothing behind.
     */
    static CubeInstance create(CubeType type, TableSchema tableSchema, String name, ConfigNode config,
            NetdevClaims claims, Path patchPin, int slot, SlowPath slowPath) throws CubeException {
        return create(type, tableSchema, name, config, claims, patchPin, slot, slowPath, null,
            java.util.Collections.emptySortedMap(), kept -> false);
    }

    /**
     * As above, with the instance's tables and netdev attachments pinned under {@code pins} (nullable), so
     * that its data path outlives polycubed; what an earlier polycubed left there is taken over. {@code keptCode}:
     * µCube code reloaded for the instance before ({@link UcubeStore}, by index), run instead of the bundle's;
     * what of it no longer loads is skipped, logged, and listed by {@link #codeNotRestored}. {@code keptSlots}: the
     * patch-panel slots a kept hand-off may go on naming while it is taken over (see Chaining.inheritable).
     */
    static CubeInstance create(CubeType type, TableSchema tableSchema, String name, ConfigNode config,
            NetdevClaims claims, Path patchPin, int slot, SlowPath slowPath, InstancePins pins,
            java.util.SortedMap<Integer, byte[]> keptCode, java.util.function.IntPredicate keptSlots)
            throws CubeException {
        HookType hook = hookOf(config);
        LogLevel level = levelOf(config);
        PortPlan plan = PortPlan.of(config);
        if (plan.peers().size() > MAX_PORTS) {
            throw CubeException.invalid("a cube has at most " + MAX_PORTS + " ports");
        }
        InstancePins instancePins = pins;
        boolean leftBefore = instancePins != null && instancePins.left();
        if (leftBefore) {
            LOG.info("{} {}: taking over the tables and attachments an earlier polycubed left in {}", type.name(), name,
                instancePins);
        }
        List<Integer> notRestored = new ArrayList<>();
        Dataplane dataplane = loadMaster(type, name, hook, patchPin, level, instancePins, keptCode, notRestored);
        CubeInstance instance = new CubeInstance(type, name, hook, dataplane, slot, level, claims, slowPath);
        instance.codeNotRestored.addAll(notRestored);
        Undo undo = new Undo();
        try {
            instance.attachment = instance.transparent ? Attachment.of(config) : Optional.empty();
            if (leftBefore) {
                // Before the panel slot runs the new program: its devmap must name the kept netdevs already.
                if (instance.transparent) {
                    instance.inheritNext(keptSlots);
                } else {
                    instance.ports.inheritOnce(keptSlots);
                }
                instance.takenOver = true;
            }
            BpfProgArray patch = dataplane.master().progArray(DataplaneLayout.MAP_PATCH);
            // The panel reaches this instance by slot (injection, transparent hand-off from a netdev).
            patch.set(slot, dataplane.master().program(DataplaneLayout.CHAIN_PROGRAM));
            undo.push(() -> patch.clear(slot));
            if (instancePins != null) {
                instancePins.recordSlot(Chaining.family(hook), slot);
            }
            // The kept SLAVEs replace what the kept prog arrays hold one slot at a time; other slots are emptied
            // (SLAVEs loaded by the earlier polycubed and not kept must not run).
            java.util.Set<Integer> restored = instance.restoreSlaves(keptCode);
            if (leftBefore) {
                forgetSlaves(dataplane.master(), restored);
            }
            instance.ports.apply(plan, undo);
            instance.tables = bindTables(type, tableSchema, dataplane.master());
            instance.applyTables(config, undo);
            instance.control = type.create(instance.context);
            instance.control.configure(config);
            instance.config = config;
            // After the first configure: packetIn never reaches an unconfigured control plane.
            instance.listen();
            undo.forget();
            return instance;
        } catch (BpfException | CubeException | IOException | RuntimeException e) {
            instance.unlisten();
            if (instance.control != null) {
                try {
                    instance.control.close();
                } catch (RuntimeException closeFailure) {
                    LOG.warn("Cube {} {} failed to close its control plane", type.name(), name, closeFailure);
                }
            }
            undo.rollback();
            dataplane.close();
            if (instancePins != null && !leftBefore) {
                instancePins.delete();
            }
            throw e instanceof CubeException ce ? ce : failed("cube " + type.name() + " failed to start: " + e, e);
        }
    }

    private static void forgetSlaves(io.polycube.dataplane.api.BpfObject master, java.util.Set<Integer> keep)
            throws BpfException {
        for (String array : List.of(Dataplane.MAP_INGRESS_PROGS, Dataplane.MAP_EGRESS_PROGS)) {
            int base = array.equals(Dataplane.MAP_EGRESS_PROGS) ? Dataplane.UCUBE_SLOTS : 0;
            if (master.mapNames().contains(array)) {
                BpfProgArray progs = master.progArray(array);
                for (int i = 0; i < Dataplane.UCUBE_SLOTS; i++) {
                    if (!keep.contains(base + i)) {
                        progs.clear(i);
                    }
                }
            }
        }
    }

    /** The MASTER: the kept reloaded code if there is some and it loads, else the bundle's. */
    private static Dataplane loadMaster(CubeType type, String name, HookType hook, Path patchPin, LogLevel level,
            InstancePins pins, java.util.SortedMap<Integer, byte[]> keptCode, List<Integer> notRestored)
            throws CubeException {
        byte[] kept = keptCode.get(0);
        if (kept != null) {
            try {
                Dataplane dataplane = Dataplane.load(type.name(), kept, patchPin, level, pins);
                LOG.info("{} {}: runs the MASTER reloaded for it before", type.name(), name);
                return dataplane;
            } catch (CubeException e) {
                LOG.warn("{} {}: the MASTER reloaded for it before does not load now ({}); it runs its bundle's",
                    type.name(), name, e.getMessage());
                notRestored.add(0);
            }
        }
        return Dataplane.load(type.name(), elfOf(type, hook), patchPin, level, pins);
    }

    /** Loads the kept SLAVE code into its slots; returns the indexes loaded (a failure is logged and listed). */
    private java.util.Set<Integer> restoreSlaves(java.util.SortedMap<Integer, byte[]> keptCode) {
        java.util.Set<Integer> restored = new java.util.TreeSet<>();
        for (Map.Entry<Integer, byte[]> slave : keptCode.entrySet()) {
            int index = slave.getKey();
            if (index == 0) {
                continue;
            }
            try {
                dataplane.setSlave(index, slave.getValue(), logLevel);
                restored.add(index);
                LOG.info("{} {}: µCube {} runs the code reloaded for it before", typeName, name, index);
            } catch (CubeException | RuntimeException e) {
                LOG.warn("{} {}: µCube {} reloaded for it before does not load now ({}); left empty", typeName, name,
                    index, e.getMessage());
                codeNotRestored.add(index);
            }
        }
        return restored;
    }

    /** The kept reloaded µCubes that did not load when the instance was created (their kept code should go). */
    List<Integer> codeNotRestored() {
        return List.copyOf(codeNotRestored);
    }

    /** Applies a changed configuration; on failure the instance is back where it was. */
    synchronized void reconfigure(ConfigNode after) throws CubeException {
        if (hookOf(after) != hook) {
            throw new CubeException(CubeException.Kind.CONFLICT, "type of " + typeName + " " + name
                + " is " + hook + " and cannot change; delete and re-create the instance");
        }
        PortPlan plan = PortPlan.of(after);
        LogLevel level = levelOf(after);
        LogLevel previousLevel = logLevel;
        Optional<Attachment> previousAttachment = attachment;
        Undo undo = new Undo();
        try {
            if (transparent) {
                attachment = Attachment.of(after);
                undo.push(() -> attachment = previousAttachment);
            }
            if (level != logLevel) {
                // All or nothing: a refused reload changes no program, so there is nothing to undo.
                setLogLevel(level);
                undo.push(() -> setLogLevel(previousLevel));
            }
            ports.apply(plan, undo);
            applyTables(after, undo);
            control.configure(after);
            config = after;
            undo.forget();
        } catch (CubeException | RuntimeException e) {
            undo.rollback();
            throw e instanceof CubeException ce ? ce : failed("cube " + typeName + " failed to reconfigure", e);
        }
    }

    /**
     * Its cube type went away (a bundle update or uninstall): the control plane closes, the data path keeps
     * forwarding with its tables (packet_ins are dropped meanwhile), until {@link #adopt} or {@link #close}.
     */
    synchronized void orphan() {
        closeControl();
        upgradeRefused = null;
    }

    private void closeControl() {
        if (control != null) {
            try {
                control.close();
            } catch (RuntimeException e) {
                LOG.warn("Cube {} {} failed to close its control plane", typeName, name, e);
            }
            control = null;
        }
    }

    /** True between {@link #orphan} and a successful {@link #adopt}. */
    boolean orphaned() {
        return control == null;
    }

    private String runningCode() {
        return codeVersion.isEmpty() ? "the running data path" : "the data path of " + label(codeVersion);
    }

    /** The version of the bundle whose data path runs. */
    String codeVersion() {
        return codeVersion;
    }

    /** Why the latest registration of its type did not adopt it, while it is an orphan. */
    Optional<String> upgradeRefused() {
        return orphaned() ? Optional.ofNullable(upgradeRefused) : Optional.empty();
    }

    /**
     * Hands an orphaned instance to its cube type's new registration (a new version of the bundle): the new
     * data path is loaded sharing every map of the running one by name (tables, counters and learned state
     * stay; a map whose layout changed makes the load fail and nothing change), swapped in atomically as a
     * µCube reload is, then the new control plane is created and configured. If that fails, the previous
     * program comes back and the instance stays orphaned: its traffic keeps flowing as before.
     */
    synchronized void adopt(CubeType type, TableSchema tableSchema, ConfigNode after) throws CubeException {
        if (!orphaned()) {
            throw new IllegalStateException(typeName + " " + name + " is not orphaned");
        }
        String version = versionOf(type);
        try {
            adoptBy(type, tableSchema, after, version);
        } catch (CubeException e) {
            // Kept for pcn-polycubed (its cube list): the saved configuration is not applied, so the instance's
            // own resource is absent, and this says why and that the version before goes on forwarding.
            upgradeRefused = e.getMessage();
            throw e;
        }
        upgradeRefused = null;
        codeVersion = version;
    }

    /**
     * Its cube type came back (a new version) but its saved configuration could not even be given to it (the
     * new YANG model rejects it): nothing was attempted and the data path of before goes on forwarding. Keeps
     * the reason for pcn-polycubed unless an adoption of this registration already recorded one.
     */
    synchronized void refuseUpgrade(CubeType type, String why) {
        if (orphaned() && upgradeRefused == null) {
            upgradeRefused = refusal(versionOf(type), "its saved configuration does not fit the new YANG model: " + why);
        }
    }

    /** What pcn-polycubed and the log say when {@code version} cannot take this instance over. */
    private String refusal(String version, String why) {
        return "upgrade to " + label(version) + " refused for " + name + " (" + runningCode() + " goes on forwarding): "
            + why;
    }

    private String label(String version) {
        return typeName + (version.isEmpty() ? "" : " " + version);
    }

    private void adoptBy(CubeType type, TableSchema tableSchema, ConfigNode after, String version)
            throws CubeException {
        String upgrade = label(version);
        if (hookOf(after) != hook || type.transparent() != transparent) {
            throw new CubeException(CubeException.Kind.CONFLICT, upgrade + " came back with another kind of data path"
                + " (hook or transparency) for " + name + "; delete and re-create the instance");
        }
        byte[] previousElf = dataplane.masterElf();
        try {
            swapMaster(elfOf(type, hook), levelOf(after));
        } catch (CubeException e) {
            throw new CubeException(e.kind(), refusal(version, e.getMessage()), e);
        }
        Tables previousTables = tables;
        LogLevel previousLevel = logLevel;
        Undo undo = new Undo();
        try {
            logLevel = levelOf(after);
            tables = bindTables(type, tableSchema, dataplane.master());
            PortPlan plan = PortPlan.of(after);
            ports.apply(plan, undo);
            applyTables(after, undo);
            CubeControl next = type.create(context);
            try {
                next.configure(after);
            } catch (CubeException | RuntimeException e) {
                next.close();
                throw e;
            }
            control = next;
            config = after;
            undo.forget();
        } catch (CubeException | RuntimeException e) {
            undo.rollback();
            tables = previousTables;
            logLevel = previousLevel;
            try {
                swapMaster(previousElf, previousLevel);
            } catch (CubeException restore) {
                LOG.error("Cube {} {}: the previous data path could not be put back after a failed upgrade",
                    typeName, name, restore);
            }
            throw e instanceof CubeException ce ? new CubeException(ce.kind(), refusal(version, ce.getMessage()), ce)
                : failed(refusal(version, "its control plane failed to start"), e);
        }
    }

    private static Tables bindTables(CubeType type, TableSchema schema, BpfObject master) throws CubeException {
        try {
            return Tables.bind(schema, master);
        } catch (TableException e) {
            throw new CubeException(CubeException.Kind.OPERATION_FAILED, "cube " + type.name() + ": " + e.getMessage());
        }
    }

    /** The bound maps follow the configuration before the cube's own code sees it. */
    private void applyTables(ConfigNode after, Undo undo) throws CubeException {
        Tables.Revert revert = tables.apply(dataplane.master(), after, ports::index);
        undo.push(revert::run);
    }

    /** Reloads every program with the new level as a load-time constant, so disabled calls cost nothing. */
    private void setLogLevel(LogLevel level) throws CubeException {
        // Every SLAVE is loaded (verified) before anything is swapped: a µCube the verifier refuses at
        // this level (the level is a constant it prunes branches with) leaves every program in place.
        Map<Integer, BpfObject> slaves = dataplane.prepareSlaves(level);
        LogLevel previous = logLevel;
        try {
            swapMaster(dataplane.masterElf(), level);
        } catch (CubeException | RuntimeException e) {
            slaves.values().forEach(BpfObject::close);
            throw e;
        }
        try {
            dataplane.commitSlaves(slaves);
        } catch (CubeException e) {
            swapMaster(dataplane.masterElf(), previous);
            throw e;
        }
        logLevel = level;
        LOG.info("{} {}: loglevel {}", typeName, name, level);
    }

    /** See {@link io.polycube.core.spi.CubeContext#reload}. */
    synchronized void reload(int index, DataplaneCode code) throws CubeException {
        reloadElf(index, compile(index, code));
    }

    /** The ELF a reload of µCube {@code index} with {@code code} loads (compiled for this instance's hook). */
    byte[] compile(int index, DataplaneCode code) throws CubeException {
        if (index < 0 || index >= 2 * Dataplane.UCUBE_SLOTS || index == Dataplane.UCUBE_SLOTS) {
            throw CubeException.invalid("µCube index " + index + ": 0 is the MASTER, 1..63 ingress and 65..127 egress"
                + " SLAVE programs");
        }
        return elfOf(code, index);
    }

    /** Reloads µCube {@code index} with {@code elf} (from {@link #compile}). */
    synchronized void reloadElf(int index, byte[] elf) throws CubeException {
        if (index == 0) {
            swapMaster(elf, logLevel);
        } else {
            dataplane.setSlave(index, elf, logLevel);
        }
        LOG.info("{} {}: µCube {} reloaded", typeName, name, index);
    }

    private byte[] elfOf(DataplaneCode code, int index) throws CubeException {
        if (code instanceof DataplaneCode.Elf elf) {
            return elf.bytes();
        }
        List<String> defines = new ArrayList<>(List.of(hook.isXdp() ? "PCN_HOOK_XDP" : "PCN_HOOK_TC"));
        if (index > 0) {
            defines.add("PCN_UCUBE=" + (index % Dataplane.UCUBE_SLOTS));
        }
        try {
            return BpfCompiler.compile(((DataplaneCode.Source) code).text(), defines);
        } catch (CompileException e) {
            throw Dataplane.compileFailed(e);
        } catch (BpfException e) {
            throw failed(e.getMessage(), e);
        }
    }

    /** Swaps in a new MASTER: patch-panel slot, then every attachment, each an atomic kernel update. */
    private void swapMaster(byte[] elf, LogLevel level) throws CubeException {
        BpfObject next = dataplane.prepareMaster(elf, level);
        Undo undo = new Undo();
        try {
            BpfObject current = dataplane.master();
            BpfProgArray patch = next.progArray(DataplaneLayout.MAP_PATCH);
            BpfProgram oldChain = current.program(DataplaneLayout.CHAIN_PROGRAM);
            patch.set(slot, next.program(DataplaneLayout.CHAIN_PROGRAM));
            undo.push(() -> patch.set(slot, oldChain));
            ports.swapObject(next, undo);
            netdevHold.replaceProgram(next.program(DataplaneLayout.ENTRY_PROGRAM),
                current.program(DataplaneLayout.ENTRY_PROGRAM), undo);
            // The new rings are consumed before the old object closes; nothing can fail after the commit.
            unlisten();
            undo.push(this::listen);
            listen(next);
            undo.push(this::unlisten);
            dataplane.commitMaster(elf, next);
        } catch (BpfException | CubeException | RuntimeException e) {
            undo.rollback();
            next.close();
            throw e instanceof CubeException ce ? ce : failed("swapping the data path of " + name + " failed: " + e, e);
        }
    }

    /** Operational state: ports with their status (UP: attached to its netdev, or linked to its cube peer). */
    synchronized ConfigNode state() {
        List<ConfigNode> portStates = new ArrayList<>();
        Map<String, PortCounters> counters = ports.allCounters();
        for (PortBinding binding : ports.bindings()) {
            boolean up = binding.link().isPresent() || ports.cubeLinked(binding.name());
            PortCounters c = counters.getOrDefault(binding.name(), PortCounters.ZERO);
            portStates.add(ConfigNode.of(Map.of("name", binding.name(), "status", up ? "UP" : "DOWN",
                "rx-packets", Long.toUnsignedString(c.rxPackets()), "rx-bytes", Long.toUnsignedString(c.rxBytes()),
                "tx-packets", Long.toUnsignedString(c.txPackets()), "tx-bytes", Long.toUnsignedString(c.txBytes()),
                "drop-packets", Long.toUnsignedString(c.dropPackets()), "drop-bytes", Long.toUnsignedString(c.dropBytes())),
                Map.of(), Map.of(), Map.of()));
        }
        Map<String, List<ConfigNode>> lists = new java.util.HashMap<>();
        lists.put("ports", portStates);
        ConfigNode current = config;
        if (tables != null && current != null) {
            try {
                lists.putAll(tables.state(dataplane.master(), current, ports::index, this::portName));
            } catch (BpfException e) {
                LOG.warn("Cube {} {}: reading its tables failed: {}", typeName, name, e.getMessage());
            }
        }
        return ConfigNode.of(Map.of("name", name), Map.of(), Map.of(), lists);
    }

    String name() {
        return name;
    }

    /** A cube-defined action, handed to the control plane. */
    void action(String name, ConfigNode input) throws CubeException {
        control.action(name, input);
    }

    String typeName() {
        return typeName;
    }

    HookType hook() {
        return hook;
    }

    int slot() {
        return slot;
    }

    Ports ports() {
        return ports;
    }

    /** Lock-free: also used on the slow-path thread. */
    BpfObject master() {
        return dataplane.master();
    }

    LogLevel logLevel() {
        return logLevel;
    }

    boolean transparent() {
        return transparent;
    }

    /** Reloads go through whoever owns the links between instances (the manager). */
    interface Reloader {
        void reload(String instance, int index, DataplaneCode code) throws CubeException;
    }

    private Reloader reloader = (instance, index, code) -> reload(index, code);

    Reloader reloader() {
        return reloader;
    }

    void setReloader(Reloader reloader) {
        this.reloader = reloader;
    }

    Optional<Attachment> attachment() {
        return attachment;
    }

    /** Transparent: where packets this cube lets through go next (pcn_next[0], and devmap[0] for XDP). */
    synchronized void setNext(Chaining.Target target, Undo undo) throws CubeException {
        if (target.equals(next)) {
            return;
        }
        Chaining.Target previous = next;
        writeNext(target);
        undo.push(() -> writeNext(previous));
    }

    /** Where packets this transparent cube lets through go now (as last written, or as kept by an earlier polycubed). */
    synchronized Chaining.Target next() {
        return next;
    }

    /**
     * Taking over a transparent cube an earlier polycubed left: its kept pcn_next is where its packets go until
     * the reconciliation says otherwise, its new devmap (never kept, see Dataplane) gets that netdev before its
     * programs run, and the kept pcn_next_prog entry is rewritten at the first reconciliation.
     */
    private void inheritNext(java.util.function.IntPredicate keptSlots) throws BpfException {
        DataplaneLayout.PortValue kept = DataplaneLayout.PortValue.decode(
            dataplane.master().arrayMap(DataplaneLayout.MAP_NEXT).get(0));
        next = new Chaining.Target(kept.peerKind(), kept.peerPort(), kept.target(), null);
        if (next.isCube() && !keptSlots.test(kept.target())) {
            next = Chaining.Target.NONE; // a slot not kept for its cube: rewritten by the reconciliation
        }
        if (hook.isXdp() && kept.peerKind() == DataplaneLayout.PEER_NETDEV) {
            dataplane.master().devMap(DataplaneLayout.MAP_TX_DEVMAP).set(0, kept.target());
        }
        nextProgramUnknown = true;
    }

    /** The pcn_next_prog entry is rewritten on every reconciliation: the target's program may have been swapped. */
    synchronized void refreshNextProgram(Undo undo) throws CubeException {
        BpfProgram wanted = next.program().orElse(null);
        if (wanted == nextProgram && !nextProgramUnknown) {
            return;
        }
        BpfProgram previous = nextProgram;
        writeNextProgram(wanted);
        undo.push(() -> writeNextProgram(previous));
    }

    private void writeNextProgram(BpfProgram program) throws CubeException {
        try {
            BpfProgArray array = dataplane.master().progArray(DataplaneLayout.MAP_NEXT_PROG);
            if (program == null) {
                array.clear(0);
            } else {
                array.set(0, program);
            }
            nextProgram = program;
            nextProgramUnknown = false;
        } catch (BpfException e) {
            throw failed(name + ": linking to the next stage failed: " + e.getMessage(), e);
        }
    }

    private void writeNext(Chaining.Target target) throws CubeException {
        try {
            BpfObject master = dataplane.master();
            if (hook.isXdp()) {
                if (target.kind() == DataplaneLayout.PEER_NETDEV) {
                    master.devMap(DataplaneLayout.MAP_TX_DEVMAP).set(0, target.target());
                } else {
                    master.devMap(DataplaneLayout.MAP_TX_DEVMAP).clear(0);
                }
            }
            master.arrayMap(DataplaneLayout.MAP_NEXT).set(0, target.encode());
            next = target;
        } catch (BpfException e) {
            throw failed(name + ": setting the next stage failed: " + e.getMessage(), e);
        }
    }

    /** Where its tables and attachments are pinned, or null. */
    InstancePins pins() {
        return dataplane.pins();
    }

    /** A transparent cube's attachment to a free netdev (empty for other cubes). */
    NetdevHold netdevHold() {
        return netdevHold;
    }

    /** Consumes the MASTER's slow-path and log rings (poller thread; packet_ins handled on the type's lane). */
    private void listen() throws BpfException {
        listen(dataplane.master());
    }

    private void listen(BpfObject master) throws BpfException {
        try {
            packetIns = slowPath.listenPacketIns(typeName, name, master.ringBuffer(DataplaneLayout.MAP_SLOWPATH),
                this::onPacketIn);
            logs = slowPath.listen(master.ringBuffer(DataplaneLayout.MAP_LOG), this::onLog);
        } catch (BpfException | RuntimeException e) {
            unlisten();
            throw e;
        }
    }

    /** Waits for a handler in progress; afterwards the poller thread never touches this instance's rings. */
    private void unlisten() {
        if (packetIns != null) {
            packetIns.close();
            packetIns = null;
        }
        if (logs != null) {
            logs.close();
            logs = null;
        }
    }

    /** On its cube type's slow-path lane thread: one pcn_pkt_in record of this instance's ring. */
    private void onPacketIn(ByteBuffer record) {
        CubeControl current = control;
        Optional<PacketIn> packet = PacketIns.decode(record, this::portName);
        if (current == null || packet.isEmpty()) {
            LOG.debug("Cube {} {}: slow-path record dropped (port gone or malformed)", typeName, name);
            return;
        }
        current.packetIn(packet.get());
    }

    /** On the slow-path thread: one pcn_log record, formatted like CubeContext.log. */
    private void onLog(ByteBuffer record) {
        LogRecord line = LogRecord.decode(record);
        if (logLevel.admits(line.level())) {
            context.emit(line.level(), LogFormatter.format(line.format(), line.args(), context::portName));
        }
    }

    private Optional<String> portName(int index) {
        return ports.nameOf(index);
    }

    /** packet_out; see CubeContext#sendPacketOut. Takes no instance lock: it runs inside packetIn. */
    void sendPacketOut(String port, Direction dir, byte[] frame) throws CubeException {
        int index = ports.index(port).orElseThrow(() -> CubeException.invalid(
            "cube " + name + " has no port " + port));
        if (frame.length < 14 || frame.length > DataplaneLayout.INJ_FRAME_MAX) {
            throw CubeException.invalid("packet_out needs an Ethernet frame of 14.." + DataplaneLayout.INJ_FRAME_MAX
                + " bytes, got " + frame.length);
        }
        if (dir == Direction.INGRESS) {
            // As if received: through the port's ingress transparent cubes first, if any.
            int first = ports.ingressSlot(port);
            slowPath.inject(hook, first != 0 ? first : slot, index, frame);
            return;
        }
        // EGRESS goes where pcn_pkt_redirect would send it: what the core last wrote into pcn_ports.
        DataplaneLayout.PortValue entry = ports.portEntry(index);
        switch (entry.peerKind()) {
            case DataplaneLayout.PEER_NETDEV -> slowPath.transmit(entry.target(), frame);
            case DataplaneLayout.PEER_CUBE, DataplaneLayout.PEER_LINK ->
                slowPath.inject(hook, entry.target(), entry.peerPort(), frame);
            default -> throw new CubeException(CubeException.Kind.OPERATION_FAILED,
                "packet_out on " + name + ":" + port + ": the port has no peer (or its cube link is down)");
        }
    }

    @Override
    public synchronized void close() {
        unlisten();
        closeControl();
        try {
            // First, so that no cube can tail-call into a data path being freed.
            dataplane.master().progArray(DataplaneLayout.MAP_PATCH).clear(slot);
        } catch (BpfException | RuntimeException e) {
            LOG.warn("Cube {} {}: clearing patch-panel slot {} failed", typeName, name, slot, e);
        }
        netdevHold.close();
        ports.close();
        dataplane.close();
        if (dataplane.pins() != null) {
            dataplane.pins().delete();
        }
    }

    /**
     * Whether its port's link to cube {@code peer}, not (yet) an instance here, is one an earlier polycubed
     * made and left running: then it stays as it is until {@code peer} is taken over too (which re-links it),
     * so a chain keeps forwarding while its cubes come back one by one.
     */
    boolean inheritsLinkTo(String peer) {
        return takenOver && dataplane.pins() != null && dataplane.pins().sibling(peer).left();
    }

    /**
     * Lets go of the instance as a crash would, but cleanly: its control plane closes and this process's
     * handles go, while its pinned tables and netdev attachments stay in the kernel, forwarding, for the next
     * polycubed to take over ({@link #create} with the same pins). Without pins it is {@link #close}.
     */
    synchronized void release() {
        if (dataplane.pins() == null) {
            close();
            return;
        }
        unlisten();
        closeControl();
        netdevHold.release();
        ports.release();
        dataplane.close();
    }

    private static HookType hookOf(ConfigNode config) {
        return HookType.valueOf(config.leaf("type").orElse(HookType.TC.name()));
    }

    private static LogLevel levelOf(ConfigNode config) {
        return LogLevel.valueOf(config.leaf("loglevel").orElse(LogLevel.INFO.name()));
    }

    /**
     * The ELF images read so far, per cube type (weakly: a type that goes away takes its images along)
     * and hook. One copy per type, not one per instance: an instance keeps its image (for reloads), and
     * simplefwd's is 430 KB. Never modified: {@link Dataplane} copies what it hands out.
     */
    private static final Map<CubeType, Map<HookType, byte[]>> IMAGES = Collections.synchronizedMap(new WeakHashMap<>());

    private static byte[] elfOf(CubeType type, HookType hook) throws CubeException {
        byte[] cached = IMAGES.getOrDefault(type, Map.of()).get(hook);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = type.dataplane(hook).openStream()) {
            byte[] elf = in.readAllBytes();
            IMAGES.computeIfAbsent(type, t -> new ConcurrentHashMap<>()).put(hook, elf);
            return elf;
        } catch (IOException | RuntimeException e) {
            throw failed("cube " + type.name() + " has no data path for " + hook, e);
        }
    }

    static CubeException failed(String message, Throwable cause) {
        return new CubeException(CubeException.Kind.OPERATION_FAILED, message, cause);
    }
}
