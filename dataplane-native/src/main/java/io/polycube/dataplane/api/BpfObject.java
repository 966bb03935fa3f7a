package io.polycube.dataplane.api;

import com.sun.jna.Pointer;
import io.polycube.dataplane.impl.Errors;
import io.polycube.dataplane.impl.LibBpf;
import io.polycube.dataplane.impl.LibC;
import io.polycube.dataplane.impl.Lifecycle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import com.sun.jna.ptr.IntByReference;

/**
 * A loaded eBPF object: its programs and maps live in the kernel until {@link #close()}. Closing
 * closes every map, program and ring buffer handed out; links are separate and stay attached.
 * <p>It holds its own duplicates of the program and map fds and closes libbpf's object at once:
 * libbpf keeps every program's instructions, line info and the parsed BTF for as long as the object
 * is open (≈ 250 KB for simplefwd), which nothing needs once the kernel has the programs.
 */
public final class BpfObject implements AutoCloseable {
    private final String name;
    private final Lifecycle lifecycle;
    private final Map<String, BpfProgram> programs = new LinkedHashMap<>();
    private final Map<String, BpfMap> maps = new LinkedHashMap<>();
    private final Map<String, BpfRingBuffer> ringBuffers = new HashMap<>();
    private final List<Integer> fds;
    private final Optional<Btf> btf;

    /**
     * Takes ownership of a loaded libbpf object: duplicates its program and map fds, copies its BTF
     * and closes it, also on failure (then with every duplicate made so far).
     */
    static BpfObject adopt(String name, Pointer obj) throws BpfException {
        Lifecycle lifecycle = new Lifecycle("BPF object " + name);
        List<Integer> fds = new ArrayList<>();
        try {
            LibBpf lib = LibBpf.INSTANCE;
            Map<String, BpfProgram> programs = new LinkedHashMap<>();
            for (Pointer p = lib.bpf_object__next_program(obj, null); p != null; p = lib.bpf_object__next_program(obj, p)) {
                String programName = lib.bpf_program__name(p);
                programs.put(programName, new BpfProgram(programName, ProgramType.of(lib.bpf_program__type(p)),
                    dup(lib.bpf_program__fd(p), programName, fds), lifecycle));
            }
            Map<String, BpfMap> maps = new LinkedHashMap<>();
            for (Pointer m = lib.bpf_object__next_map(obj, null); m != null; m = lib.bpf_object__next_map(obj, m)) {
                String mapName = lib.bpf_map__name(m);
                BpfMap.Info info = new BpfMap.Info(mapName, MapType.of(lib.bpf_map__type(m)),
                    dup(lib.bpf_map__fd(m), mapName, fds), lib.bpf_map__key_size(m), lib.bpf_map__value_size(m),
                    lib.bpf_map__max_entries(m), lib.bpf_map__btf_key_type_id(m), lib.bpf_map__btf_value_type_id(m));
                maps.put(mapName, typed(info, lifecycle));
            }
            return new BpfObject(name, lifecycle, programs, maps, fds, readBtf(obj));
        } catch (BpfException | RuntimeException e) {
            fds.forEach(LibC.INSTANCE::close);
            throw e;
        } finally {
            LibBpf.INSTANCE.bpf_object__close(obj);
        }
    }

    private static int dup(int fd, String what, List<Integer> fds) throws BpfException {
        if (fd < 0) {
            return fd; // not loaded or not created (autoload/autocreate off): nothing to keep
        }
        int copy = Errors.checkErrno(LibC.INSTANCE.fcntl(fd, LibC.F_DUPFD_CLOEXEC, 3), "fcntl(F_DUPFD_CLOEXEC)", what);
        fds.add(copy);
        return copy;
    }

    private BpfObject(String name, Lifecycle lifecycle, Map<String, BpfProgram> programs, Map<String, BpfMap> maps,
            List<Integer> fds, Optional<Btf> btf) {
        this.name = name;
        this.lifecycle = lifecycle;
        this.programs.putAll(programs);
        this.maps.putAll(maps);
        this.fds = List.copyOf(fds);
        this.btf = btf;
    }

