package io.polycube.core.tables;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A leaf of a bound list as the YANG model declares it.
 *
 * @param name the leaf's local name
 * @param field the C field it fills ({@code base:field}, or the name with dashes as underscores)
 * @param enumValues enumeration: name to YANG value (empty otherwise)
 * @param config false for a config-false leaf (read from the map, never written)
 */
record LeafSpec(String name, String field, LeafKind kind, Map<String, Integer> enumValues, boolean config) {
    LeafSpec {
        requireNonNull(name);
        requireNonNull(field);
        requireNonNull(kind);
        enumValues = Map.copyOf(enumValues);
    }
}
