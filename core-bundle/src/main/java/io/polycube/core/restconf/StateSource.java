package io.polycube.core.restconf;

import io.polycube.core.spi.ConfigNode;
import java.util.Optional;

/**
 * Operational state of one cube instance: a tree holding only list keys and config-false leaves,
 * e.g. {@code lists: ports -> [{name: p1, status: UP}]}. RESTCONF GET merges it into the config data.
 */
@FunctionalInterface
public interface StateSource {
    StateSource NONE = (cubeType, instanceName) -> Optional.empty();

    Optional<ConfigNode> state(String cubeType, String instanceName);
}
