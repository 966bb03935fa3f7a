package io.polycube.core.tables;

import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeException;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfMap;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.MapType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The bound tables of one cube instance: keeps each bound map equal to its YANG list (a diff against
 * what was last written, applied all or nothing) and reads config-false leaves from the maps.
 * Maps are looked up by name in the MASTER object given to each call: a reload swaps the object but
 * shares the kernel maps, so what was written stays valid. Not thread-safe: the instance serialises.
 */
public final class Tables {
    private static final int E2BIG = 7;
    private static final int ENOMEM = 12;
    private static final int ENOSPC = 28;

    private final List<Binding> bindings;
    /** Per bound config list: key → config bytes of the value last written. */
    private final Map<String, Map<ByteBuffer, byte[]>> written = new HashMap<>();

    private Tables(List<Binding> bindings) {
        this.bindings = List.copyOf(bindings);
    }

    /** Matches every bound list of {@code schema} to its map in {@code master}, or says why it cannot. */
    public static Tables bind(TableSchema schema, BpfObject master) throws TableException {
        List<Binding> bindings = new ArrayList<>();
        for (ListSpec spec : schema.lists()) {
            if (!master.mapNames().contains(spec.map())) {
                throw new TableException("list " + spec.list() + " is bound to map " + spec.map() + ", which the data path"
                    + " of " + master.name() + " does not have; it has " + master.mapNames());
            }
            bindings.add(Binding.of(spec, master.map(spec.map()), master.btf()));
        }
        return new Tables(bindings);
    }

    /** What {@link #apply} changed, to be undone if a later step of the same change fails. */
    @FunctionalInterface
    public interface Revert {
        void run() throws CubeException;
    }

