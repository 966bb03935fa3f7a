package io.polycube.core.impl;

import io.polycube.core.api.Direction;
import io.polycube.core.api.Polycube;
import io.polycube.core.metrics.InstanceSample;
import io.polycube.core.metrics.Metrics;
import io.polycube.core.restconf.ChangeApplier;
import io.polycube.core.restconf.InstanceChange;
import io.polycube.core.restconf.StateSource;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.CubeType;
import io.polycube.core.spi.DataplaneCode;
import io.polycube.core.spi.HookType;
import io.polycube.core.tables.TableSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns validated datastore changes into live cube instances. A request that touches several
 * instances is applied to all of them or, if one fails, to none: the earlier ones are reverted.
 * Instance names are unique across cube types, because a peer {@code cube:port} names an instance.
 */
final class InstanceManager implements ChangeApplier, StateSource, Polycube, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceManager.class);

    private final Map<String, CubeType> types = new ConcurrentHashMap<>();
    private final Map<String, TableSchema> tableSchemas = new ConcurrentHashMap<>();
    private final Map<String, CubeInstance> instances = new LinkedHashMap<>();
    /** The same instances for lock-free readers: packet_out runs on the slow-path thread. */
    private final Map<String, CubeInstance> live = new ConcurrentHashMap<>();
    private final NetdevClaims claims = new NetdevClaims();
    private final Chaining chaining;
    private final Path bpffsRoot;
    private final SlowPath slowPath;
    private final Metrics metrics;
    /** Set by release or close: no change is applied afterwards. */
    private boolean stopped;
    /** Where reloaded µCube code is kept for the instance's next take-over or re-creation. */
    private volatile UcubeStore ucubes = UcubeStore.NONE;
    /** How long instances of a cube type that went away keep forwarding, waiting for it (see removeType). */
    private volatile java.time.Duration orphanGrace =
        java.time.Duration.ofSeconds(DaemonSettings.DEFAULT_ORPHAN_GRACE_SECONDS);
    private final java.util.concurrent.ScheduledExecutorService reaper =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pcn-orphan-reaper");
            t.setDaemon(true);
            return t;
        });


    /** Without an injector: packet_out into cubes fails (for tests that need no veth pair). */
    InstanceManager(Path bpffsRoot) throws CubeException {
        this(bpffsRoot, Optional.empty());
    }

    /**
     * {@code bpffsRoot}: where the patch panels are pinned (a directory on bpffs, made if missing);
     * {@code injectorPrefix}: names of the injector veth pair ({@code <prefix>0/1}), if wanted.
     */
    InstanceManager(Path bpffsRoot, Optional<String> injectorPrefix) throws CubeException {
        this(bpffsRoot, injectorPrefix, Metrics.NONE);
    }

    /** As above, telling {@code metrics} about creates, deletes, reloads and packet_ins. */
    InstanceManager(Path bpffsRoot, Optional<String> injectorPrefix, Metrics metrics) throws CubeException {
        this.bpffsRoot = bpffsRoot;
        this.chaining = new Chaining(bpffsRoot);
        this.metrics = metrics;
        this.slowPath = SlowPath.start(injectorPrefix, chaining::patchPin).withMetrics(metrics);
    }

    /** Every live instance's port counters, read now (for a metrics scrape; takes no manager lock). */
    List<InstanceSample> metricsSample() {
        List<InstanceSample> samples = new ArrayList<>();
        for (CubeInstance instance : live.values()) {
            try {
                samples.add(new InstanceSample(instance.typeName(), instance.name(), instance.ports().allCounters(),
                    DataplaneLayout.slowPathDrops(instance.master())));
            } catch (io.polycube.dataplane.api.BpfException | RuntimeException e) {
                // deleted while we read: it is gone from the output, as it should be
                LOG.debug("Counters of {} unavailable: {}", instance.name(), e.getMessage());
            }
        }
        return samples;
    }

    @Override
    public Set<String> cubeTypes() {
        return Set.copyOf(types.keySet());
    }

    @Override
    public Map<String, String> instances() {
        Map<String, String> all = new java.util.TreeMap<>();
        live.forEach((name, instance) -> all.put(name, instance.typeName()));
        return all;
    }

    @Override
    public void sendPacketOut(String cube, String port, Direction dir, byte[] frame) throws CubeException {
        CubeInstance instance = live.get(cube);
        if (instance == null) {
            throw CubeException.invalid("no cube instance named " + cube);
        }
        instance.sendPacketOut(port, java.util.Objects.requireNonNull(dir), frame.clone());
    }

    void addType(CubeType type) {
        addType(type, TableSchema.NONE);
    }

    /** A cube type whose YANG lists bound to maps ({@code base:map}) the core keeps in step. */
    void addType(CubeType type, TableSchema tables) {
        tableSchemas.put(type.name(), tables);
        types.put(type.name(), type);
    }

    /**
     * Forgets a cube type. Its instances become orphans: control plane closed, data path still forwarding,
     * for {@code orphanGrace}; a registration of the type within that time (a bundle update) adopts them
     * with their kernel state, otherwise (an uninstall) their data paths are freed. Their configuration
     * stays saved either way.
     */
    synchronized void removeType(String typeName) {
        types.remove(typeName);
        tableSchemas.remove(typeName);
        List<CubeInstance> orphaned = instances.values().stream().filter(i -> i.typeName().equals(typeName)).toList();
        if (orphanGrace.isZero()) {
            orphaned.forEach(this::destroy);
            relink();
            return;
        }
        for (CubeInstance instance : orphaned) {
            instance.orphan();
            LOG.info("{} {} orphaned: its cube type left; it keeps forwarding for {} s unless the type comes back",
                typeName, instance.name(), orphanGrace.toSeconds());
        }
        if (!orphaned.isEmpty()) {
            reaper.schedule(() -> reap(typeName), orphanGrace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The registration of {@code typeName} could not take up the saved configuration of some instances
     * ({@code why}: the reason for an instance name, null if it was taken up): its orphans among them say so
     * (state upgrade-refused) and keep forwarding.
     */
    synchronized void refuseUpgrades(String typeName, java.util.function.Function<String, String> why) {
        CubeType type = types.get(typeName);
        if (type == null) {
            return;
        }
        for (CubeInstance instance : instances.values()) {
            String reason = instance.typeName().equals(typeName) ? why.apply(instance.name()) : null;
            if (reason != null) {
                instance.refuseUpgrade(type, reason);
            }
        }
    }

    /** Frees the data paths of {@code typeName}'s instances still orphaned (the type did not come back). */
    private synchronized void reap(String typeName) {
        if (stopped || types.containsKey(typeName)) {
            return; // back: instances it did not adopt (a refused upgrade) keep their old data path
        }
        List<CubeInstance> expired = instances.values().stream()
            .filter(i -> i.typeName().equals(typeName) && i.orphaned()).toList();
        expired.forEach(instance -> {
            destroy(instance);
            LOG.info("{} {}: its cube type did not come back; data path freed (configuration kept)", typeName,
                instance.name());
        });
        if (!expired.isEmpty()) {
            relink();
        }
    }

    @Override
    public synchronized void apply(List<InstanceChange> changes) throws CubeException {
        if (stopped) {
            // A replay still running while the daemon stops must not create instances nobody will close.
            throw new CubeException(CubeException.Kind.OPERATION_FAILED, "polycubed is stopping");
        }
        List<InstanceChange> done = new ArrayList<>();
        applyAll(changes, done);
        // Only now: a change reverted above re-creates its instance with the code it ran.
        done.stream().filter(c -> c.after().isEmpty()).forEach(c -> ucubes.delete(c.instanceName()));
    }

    private void applyAll(List<InstanceChange> changes, List<InstanceChange> done) throws CubeException {
        try {
            for (InstanceChange change : changes) {
                try {
                    applyOne(change.cubeType(), change.instanceName(), change.before(), change.after());
                } catch (CubeException e) {
                    throw new io.polycube.core.restconf.ChangeRefused(change, e);
                }
                done.add(change);
            }
            for (CubeInstance instance : instances.values()) {
                Chaining.checkHooks(instance, instances);
            }
            Undo undo = new Undo();
            try {
                chaining.reconcile(instances.values(), instances,
                    changes.stream().map(InstanceChange::instanceName).collect(java.util.stream.Collectors.toSet()), undo);
            } catch (CubeException | RuntimeException e) {
                undo.rollback();
                throw e;
            }
        } catch (CubeException | RuntimeException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                InstanceChange change = done.get(i);
                try {
                    applyOne(change.cubeType(), change.instanceName(), change.after(), change.before());
                } catch (CubeException | RuntimeException undoFailure) {
                    LOG.error("Could not revert {} {}", change.cubeType(), change.instanceName(), undoFailure);
                }
            }
            relink();
            throw e instanceof CubeException ce ? ce : CubeInstance.failed("internal error: " + e, e);
        }
    }

    private void applyOne(String typeName, String name, Optional<ConfigNode> before, Optional<ConfigNode> after)
            throws CubeException {
        CubeInstance current = instances.get(name);
        if (current != null && !current.typeName().equals(typeName)) {
            throw new CubeException(CubeException.Kind.CONFLICT,
                "a " + current.typeName() + " instance is already named " + name + "; cube names are unique");
        }
        if (after.isEmpty()) {
            if (current != null) {
                destroy(current);
                LOG.info("Deleted {} {}", typeName, name);
            } else if (InstancePins.pinned(bpffsRoot).contains(name)) {
                // Left by an earlier polycubed and not taken over yet: its data path goes now, not at the sweep
                // (a new instance of that name must not take over what was deleted).
                InstancePins.of(bpffsRoot, name).delete();
                chaining.dropPending(name);
                LOG.info("Deleted {} {}: the data path an earlier polycubed left for it is removed", typeName, name);
            }
            return;
        }
        CubeType type = types.get(typeName);
        if (current != null && current.orphaned()) {
            if (type == null) {
                throw new CubeException(CubeException.Kind.OPERATION_FAILED, "cube type " + typeName + " is not available");
            }
            current.adopt(type, tableSchemas.getOrDefault(typeName, TableSchema.NONE), after.get());
            ucubes.adoptedBy(name, current.codeVersion());
            LOG.info("{} {} adopted by the new registration of its cube type, kernel state kept", typeName, name);
            return;
        }
        if (current != null) {
            current.reconfigure(after.get());
            return;
        }
        if (type == null) {
            throw new CubeException(CubeException.Kind.OPERATION_FAILED, "cube type " + typeName + " is not available");
        }
        HookType hook = HookType.valueOf(after.get().leaf("type").orElse(HookType.TC.name()));
        InstancePins pins = InstancePins.of(bpffsRoot, name);
        int slot = chaining.claimSlot(hook, pins);
        try {
            CubeInstance created = metrics.instanceCreate(typeName, name, () -> CubeInstance.create(type,
                tableSchemas.getOrDefault(typeName, TableSchema.NONE), name, after.get(), claims, chaining.patchPin(hook),
                slot, slowPath, pins, ucubes.load(name, CubeInstance.versionOf(type)),
                kept -> chaining.inheritable(hook, kept)));
            created.codeNotRestored().forEach(index -> ucubes.forget(name, index));
            created.setReloader(this::reload);
            instances.put(name, created);
            live.put(name, created);
        } catch (CubeException | RuntimeException e) {
            chaining.unclaim(hook, slot, pins);
            throw e;
        }
        LOG.info("Created {} {} ({}, slot {})", typeName, name, hook, slot);
    }

    private void destroy(CubeInstance instance) {
        metrics.instanceDelete(instance.typeName(), instance.name(), () -> destroyNow(instance));
    }

    private void destroyNow(CubeInstance instance) {
        // Other cubes stop sending to it before its slot is cleared and its data path freed; a transparent
        // cube first leaves its netdev, so that the next one can take its place (XDP allows one program).
        instance.netdevHold().detach(new Undo());
        instance.ports().detachLinks();
        instances.remove(instance.name());
        live.remove(instance.name());
        relink();
        instance.close();
        chaining.releaseSlot(instance.hook(), instance.slot());
    }

    /** Best-effort reconciliation after a rollback or a removal; failures are logged. */
    private void relink() {
        try {
            chaining.reconcile(instances.values(), instances, new Undo());
        } catch (CubeException | RuntimeException e) {
            LOG.error("Re-linking cubes failed; some cube links may be down", e);
        }
    }

    @Override
    public void reload(String instanceName, int index, DataplaneCode code) throws CubeException {
        if (slowPath.onPollerThread()) {
            // The swap waits for the slow-path thread to leave the old rings: it cannot be that thread.
            throw CubeException.invalid("reload cannot run inside packetIn or a log handler; call it from another thread");
        }
        reloadLocked(instanceName, index, code);
    }

    private synchronized void reloadLocked(String instanceName, int index, DataplaneCode code) throws CubeException {
        CubeInstance instance = instances.get(instanceName);
        if (instance == null) {
            throw new CubeException(CubeException.Kind.INVALID_VALUE, "no cube instance named " + instanceName);
        }
        metrics.reload(instance.typeName(), () -> {
            byte[] elf = instance.compile(index, code);
            // Kept first: a reload that cannot be kept is not done (a crash would undo it silently).
            Runnable putBack;
            try {
                putBack = ucubes.save(instanceName, instance.codeVersion(), index, elf);
            } catch (java.io.IOException e) {
                throw CubeInstance.failed("µCube " + index + " of " + instanceName + " not reloaded: its code cannot be "
                    + "kept for the next start (" + e.getMessage() + ")", e);
            }
            try {
                instance.reloadElf(index, elf);
            } catch (CubeException | RuntimeException e) {
                putBack.run();
                throw e;
            }
            return null;
        });
        if (index == 0) {
            // The MASTER's pcn_chain changed: point every way into this cube at the new program.
            relink();
        }
    }

    /** The transparent cubes on a cube port (or netdev, with cube "" and port = device), in traversal order. */
    synchronized List<String> transparentChain(String cube, String port, boolean egress) throws CubeException {
        for (TransparentChains.Chain chain : TransparentChains.of(instances.values(), instances).chains()) {
            boolean here = chain.netdev().map(d -> cube.isEmpty() && d.equals(port))
                .orElse(chain.cube().equals(cube) && chain.port().equals(port));
            if (here && chain.egress() == egress) {
                return chain.members().stream().map(CubeInstance::name).toList();
            }
        }
        return List.of();
    }

    /** The framework model's view of the types and instances (pcn-polycubed). */
    synchronized io.polycube.core.model.Topology.Snapshot topology() {
        return TopologyView.of(types.values(), instances);
    }

    /** A cube-defined YANG action on an instance (CubeControl.action); false if there is no such instance. */
    synchronized boolean invokeAction(String cubeType, String instanceName, String action, ConfigNode input)
            throws CubeException {
        CubeInstance instance = instances.get(instanceName);
        if (instance == null || !instance.typeName().equals(cubeType)) {
            return false;
        }
        instance.action(action, input);
        return true;
    }

    @Override
    public synchronized Optional<ConfigNode> state(String cubeType, String instanceName) {
        try {
            return Optional.ofNullable(instances.get(instanceName)).filter(i -> i.typeName().equals(cubeType))
                .map(CubeInstance::state);
        } catch (RuntimeException e) {
            // One instance's unreadable state must not fail a GET of everything.
            LOG.warn("State of {} {} unavailable: {}", cubeType, instanceName, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * What an earlier polycubed left pinned (it crashed) is taken over by the instances the saved configuration
     * brings back; whatever is still unclaimed after {@code delay} (its type did not come, or no configuration
     * names it) is then detached and unpinned.
     */
    void sweepLeftoversAfter(java.time.Duration delay) {
        List<String> left = InstancePins.pinned(bpffsRoot);
        if (left.isEmpty()) {
            return;
        }
        LOG.info("Data paths left by an earlier polycubed: {}; what no instance claims within {} s is removed", left,
            delay.toSeconds());
        reaper.schedule(this::sweepLeftovers, delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private synchronized void sweepLeftovers() {
        if (stopped) {
            return; // released: what is pinned now is for the next polycubed
        }
        List<String> swept = InstancePins.sweep(bpffsRoot, instances.keySet());
        if (chaining.forgetPending() || !swept.isEmpty()) {
            LOG.info("Removed the data paths an earlier polycubed left for {}: no configuration claimed them", swept);
            relink(); // links kept for them (CubeInstance.inheritsLinkTo) go down now
        }
    }

    /** Keeps every µCube reload's code in {@code store}: instances created or taken over later run it again. */
    void keepReloadedCode(UcubeStore store) {
        this.ucubes = java.util.Objects.requireNonNull(store);
    }

    /** Zero: a cube type that goes away takes its instances' data paths at once. */
    void setOrphanGrace(java.time.Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("orphan grace must not be negative: " + grace);
        }
        this.orphanGrace = grace;
    }

    /**
     * Stops without stopping the data plane: every instance is {@link CubeInstance#release released}, its
     * pinned tables and attachments left forwarding for the next polycubed, as after a crash.
     */
    synchronized void release() {
        stopAll(CubeInstance::release);
        chaining.release();
    }

    @Override
    public synchronized void close() {
        // No re-linking: every cube goes (a packet sent to an emptied slot is dropped).
        stopAll(CubeInstance::close);
        // Also what an earlier polycubed left and no instance took over yet (a stop during the replay).
        List<String> swept = InstancePins.sweep(bpffsRoot, Set.of());
        if (!swept.isEmpty()) {
            LOG.info("Removed the data paths left for {}, not taken over yet", swept);
        }
        // Empty once everything was closed (not after a release): then the bpffs root can go too.
        InstancePins.removeRootIfEmpty(bpffsRoot);
        chaining.close();
    }

    private void stopAll(java.util.function.Consumer<CubeInstance> end) {
        stopped = true;
        reaper.shutdownNow();
        for (CubeInstance instance : List.copyOf(instances.values())) {
            instances.remove(instance.name());
            live.remove(instance.name());
            end.accept(instance);
            chaining.releaseSlot(instance.hook(), instance.slot());
        }
        slowPath.close();
    }
}
