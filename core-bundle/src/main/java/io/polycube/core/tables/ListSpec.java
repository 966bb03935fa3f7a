package io.polycube.core.tables;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A list of a cube's YANG module bound to an eBPF map with {@code base:map}.
 *
 * @param list the list's local name (a child of the cube's top-level list)
 * @param map the eBPF map's name
 * @param config false for a config-false list: the whole list is read from the map
 * @param keys the key leaves, in key order
 * @param values the other leaves
 */
record ListSpec(String list, String map, boolean config, List<LeafSpec> keys, List<LeafSpec> values) {
    ListSpec {
        requireNonNull(list);
        requireNonNull(map);
        keys = List.copyOf(keys);
        values = List.copyOf(values);
    }
}
