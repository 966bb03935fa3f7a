package io.polycube.core.tables;

import io.polycube.core.spi.ConfigNode;
import io.polycube.dataplane.api.BpfMap;
import io.polycube.dataplane.api.Btf;
import io.polycube.dataplane.api.BtfType;
import io.polycube.dataplane.api.MapType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * One bound list matched to its map's C layout: which bytes of the key and of the value each leaf
 * fills. Made when an instance's data path is loaded; refuses what cannot work with a
 * {@link TableException} that names the list, the leaf and the C types.
 */
final class Binding {
    private static final Set<MapType> CONFIG_TYPES = Set.of(MapType.HASH, MapType.LRU_HASH, MapType.ARRAY,
        MapType.LPM_TRIE);
    private static final Set<MapType> STATE_TYPES = Set.of(MapType.HASH, MapType.LRU_HASH, MapType.ARRAY,
        MapType.LPM_TRIE, MapType.PERCPU_HASH, MapType.PERCPU_ARRAY, MapType.LRU_PERCPU_HASH);

    /** A leaf and where it goes. */
    record Slot(LeafSpec leaf, Field field) {
    }

    private final ListSpec spec;
    private final MapType type;
    private final int keySize;
    private final int valueSize;
    private final List<Slot> keys;
    private final List<Slot> values;
    private final boolean stateLeaves;
    /** LPM_TRIE: the {@code __u32 prefixlen} at offset 0 of the key. */
    private final Optional<Field> prefixLength;

    private Binding(ListSpec spec, MapType type, int keySize, int valueSize, List<Slot> keys, List<Slot> values,
            Optional<Field> prefixLength) {
        this.spec = spec;
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.keys = List.copyOf(keys);
        this.values = List.copyOf(values);
        this.stateLeaves = this.values.stream().anyMatch(s -> !s.leaf().config());
        this.prefixLength = prefixLength;
    }

    static Binding of(ListSpec spec, BpfMap map, Optional<Btf> maybeBtf) throws TableException {
        String where = "list " + spec.list() + " bound to map " + spec.map();
        if (!(spec.config() ? CONFIG_TYPES : STATE_TYPES).contains(map.type())) {
            throw new TableException(where + ": a " + (spec.config() ? "config" : "config-false") + " list cannot be"
                + " bound to a " + map.type() + " map; supported: " + (spec.config() ? CONFIG_TYPES : STATE_TYPES));
        }
        if (maybeBtf.isEmpty() || map.btfKeyTypeId() == 0 || map.btfValueTypeId() == 0) {
            throw new TableException(where + ": the map has no BTF key/value types; declare it with"
                + " __type(key, ...) and __type(value, ...) and build with -g");
        }
        Btf btf = maybeBtf.get();
        Map<String, Field> keyFields = fields(btf, map.btfKeyTypeId(), where + " (key)");
        Map<String, Field> valueFields = fields(btf, map.btfValueTypeId(), where + " (value)");
        Optional<Field> prefix = Optional.empty();
        if (map.type() == MapType.LPM_TRIE) {
            Field first = keyFields.get("prefixlen");
            if (first == null || first.offset() != 0 || first.size() != 4 || first.shape() != Field.Shape.INT) {
                throw new TableException(where + ": an LPM_TRIE key must start with __u32 prefixlen");
            }
            if (spec.keys().size() != 1 || !spec.keys().get(0).kind().prefix()) {
                throw new TableException(where + ": an LPM_TRIE list needs one key leaf of type inet:ipv4-prefix or"
                    + " inet:ipv6-prefix");
            }
            keyFields.remove("prefixlen");
            prefix = Optional.of(first);
        }
        List<Slot> keys = slots(spec.keys(), keyFields, where + " (key " + btf.describe(map.btfKeyTypeId()) + ")");
        for (Slot key : keys) {
            if (key.leaf().kind().prefix() && prefix.isEmpty()) {
                throw new TableException(where + ": prefix key " + key.leaf().name() + " needs an LPM_TRIE map");
            }
        }
        List<Slot> values = slots(spec.values(), valueFields, where + " (value " + btf.describe(map.btfValueTypeId())
            + ")");
        for (Slot value : values) {
            if (value.leaf().kind().prefix()) {
                throw new TableException(where + ": prefix leaf " + value.leaf().name() + " can only be the key of an"
                    + " LPM_TRIE map");
            }
        }
        if (spec.config() && map.type().isPerCpu()) {
            throw new TableException(where + ": per-CPU maps hold state only");
        }
        return new Binding(spec, map.type(), map.keySize(), map.valueSize(), keys, values, prefix);
    }

    /** Members of a struct by name, or the whole type as one unnamed field. */
    private static Map<String, Field> fields(Btf btf, int typeId, String where) throws TableException {
        Map<String, Field> fields = new HashMap<>();
        if (btf.resolve(typeId) instanceof BtfType.Struct struct && !struct.union()) {
            for (BtfType.Member member : struct.members()) {
                if (member.bitSize() != 0 || member.bitOffset() % 8 != 0) {
                    throw new TableException(where + ": bitfield " + member.name() + " is not supported");
                }
                if (member.name().isEmpty()) {
                    continue;
                }
                try {
                    fields.put(member.name(), Field.of(btf, member.name(), member.type(), member.bitOffset() / 8, where));
                } catch (TableException e) {
                    // Only a field some leaf names must have a usable type; others are left zero.
                    fields.put(member.name(), null);
                }
            }
        } else {
            fields.put("", Field.of(btf, "", typeId, 0, where));
        }
        return fields;
    }

