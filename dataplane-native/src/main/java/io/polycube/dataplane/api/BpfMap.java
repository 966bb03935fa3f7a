package io.polycube.dataplane.api;

import io.polycube.dataplane.impl.Errors;
import io.polycube.dataplane.impl.LibBpf;
import io.polycube.dataplane.impl.Lifecycle;
import io.polycube.dataplane.impl.Sys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A map of a loaded {@link BpfObject}. The object owns it: it is not closed on its own, and every
 * operation throws {@link IllegalStateException} once the object is closed. Per-CPU maps take and
 * return the concatenation of all possible CPUs' values, each padded to 8 bytes.
 */
public class BpfMap {
    private static final int ENOENT = 2;

    private final String name;
    private final MapType type;
    private final int fd;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private final Lifecycle owner;
    private final int btfKeyTypeId;
    private final int btfValueTypeId;

    BpfMap(Info info, Lifecycle owner) {
        this.name = info.name();
        this.type = info.type();
        this.fd = info.fd();
        this.keySize = info.keySize();
        this.valueSize = info.valueSize();
        this.maxEntries = info.maxEntries();
        this.owner = owner;
        this.btfKeyTypeId = info.btfKeyTypeId();
        this.btfValueTypeId = info.btfValueTypeId();
    }

    /** What libbpf reports about a loaded map. */
    record Info(String name, MapType type, int fd, int keySize, int valueSize, int maxEntries, int btfKeyTypeId,
            int btfValueTypeId) {
    }

    /** The key's type id in the object's {@link BpfObject#btf()}; 0 if the map declares no BTF key type. */
    public final int btfKeyTypeId() {
        return btfKeyTypeId;
    }

    /** The value's type id in the object's {@link BpfObject#btf()}; 0 if the map declares no BTF value type. */
    public final int btfValueTypeId() {
        return btfValueTypeId;
    }

    public final String name() {
        return name;
    }

    public final MapType type() {
        return type;
    }

    /** The map fd, valid while the owning object is open. */
    public final int fd() {
        owner.enter();
        owner.exit();
        return fd;
    }

    /** Something done with the raw fd while the owning object cannot close. */
    interface FdAction {
        void apply(int fd) throws BpfException;
    }

    final void withFd(FdAction action) throws BpfException {
        owner.enter();
        try {
            action.apply(fd);
        } finally {
            owner.exit();
        }
    }

    public final int keySize() {
        return keySize;
    }

    public final int valueSize() {
        return valueSize;
    }

    public final int maxEntries() {
        return maxEntries;
    }

    /** Bytes of a value as the syscall sees it: per-CPU maps hold one padded slot per possible CPU. */
    final int valueBufferSize() {
        return type.isPerCpu() ? perCpuStride() * Sys.possibleCpus() : valueSize;
    }

    /** Bytes of one CPU's slot in a per-CPU value: the value size rounded up to 8. */
    final int perCpuStride() {
        return (valueSize + 7) & ~7;
    }

    /** Array maps ({@code kind} names the map in errors): the value at {@code index}, which always exists. */
    final byte[] lookupIndex(int index, String kind) throws BpfException {
        checkIndex(index, kind);
        return lookup(u32(index)).orElseThrow(() -> new BpfException(kind + " " + name + ": index " + index
            + " missing", 2));
    }

    final void checkIndex(int index, String kind) {
        if (index < 0 || index >= maxEntries) {
            throw new IndexOutOfBoundsException(kind + " " + name + ": index " + index + " not in [0, " + maxEntries
                + ")");
        }
    }

    public Optional<byte[]> lookup(byte[] key) throws BpfException {
        checkKey(key);
        byte[] value = new byte[valueBufferSize()];
        owner.enter();
        try {
            int ret = LibBpf.INSTANCE.bpf_map_lookup_elem(fd, key, value);
            if (ret == -ENOENT) {
                return Optional.empty();
            }
            Errors.check(ret, "bpf_map_lookup_elem", name);
            return Optional.of(value);
        } finally {
            owner.exit();
        }
    }

    public void update(byte[] key, byte[] value) throws BpfException {
        update(key, value, UpdateMode.ANY);
    }

    public void update(byte[] key, byte[] value, UpdateMode mode) throws BpfException {
        checkKey(key);
        if (value.length != valueBufferSize()) {
            throw new IllegalArgumentException("map " + name + ": value is " + value.length + " bytes, expected "
                + valueBufferSize());
        }
        owner.enter();
        try {
            Errors.check(LibBpf.INSTANCE.bpf_map_update_elem(fd, key, value, mode.flag()), "bpf_map_update_elem",
                name + ", " + mode);
        } finally {
            owner.exit();
        }
    }

    /** Returns false if the key was absent. Array maps cannot delete: they throw (EINVAL). */
    public boolean delete(byte[] key) throws BpfException {
        checkKey(key);
        owner.enter();
        try {
            int ret = LibBpf.INSTANCE.bpf_map_delete_elem(fd, key);
            if (ret == -ENOENT) {
                return false;
            }
            Errors.check(ret, "bpf_map_delete_elem", name);
            return true;
        } finally {
            owner.exit();
        }
    }

    /** All keys, in the kernel's iteration order; not a snapshot if the data path writes meanwhile. */
    public List<byte[]> keys() throws BpfException {
        List<byte[]> keys = new ArrayList<>();
        owner.enter();
        try {
            byte[] previous = null;
            while (true) {
                byte[] next = new byte[keySize];
                int ret = LibBpf.INSTANCE.bpf_map_get_next_key(fd, previous, next);
                if (ret == -ENOENT) {
                    return keys;
                }
                Errors.check(ret, "bpf_map_get_next_key", name);
                keys.add(next);
                previous = next;
            }
        } finally {
            owner.exit();
        }
    }

    /** Pins the map to a bpffs path; the pin keeps the map alive after this process is gone. */
    public void pin(Path path) throws BpfException {
        owner.enter();
        try {
            Errors.check(LibBpf.INSTANCE.bpf_obj_pin(fd, path.toString()), "bpf_obj_pin", name + " at " + path);
        } finally {
            owner.exit();
        }
    }

    final void checkKey(byte[] key) {
        if (key.length != keySize) {
            throw new IllegalArgumentException("map " + name + ": key is " + key.length + " bytes, expected " + keySize);
        }
    }

    static byte[] u32(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + " " + type + " key " + keySize + " value " + valueSize
            + " max " + maxEntries + "]";
    }
}
