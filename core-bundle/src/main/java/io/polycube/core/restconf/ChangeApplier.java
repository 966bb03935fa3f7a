package io.polycube.core.restconf;

import io.polycube.core.spi.CubeException;
import java.util.List;

/**
 * Applies a validated configuration change to the cubes before it is committed to the datastore.
 * Throwing rejects the whole change: nothing is committed.
 */
@FunctionalInterface
public interface ChangeApplier {
    void apply(List<InstanceChange> changes) throws CubeException;
}