    private static List<Slot> slots(List<LeafSpec> leaves, Map<String, Field> fields, String where)
            throws TableException {
        List<Slot> slots = new ArrayList<>();
        boolean scalar = fields.size() == 1 && fields.containsKey("");
        if (scalar && leaves.size() > 1) {
            throw new TableException(where + ": " + leaves.size() + " leaves but the C type is a scalar; use a struct"
                + " with fields " + leaves.stream().map(LeafSpec::field).toList());
        }
        for (LeafSpec leaf : leaves) {
            Field field = scalar ? fields.get("") : fields.get(leaf.field());
            if (field == null) {
                throw new TableException(where + ": leaf " + leaf.name() + " has no C field " + leaf.field()
                    + (fields.containsKey(leaf.field()) ? " of integer, enum or integer-array type" : "")
                    + "; fields: " + fields.keySet().stream().sorted().toList() + " (rename with base:field)");
            }
            String misfit = Codec.misfit(leaf, field);
            if (misfit != null) {
                throw new TableException(where + ": leaf " + leaf.name() + " (" + leaf.kind().name().toLowerCase()
                    + ") does not fit C field " + (field.name().isEmpty() ? "" : field.name() + " ") + "("
                    + field.cType() + "): " + misfit);
            }
            slots.add(new Slot(leaf, field));
        }
        return slots;
    }

    ListSpec spec() {
        return spec;
    }

    MapType type() {
        return type;
    }

    /** Value slots of config-false leaves (kept in the kernel on update, read at GET). */
    boolean hasStateLeaves() {
        return stateLeaves;
    }

    byte[] key(ConfigNode entry, Function<String, OptionalInt> portIndex) {
        byte[] key = new byte[keySize];
        for (Slot slot : keys) {
            String value = entry.leaf(slot.leaf().name()).orElseThrow(
                () -> new IllegalArgumentException("key " + slot.leaf().name() + " missing"));
            int length = Codec.encode(slot.leaf(), slot.field(), value, key, 0, portIndex);
            if (prefixLength.isPresent()) {
                Codec.putInt(key, 0, prefixLength.get(), length);
            }
        }
        return key;
    }

    /** The config part of the value: config leaves written, everything else zero. */
    byte[] value(ConfigNode entry, Function<String, OptionalInt> portIndex) {
        byte[] value = new byte[valueSize];
        for (Slot slot : values) {
            if (slot.leaf().config()) {
                Optional<String> leaf = entry.leaf(slot.leaf().name());
                if (leaf.isPresent()) {
                    Codec.encode(slot.leaf(), slot.field(), leaf.get(), value, 0, portIndex);
                }
            }
        }
        return value;
    }

    /** {@code current} with the config leaves' bytes of {@code config}: state fields kept. */
    byte[] overlay(byte[] current, byte[] config) {
        byte[] merged = current.clone();
        for (Slot slot : values) {
            if (slot.leaf().config()) {
                System.arraycopy(config, slot.field().offset(), merged, slot.field().offset(), slot.field().size());
            }
        }
        return merged;
    }

    /** Per-CPU values: one value with the integer fields of state leaves summed, the rest from CPU 0. */
    byte[] sumPerCpu(byte[] all, int cpus) {
        int stride = (valueSize + 7) & ~7;
        byte[] sum = java.util.Arrays.copyOf(all, valueSize);
        for (Slot slot : values) {
            if (slot.leaf().kind().integer()) {
                long total = 0;
                for (int cpu = 0; cpu < cpus; cpu++) {
                    total += Codec.getInt(all, cpu * stride + slot.field().offset(), slot.field());
                }
                Codec.putInt(sum, slot.field().offset(), slot.field(), total);
            }
        }
        return sum;
    }

    /** The leaves of one map entry: keys (if {@code withKeys}) and state leaves (all value leaves if a state list). */
    Optional<Map<String, String>> decode(byte[] key, byte[] value, boolean withKeys,
            IntFunction<Optional<String>> portName) {
        Map<String, String> leaves = new HashMap<>();
        int length = prefixLength.map(f -> (int) Codec.getInt(key, 0, f)).orElse(-1);
        if (withKeys) {
            for (Slot slot : keys) {
                Optional<String> v = Codec.decode(slot.leaf(), slot.field(), key, 0, length, portName);
                if (v.isEmpty()) {
                    return Optional.empty();
                }
                leaves.put(slot.leaf().name(), v.get());
            }
        }
        for (Slot slot : values) {
            if (!spec.config() || !slot.leaf().config()) {
                Codec.decode(slot.leaf(), slot.field(), value, 0, length, portName)
                    .ifPresent(v -> leaves.put(slot.leaf().name(), v));
            }
        }
        return Optional.of(leaves);
    }
}
