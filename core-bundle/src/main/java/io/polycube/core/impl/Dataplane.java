package io.polycube.core.impl;

import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.LogLevel;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.CompileException;
import io.polycube.dataplane.api.VerifierException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eBPF objects of one instance: the MASTER (µCube 0) and its SLAVE µCubes. Every object after the
 * first is loaded with the first one's maps (reused by name), so tables survive reloads, and takes over
 * atomically: prog-array and patch-panel slots are single updates, attachments use replace.
 */
final class Dataplane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dataplane.class);
    static final String LOG_LEVEL_CONSTANT = "pcn_log_level";
    static final String SLAVE_PROGRAM = "pcn_ucube";
    static final String MAP_INGRESS_PROGS = "pcn_ingress_progs";
    static final String MAP_EGRESS_PROGS = "pcn_egress_progs";
    static final int UCUBE_SLOTS = 64;
    /**
     * Map types never pinned for a successor: the kernel adds BPF_F_RDONLY_PROG to a devmap's flags, so libbpf
     * never finds a pinned one compatible; their entries are the ports' netdevs, which the core writes anew
     * before it swaps programs.
     */
    private static final java.util.Set<io.polycube.dataplane.api.MapType> DERIVED =
        java.util.EnumSet.of(io.polycube.dataplane.api.MapType.DEVMAP, io.polycube.dataplane.api.MapType.DEVMAP_HASH);

    private final String name;
    private final Path patchPin;
    /** Where the MASTER's tables are pinned (to outlive polycubed), or null (tests without a bpffs root). */
    private final InstancePins pins;
    private byte[] masterElf;
    private volatile BpfObject master;
    private final Map<Integer, byte[]> slaveElfs = new TreeMap<>();
    private final Map<Integer, BpfObject> slaves = new TreeMap<>();

    private Dataplane(String name, Path patchPin, InstancePins pins, byte[] masterElf, BpfObject master) {
        this.name = name;
        this.patchPin = patchPin;
        this.pins = pins;
        this.masterElf = masterElf;
        this.master = master;
    }

    static Dataplane load(String name, byte[] elf, Path patchPin, LogLevel level) throws CubeException {
        return load(name, elf, patchPin, level, null);
    }

    /**
     * Loads the MASTER with its tables pinned under {@code pins}: the tables an earlier polycubed left there
     * are taken over (state kept across a crash); if they no longer fit this code they are dropped, logged.
     */
    static Dataplane load(String name, byte[] elf, Path patchPin, LogLevel level, InstancePins pins)
            throws CubeException {
        try {
            return new Dataplane(name, patchPin, pins, elf, open(name, elf, patchPin, level, null, null, pins));
        } catch (CubeException e) {
            if (pins == null || !pins.left() || e.getCause() instanceof VerifierException) {
                throw e;
            }
            LOG.warn("The tables {} left for {} do not fit its data path now ({}); starting with new tables", pins,
                name, e.getMessage());
            pins.dropMaps();
            return new Dataplane(name, patchPin, pins, elf, open(name, elf, patchPin, level, null, null, pins));
        }
    }

    InstancePins pins() {
        return pins;
    }

    BpfObject master() {
        return master;
    }

    /** SLAVE µCube {@code index}, if loaded. */
    java.util.Optional<BpfObject> slave(int index) {
        return java.util.Optional.ofNullable(slaves.get(index));
    }

    /**
     * Loads {@code elf} for the instance; maps it shares with {@code tablesOf} are reused, so the new
     * object sees the same tables. A verifier or libbpf error leaves nothing loaded.
     */
    static BpfObject open(String name, byte[] elf, Path patchPin, LogLevel level, BpfObject tablesOf)
            throws CubeException {
        return open(name, elf, patchPin, level, tablesOf, null);
    }

    /**
     * Table scopes: a map the ELF pins by name ({@code __uint(pinning, LIBBPF_PIN_BY_NAME)}) is PUBLIC,
     * pinned under {@code <bpffs root>/public/}; a map of the MASTER is SHARED by every µCube of the
     * instance; a map only this µCube declares is PRIVATE to it and kept from {@code previous}, its
     * former version, across reloads.
     */
    static BpfObject open(String name, byte[] elf, Path patchPin, LogLevel level, BpfObject tablesOf,
            BpfObject previous) throws CubeException {
        return open(name, elf, patchPin, level, tablesOf, previous, null);
    }

    /** As above; the maps neither public nor shared nor kept are pinned under {@code pins} (if given). */
    static BpfObject open(String name, byte[] elf, Path patchPin, LogLevel level, BpfObject tablesOf,
            BpfObject previous, InstancePins pins) throws CubeException {
        try (BpfObjectSpec spec = BpfObjectSpec.open(elf, name)) {
            if (pins != null) {
                pins.maps();
            }
            spec.setConstant(LOG_LEVEL_CONSTANT, level.code());
            DataplaneLayout.pinShared(spec, patchPin);
            for (String map : spec.mapNames()) {
                // Internal maps (.rodata, .bss) belong to each object; the shared ones come from their pins;
                // links between cubes are written by the core for each object.
                if (map.contains(".") || map.equals(DataplaneLayout.MAP_PATCH) || map.equals(DataplaneLayout.MAP_MD)) {
                    continue;
                }
                if (spec.pinPath(map).isPresent()) {
                    spec.pinMap(map, publicDirectory(patchPin).resolve(map));
                } else if (tablesOf != null && tablesOf.mapNames().contains(map)) {
                    spec.reuseMap(map, tablesOf.map(map));
                } else if (previous != null && previous.mapNames().contains(map)) {
                    spec.reuseMap(map, previous.map(map));
                } else if (pins != null && !DERIVED.contains(spec.mapType(map))) {
                    // libbpf takes over a compatible map pinned there, else creates and pins it
                    spec.pinMap(map, pins.map(map));
                }
            }
            return spec.load();
        } catch (VerifierException e) {
            LOG.error("Verifier rejected a program of {}:\n{}", name, e.verifierLog());
            throw new CubeException(CubeException.Kind.INVALID_VALUE, e.getMessage() + "\n" + e.verifierLog(), e);
        } catch (BpfException e) {
            throw CubeInstance.failed("loading the data path of " + name + " failed: " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw CubeInstance.failed("pinning the tables of " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** {@code <bpffs root>/public}, next to the patch panels' {@code xdp/} and {@code tc/}. */
    static Path publicDirectory(Path patchPin) {
        return patchPin.getParent().getParent().resolve("public");
    }

    /** A new MASTER object (new code or new constants) sharing the current tables; the caller swaps it in. */
    BpfObject prepareMaster(byte[] elf, LogLevel level) throws CubeException {
        return open(name, elf, patchPin, level, master, null, pins);
    }

    /** Makes {@code next} (from {@link #prepareMaster}) the MASTER and frees the previous one. */
    void commitMaster(byte[] elf, BpfObject next) {
        BpfObject previous = master;
        master = next;
        masterElf = elf;
        previous.close();
    }

    byte[] masterElf() {
        return masterElf.clone();
    }

    /**
     * Loads SLAVE µCube {@code index} and puts it in the cube's prog array (replacing any previous one):
     * 1..63 the ingress array, 65..127 slot {@code index - 64} of the egress array.
     */
    void setSlave(int index, byte[] elf, LogLevel level) throws CubeException {
        BpfObject next = open(name, elf, patchPin, level, master, slaves.get(index));
        commitSlaves(Map.of(index, next));
        slaveElfs.put(index, elf);
    }

    /**
     * Loads every SLAVE again with a new loglevel without installing any: all or nothing, so a verifier
     * refusal of one (code that is valid at one level only) leaves every program and slot as it was.
     */
    Map<Integer, BpfObject> prepareSlaves(LogLevel level) throws CubeException {
        Map<Integer, BpfObject> prepared = new TreeMap<>();
        try {
            for (Map.Entry<Integer, byte[]> slave : slaveElfs.entrySet()) {
                int index = slave.getKey();
                prepared.put(index, open(name, slave.getValue(), patchPin, level, master, slaves.get(index)));
            }
            return prepared;
        } catch (CubeException | RuntimeException e) {
            prepared.values().forEach(BpfObject::close);
            throw e;
        }
    }

    /**
     * Puts prepared SLAVEs into their prog-array slots and frees the ones they replace; if a slot update
     * fails, the slots already changed get their previous program back and the prepared objects are freed.
     */
    void commitSlaves(Map<Integer, BpfObject> prepared) throws CubeException {
        Map<Integer, BpfObject> done = new TreeMap<>();
        try {
            for (Map.Entry<Integer, BpfObject> slave : prepared.entrySet()) {
                slot(slave.getKey(), slave.getValue());
                done.put(slave.getKey(), slave.getValue());
            }
        } catch (BpfException | RuntimeException e) {
            done.keySet().forEach(index -> {
                BpfObject previous = slaves.get(index);
                try {
                    if (previous != null) {
                        slot(index, previous);
                    }
                } catch (BpfException | RuntimeException restore) {
                    LOG.warn("µCube {} of {}: restoring its slot failed: {}", index, name, restore.getMessage());
                }
            });
            prepared.values().forEach(BpfObject::close);
            throw CubeInstance.failed("a µCube of " + name + " could not be installed: " + e.getMessage(), e);
        }
        prepared.forEach((index, next) -> {
            BpfObject previous = slaves.put(index, next);
            if (previous != null) {
                previous.close();
            }
        });
    }

    private void slot(int index, BpfObject slave) throws BpfException {
        boolean egress = index > UCUBE_SLOTS;
        master.progArray(egress ? MAP_EGRESS_PROGS : MAP_INGRESS_PROGS)
            .set(egress ? index - UCUBE_SLOTS : index, slave.program(SLAVE_PROGRAM));
    }

    static CubeException compileFailed(CompileException e) {
        return new CubeException(CubeException.Kind.INVALID_VALUE, e.getMessage() + "\n" + e.compilerOutput(), e);
    }

    @Override
    public void close() {
        slaves.values().forEach(BpfObject::close);
        slaves.clear();
        master.close();
    }
}
