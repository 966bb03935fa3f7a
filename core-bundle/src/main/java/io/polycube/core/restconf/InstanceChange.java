package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import io.polycube.core.spi.ConfigNode;
import java.util.Optional;

/**
 * One cube instance (an entry of a top-level list) changed by a commit. {@code before} is empty for a
 * create, {@code after} is empty for a delete. Both carry effective values (YANG defaults filled in).
 *
 * @param cubeType the top-level list's local name, e.g. {@code simplefwd}
 * @param instanceName the value of the list key {@code name}
 */
public record InstanceChange(String cubeType, String instanceName, Optional<ConfigNode> before,
        Optional<ConfigNode> after) {
    public InstanceChange {
        requireNonNull(cubeType);
        requireNonNull(instanceName);
        requireNonNull(before);
        requireNonNull(after);
    }
}