    /** The object's BTF, copied at load (absent if the ELF was built without {@code -g}). */
    static Optional<Btf> readBtf(Pointer obj) {
        Pointer btf = LibBpf.INSTANCE.bpf_object__btf(obj);
        if (btf == null) {
            return Optional.empty();
        }
        IntByReference size = new IntByReference();
        Pointer raw = LibBpf.INSTANCE.btf__raw_data(btf, size);
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Btf.parse(raw.getByteArray(0, size.getValue())));
        } catch (IllegalArgumentException e) {
            // A blob libbpf accepted but this parser does not: the object still works, only without types.
            return Optional.empty();
        }
    }

    /** The object's types (map keys and values); see {@link BpfMap#btfKeyTypeId()}. */
    public Optional<Btf> btf() {
        return btf;
    }

    private static BpfMap typed(BpfMap.Info info, Lifecycle lifecycle) {
        return switch (info.type()) {
            case HASH, LRU_HASH, LPM_TRIE -> new BpfHashMap(info, lifecycle);
            case ARRAY -> new BpfArrayMap(info, lifecycle);
            case PERCPU_ARRAY -> new BpfPerCpuArrayMap(info, lifecycle);
            case PROG_ARRAY -> new BpfProgArray(info, lifecycle);
            case DEVMAP, DEVMAP_HASH -> new BpfDevMap(info, lifecycle);
            default -> new BpfMap(info, lifecycle);
        };
    }

    public String name() {
        return name;
    }

    public Set<String> programNames() {
        return Collections.unmodifiableSet(programs.keySet());
    }

    /** Names of all maps, including libbpf's internal ones such as {@code <obj>.rodata}. */
    public Set<String> mapNames() {
        return Collections.unmodifiableSet(maps.keySet());
    }

    public BpfProgram program(String programName) {
        BpfProgram program = programs.get(programName);
        if (program == null) {
            throw new IllegalArgumentException("object " + name + " has no program " + programName + "; it has "
                + programs.keySet());
        }
        return program;
    }

    public BpfMap map(String mapName) {
        BpfMap map = maps.get(mapName);
        if (map == null) {
            throw new IllegalArgumentException("object " + name + " has no map " + mapName + "; it has " + maps.keySet());
        }
        return map;
    }

    public BpfHashMap hashMap(String mapName) {
        return typed(mapName, BpfHashMap.class, "hash map");
    }

    public BpfArrayMap arrayMap(String mapName) {
        return typed(mapName, BpfArrayMap.class, "array map");
    }

    public BpfPerCpuArrayMap perCpuArrayMap(String mapName) {
        return typed(mapName, BpfPerCpuArrayMap.class, "per-CPU array map");
    }

    public BpfProgArray progArray(String mapName) {
        return typed(mapName, BpfProgArray.class, "prog array");
    }

    public BpfDevMap devMap(String mapName) {
        return typed(mapName, BpfDevMap.class, "devmap");
    }

    /** The consumer of a RINGBUF map; one per map, owned by this object (closing it only unmaps). */
    public BpfRingBuffer ringBuffer(String mapName) throws BpfException {
        BpfMap map = map(mapName);
        if (map.type() != MapType.RINGBUF) {
            throw new IllegalArgumentException("map " + mapName + " of " + name + " is " + map.type() + ", not RINGBUF");
        }
        lifecycle.enter();
        try {
            synchronized (ringBuffers) {
                BpfRingBuffer ring = ringBuffers.get(mapName);
                if (ring == null || ring.isClosed()) {
                    ring = BpfRingBuffer.open(mapName, map.fd(), map.maxEntries());
                    ringBuffers.put(mapName, ring);
                }
                return ring;
            }
        } finally {
            lifecycle.exit();
        }
    }

    private <T extends BpfMap> T typed(String mapName, Class<T> kind, String what) {
        BpfMap map = map(mapName);
        if (!kind.isInstance(map)) {
            throw new IllegalArgumentException("map " + mapName + " of " + name + " is " + map.type() + ", not a "
                + what);
        }
        return kind.cast(map);
    }

    /** Unloads everything (pinned maps and attached programs survive in the kernel); idempotent. */
    @Override
    public void close() {
        lifecycle.close(() -> {
            synchronized (ringBuffers) {
                ringBuffers.values().forEach(BpfRingBuffer::close);
            }
            closeFds();
        });
    }

    private void closeFds() {
        fds.forEach(LibC.INSTANCE::close);
    }

    @Override
    public String toString() {
        return "BpfObject[" + name + " programs " + programs.keySet() + " maps " + maps.keySet() + "]";
    }
}
