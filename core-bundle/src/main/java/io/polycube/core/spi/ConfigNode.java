package io.polycube.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, validated view of a YANG data subtree for cube code: leaves are their canonical
 * string values, lists are lists of entries, containers are nested nodes. Names are local names
 * (no module prefix). Cube authors need not touch yangtools.
 */
public final class ConfigNode {
    private final Map<String, String> leaves;
    private final Map<String, List<String>> leafLists;
    private final Map<String, ConfigNode> containers;
    private final Map<String, List<ConfigNode>> lists;

    private ConfigNode(Map<String, String> leaves, Map<String, List<String>> leafLists,
            Map<String, ConfigNode> containers, Map<String, List<ConfigNode>> lists) {
        this.leaves = Map.copyOf(leaves);
        this.leafLists = Map.copyOf(leafLists);
        this.containers = Map.copyOf(containers);
        this.lists = Map.copyOf(lists);
    }

    public static ConfigNode of(Map<String, String> leaves, Map<String, List<String>> leafLists,
            Map<String, ConfigNode> containers, Map<String, List<ConfigNode>> lists) {
        return new ConfigNode(requireNonNull(leaves), requireNonNull(leafLists), requireNonNull(containers),
            requireNonNull(lists).entrySet().stream().collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()))));
    }

    public static ConfigNode empty() {
        return new ConfigNode(Map.of(), Map.of(), Map.of(), Map.of());
    }

    public Optional<String> leaf(String name) {
        return Optional.ofNullable(leaves.get(name));
    }

    public List<String> leafList(String name) {
        return leafLists.getOrDefault(name, List.of());
    }

    public Optional<ConfigNode> container(String name) {
        return Optional.ofNullable(containers.get(name));
    }

    public List<ConfigNode> list(String name) {
        return lists.getOrDefault(name, List.of());
    }

    @Override
    public boolean equals(Object obj) {
        // Identity first: conversions share the nodes a change did not touch.
        return obj == this || obj instanceof ConfigNode other && leaves.equals(other.leaves)
            && leafLists.equals(other.leafLists) && containers.equals(other.containers) && lists.equals(other.lists);
    }

    @Override
    public int hashCode() {
        return leaves.hashCode() * 31 + lists.hashCode();
    }

    @Override
    public String toString() {
        return "ConfigNode" + leaves + lists + containers;
    }
}
