package io.polycube.dataplane.api;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.polycube.dataplane.impl.Errors;
import io.polycube.dataplane.impl.LibBpf;
import io.polycube.dataplane.impl.LibBpfLog;
import io.polycube.dataplane.impl.Rodata;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An opened, not yet loaded ELF object: what the file says, editable before load (constants, map
 * sizes, pins). {@link #load()} consumes it. Not loading it? Close it.
 */
public final class BpfObjectSpec implements AutoCloseable {
    private static final int OPEN_OPTS_SIZE = 80;
    private static final int EINVAL = 22;

    private final String name;
    private final Map<String, Pointer> programs = new LinkedHashMap<>();
    private final Map<String, Pointer> maps = new LinkedHashMap<>();
    private Pointer obj;
    private boolean consumed;

    private BpfObjectSpec(Pointer obj) {
        this.obj = obj;
        LibBpf lib = LibBpf.INSTANCE;
        this.name = lib.bpf_object__name(obj);
        for (Pointer p = lib.bpf_object__next_program(obj, null); p != null; p = lib.bpf_object__next_program(obj, p)) {
            programs.put(lib.bpf_program__name(p), p);
        }
        for (Pointer m = lib.bpf_object__next_map(obj, null); m != null; m = lib.bpf_object__next_map(obj, m)) {
            maps.put(lib.bpf_map__name(m), m);
        }
    }

    public static BpfObjectSpec open(Path elf) throws BpfException {
        LibBpfLog.install();
        Pointer obj = LibBpf.INSTANCE.bpf_object__open_file(elf.toString(), null);
        if (obj == null) {
            throw Errors.fromErrno("bpf_object__open_file", elf.toString());
        }
        return new BpfObjectSpec(obj);
    }

    /** Opens an in-memory ELF image; {@code name} becomes the object name (and internal map prefix). */
    public static BpfObjectSpec open(byte[] elf, String name) throws BpfException {
        LibBpfLog.install();
        if (elf.length == 0) {
            throw new BpfException("bpf_object__open_mem(" + name + "): empty image");
        }
        // libbpf parses the image in place during open and copies what it keeps.
        try (Memory image = new Memory(elf.length); Memory objectName = new Memory(name.length() * 4L + 1);
             Memory opts = new Memory(OPEN_OPTS_SIZE)) {
            image.write(0, elf, 0, elf.length);
            objectName.setString(0, name, "UTF-8");
            opts.clear();
            opts.setLong(0, OPEN_OPTS_SIZE);
            opts.setPointer(8, objectName);
            Pointer obj = LibBpf.INSTANCE.bpf_object__open_mem(image, elf.length, opts);
            if (obj == null) {
                throw Errors.fromErrno("bpf_object__open_mem", name);
            }
            return new BpfObjectSpec(obj);
        }
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

    /**
     * Sets a {@code const volatile} global of 1, 2, 4 or 8 bytes (little-endian). The value must fit
     * the variable, read as signed or unsigned.
     */
    public synchronized BpfObjectSpec setConstant(String constant, long value) throws BpfException {
        Rodata.Variable var = variable(constant);
        int size = var.size();
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new BpfException("constant " + constant + " in " + name + " is " + size
                + " bytes; setConstant(long) handles 1, 2, 4 or 8; use setConstant(String, byte[])");
        }
        if (size < 8) {
            long unsignedMax = (1L << (8 * size)) - 1;
            long signedMin = -(1L << (8 * size - 1));
            if (value > unsignedMax || value < signedMin) {
                throw new BpfException("constant " + constant + " in " + name + ": " + value + " does not fit in "
                    + size + " bytes");
            }
        }
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        var.image().write(var.offset(), bytes, 0, size);
        return this;
    }

    /** Sets a {@code const volatile} global of any type from its exact in-memory bytes. */
    public synchronized BpfObjectSpec setConstant(String constant, byte[] value) throws BpfException {
        Rodata.Variable var = variable(constant);
        if (value.length != var.size()) {
            throw new BpfException("constant " + constant + " in " + name + " is " + var.size() + " bytes, got "
                + value.length);
        }
        var.image().write(var.offset(), value, 0, value.length);
        return this;
    }

    private Rodata.Variable variable(String constant) throws BpfException {
        checkUsable();
        return Rodata.find(obj, name, constant);
    }

    public synchronized BpfObjectSpec setMaxEntries(String map, int n) throws BpfException {
        Errors.check(LibBpf.INSTANCE.bpf_map__set_max_entries(mapPointer(map), n), "bpf_map__set_max_entries",
            name + "." + map + ", " + n);
        return this;
    }

    /** Pins the map at load; if a compatible map is already pinned there, libbpf reuses it instead. */
    public synchronized BpfObjectSpec pinMap(String map, Path pinPath) throws BpfException {
        Errors.check(LibBpf.INSTANCE.bpf_map__set_pin_path(mapPointer(map), pinPath.toString()),
            "bpf_map__set_pin_path", name + "." + map + " at " + pinPath);
        return this;
    }

    /**
     * Where the map will be pinned, if it asks for pinning: set by {@link #pinMap}, or by the ELF itself
     * ({@code __uint(pinning, LIBBPF_PIN_BY_NAME)}: libbpf's default root plus the map name).
     */
    public synchronized Optional<Path> pinPath(String map) {
        String path = LibBpf.INSTANCE.bpf_map__pin_path(mapPointer(map));
        return path == null ? Optional.empty() : Optional.of(Path.of(path));
    }

    /** The map's type as the ELF declares it. */
    public synchronized MapType mapType(String map) {
        return MapType.of(LibBpf.INSTANCE.bpf_map__type(mapPointer(map)));
    }

    /**
     * Makes the map {@code mapName} of this object the kernel map behind {@code existing}, so the
     * loaded object shares it (reloading a program while keeping its tables). The definitions must
     * match (type, key size, value size, max entries); libbpf takes its own fd, so {@code existing}'s
     * object may be closed afterwards.
     *
     * @throws BpfException with errno EINVAL if the definitions differ
     */
    public synchronized BpfObjectSpec reuseMap(String mapName, BpfMap existing) throws BpfException {
        Pointer map = mapPointer(mapName);
        LibBpf lib = LibBpf.INSTANCE;
        String wanted = MapType.of(lib.bpf_map__type(map)) + " key " + lib.bpf_map__key_size(map) + " value "
            + lib.bpf_map__value_size(map) + " max_entries " + lib.bpf_map__max_entries(map);
        String offered = existing.type() + " key " + existing.keySize() + " value " + existing.valueSize()
            + " max_entries " + existing.maxEntries();
        if (!wanted.equals(offered)) {
            throw new BpfException("reuseMap(" + name + "." + mapName + ", " + existing.name() + "): definitions differ: "
                + "this object declares " + wanted + ", the existing map is " + offered, EINVAL);
        }
        existing.withFd(fd -> Errors.check(lib.bpf_map__reuse_fd(map, fd), "bpf_map__reuse_fd",
            name + "." + mapName + " <- " + existing.name()));
        return this;
    }

    private Pointer mapPointer(String map) {
        checkUsable();
        Pointer p = maps.get(map);
        if (p == null) {
            throw new IllegalArgumentException("object " + name + " has no map " + map + "; it has " + maps.keySet());
        }
        return p;
    }

    /**
     * Loads everything into the kernel, all or nothing. Consumes the spec whatever the outcome,
     * because libbpf cannot retry a failed load.
     *
     * @throws VerifierException if the verifier rejected a program
     */
    public synchronized BpfObject load() throws BpfException {
        checkUsable();
        consumed = true;
        Pointer raw = obj;
        obj = null;
        boolean loaded = false;
        try {
            // The log buffers are detached from the programs on close: before libbpf's object goes.
            try (VerifierLogs logs = new VerifierLogs(programs)) {
                int ret = LibBpf.INSTANCE.bpf_object__load(raw);
                if (ret < 0) {
                    throw logs.failure(name, ret);
                }
            }
            loaded = true;
        } finally {
            if (!loaded) {
                LibBpf.INSTANCE.bpf_object__close(raw);
            }
        }
        return BpfObject.adopt(name, raw);
    }

    private void checkUsable() {
        if (consumed) {
            throw new IllegalStateException("spec " + name + " was already loaded");
        }
        if (obj == null) {
            throw new IllegalStateException("spec " + name + " is closed");
        }
    }

    /** Frees the opened object unless it was loaded; idempotent. */
    @Override
    public synchronized void close() {
        if (obj != null) {
            LibBpf.INSTANCE.bpf_object__close(obj);
            obj = null;
        }
    }
}