    /**
     * Makes every bound map hold exactly the entries of {@code config}. On a failure (a value that does
     * not convert, a full map, any kernel error) the entries already changed are written back and the
     * maps are as before.
     */
    public Revert apply(BpfObject master, ConfigNode config, Function<String, OptionalInt> portIndex)
            throws CubeException {
        List<Runnable> done = new ArrayList<>();
        try {
            for (Binding binding : bindings) {
                if (binding.spec().config()) {
                    done.add(applyOne(master, binding, config, portIndex));
                }
            }
        } catch (CubeException | RuntimeException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                done.get(i).run();
            }
            throw e;
        }
        return () -> {
            for (int i = done.size() - 1; i >= 0; i--) {
                done.get(i).run();
            }
        };
    }

    private Runnable applyOne(BpfObject master, Binding binding, ConfigNode config,
            Function<String, OptionalInt> portIndex) throws CubeException {
        String list = binding.spec().list();
        Map<ByteBuffer, byte[]> before = written.getOrDefault(list, Map.of());
        Map<ByteBuffer, byte[]> wanted = new LinkedHashMap<>();
        for (ConfigNode entry : config.list(list)) {
            try {
                wanted.put(ByteBuffer.wrap(binding.key(entry, portIndex)), binding.value(entry, portIndex));
            } catch (IllegalArgumentException e) {
                String key = binding.spec().keys().stream().map(k -> entry.leaf(k.name()).orElse("?"))
                    .collect(java.util.stream.Collectors.joining(","));
                throw CubeException.invalid(list + "=" + key + ": " + e.getMessage());
            }
        }
        BpfMap map = master.map(binding.spec().map());
        MapWriter writer = new MapWriter(binding, map);
        try {
            // Deletes first: they make room for the additions in a full hash map.
            for (Map.Entry<ByteBuffer, byte[]> old : before.entrySet()) {
                if (!wanted.containsKey(old.getKey())) {
                    writer.remove(old.getKey(), old.getValue());
                }
            }
            for (Map.Entry<ByteBuffer, byte[]> entry : wanted.entrySet()) {
                byte[] previous = before.get(entry.getKey());
                if (previous == null || !java.util.Arrays.equals(previous, entry.getValue())) {
                    writer.put(entry.getKey(), entry.getValue(), previous);
                }
            }
        } catch (BpfException e) {
            writer.rollback();
            throw failure(binding, map, e);
        } catch (RuntimeException e) {
            writer.rollback();
            throw e;
        }
        written.put(list, wanted);
        return () -> {
            writer.rollback();
            written.put(list, before);
        };
    }

    private static CubeException failure(Binding binding, BpfMap map, BpfException e) {
        int errno = e.errno();
        if (errno == E2BIG || errno == ENOSPC || errno == ENOMEM) {
            return new CubeException(CubeException.Kind.CONFLICT, "table " + binding.spec().list() + " does not fit in"
                + " map " + map.name() + " (max_entries " + map.maxEntries() + ")", e);
        }
        return new CubeException(CubeException.Kind.OPERATION_FAILED, "updating map " + map.name() + " of table "
            + binding.spec().list() + " failed: " + e.getMessage(), e);
    }

    /**
     * Config-false data read from the maps: for config lists, the keys and state leaves of the
     * configured entries; for config-false lists, every entry of the map.
     */
    public Map<String, List<ConfigNode>> state(BpfObject master, ConfigNode config, Function<String, OptionalInt> portIndex,
            IntFunction<Optional<String>> portName) throws BpfException {
        Map<String, List<ConfigNode>> lists = new LinkedHashMap<>();
        for (Binding binding : bindings) {
            BpfMap map = master.map(binding.spec().map());
            List<ConfigNode> entries = new ArrayList<>();
            if (binding.spec().config()) {
                if (!binding.hasStateLeaves()) {
                    continue;
                }
                for (ConfigNode entry : config.list(binding.spec().list())) {
                    byte[] key;
                    try {
                        key = binding.key(entry, portIndex);
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    Optional<byte[]> value = map.lookup(key);
                    if (value.isPresent()) {
                        Map<String, String> leaves = new HashMap<>();
                        binding.spec().keys().forEach(k -> entry.leaf(k.name()).ifPresent(v -> leaves.put(k.name(), v)));
                        binding.decode(key, value(binding, map, value.get()), false, portName)
                            .ifPresent(leaves::putAll);
                        entries.add(ConfigNode.of(leaves, Map.of(), Map.of(), Map.of()));
                    }
                }
            } else {
                for (byte[] key : map.keys()) {
                    Optional<byte[]> raw = map.lookup(key);
                    if (raw.isEmpty()) {
                        continue;
                    }
                    byte[] value = value(binding, map, raw.get());
                    if (binding.type() == MapType.ARRAY || binding.type() == MapType.PERCPU_ARRAY) {
                        if (isZero(value)) {
                            continue; // an array always has every index: only non-zero slots are entries
                        }
                    }
                    binding.decode(key, value, true, portName)
                        .ifPresent(leaves -> entries.add(ConfigNode.of(leaves, Map.of(), Map.of(), Map.of())));
                }
            }
            if (!entries.isEmpty()) {
                lists.put(binding.spec().list(), entries);
            }
        }
        return lists;
    }

    private static byte[] value(Binding binding, BpfMap map, byte[] raw) {
        return map.type().isPerCpu() ? binding.sumPerCpu(raw, raw.length / ((map.valueSize() + 7) & ~7)) : raw;
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes to one map, remembering each entry's previous content so that it can be put back. */
    private static final class MapWriter {
        private final Binding binding;
        private final BpfMap map;
        private final boolean array;
        /** key → the kernel bytes before our first write (null: absent). */
        private final Map<ByteBuffer, Optional<byte[]>> previous = new LinkedHashMap<>();

        MapWriter(Binding binding, BpfMap map) {
            this.binding = binding;
            this.map = map;
            this.array = map.type() == MapType.ARRAY;
        }

        void put(ByteBuffer key, byte[] config, byte[] old) throws BpfException {
            byte[] k = key.array();
            Optional<byte[]> current = remember(key, k, old);
            byte[] value = binding.hasStateLeaves() && current.isPresent() ? binding.overlay(current.get(), config)
                : config;
            map.update(k, value);
        }

        void remove(ByteBuffer key, byte[] old) throws BpfException {
            byte[] k = key.array();
            remember(key, k, old);
            if (array) {
                // An array slot cannot be deleted: an absent entry is a zeroed slot.
                map.update(k, new byte[map.valueSize()]);
            } else {
                map.delete(k);
            }
        }

        /** The kernel's entry before our first write to it; read back only where state fields live there too. */
        private Optional<byte[]> remember(ByteBuffer key, byte[] k, byte[] old) throws BpfException {
            Optional<byte[]> current;
            if (binding.hasStateLeaves()) {
                current = map.lookup(k);
            } else if (old != null) {
                current = Optional.of(old);
            } else {
                current = array ? Optional.of(new byte[map.valueSize()]) : Optional.empty();
            }
            previous.putIfAbsent(key, current);
            return current;
        }

        /** Puts back what was there, newest change first; failures are logged by the caller's undo. */
        void rollback() {
            List<Map.Entry<ByteBuffer, Optional<byte[]>>> changes = new ArrayList<>(previous.entrySet());
            for (int i = changes.size() - 1; i >= 0; i--) {
                byte[] k = changes.get(i).getKey().array();
                try {
                    Optional<byte[]> old = changes.get(i).getValue();
                    if (old.isPresent()) {
                        map.update(k, old.get());
                    } else if (!array) {
                        map.delete(k);
                    }
                } catch (BpfException | RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(Tables.class).error("Restoring an entry of map {} failed; the"
                        + " table may differ from the configuration", map.name(), e);
                }
            }
        }
    }
}
