package io.polycube.core.impl;

import io.polycube.core.restconf.ChangeApplier;
import io.polycube.core.restconf.InstanceChange;
import io.polycube.core.restconf.StateSource;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.CubeType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns validated datastore changes into live cube instances. A request that touches several
 * instances is applied to all of them or, if one fails, to none: the earlier ones are reverted.
 */
final class InstanceManager implements ChangeApplier, StateSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceManager.class);

    private final Map<String, CubeType> types = new ConcurrentHashMap<>();
    private final Map<Key, CubeInstance> instances = new HashMap<>();
    private final NetdevClaims claims = new NetdevClaims();

    private record Key(String type, String name) {
    }

    void addType(CubeType type) {
        types.put(type.name(), type);
    }

    /** Forgets a cube type and frees its instances' data paths. */
    synchronized void removeType(String typeName) {
        types.remove(typeName);
        instances.entrySet().removeIf(entry -> {
            if (entry.getKey().type().equals(typeName)) {
                entry.getValue().close();
                return true;
            }
            return false;
        });
    }

    @Override
    public synchronized void apply(List<InstanceChange> changes) throws CubeException {
        List<InstanceChange> done = new ArrayList<>();
        try {
            for (InstanceChange change : changes) {
                applyOne(change.cubeType(), change.instanceName(), change.before(), change.after());
                done.add(change);
            }
        } catch (CubeException | RuntimeException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                InstanceChange change = done.get(i);
                try {
                    applyOne(change.cubeType(), change.instanceName(), change.after(), change.before());
                } catch (CubeException | RuntimeException undoFailure) {
                    LOG.error("Could not revert {} {}", change.cubeType(), change.instanceName(), undoFailure);
                }
            }
            throw e instanceof CubeException ce ? ce : CubeInstance.failed("internal error: " + e, e);
        }
    }

    private void applyOne(String typeName, String name, Optional<ConfigNode> before, Optional<ConfigNode> after)
            throws CubeException {
        Key key = new Key(typeName, name);
        CubeInstance current = instances.get(key);
        if (after.isEmpty()) {
            if (current != null) {
                instances.remove(key).close();
                LOG.info("Deleted {} {}", typeName, name);
            }
            return;
        }
        if (current != null) {
            current.reconfigure(after.get());
            return;
        }
        CubeType type = types.get(typeName);
        if (type == null) {
            throw new CubeException(CubeException.Kind.OPERATION_FAILED, "cube type " + typeName + " is not available");
        }
        instances.put(key, CubeInstance.create(type, name, after.get(), claims));
        LOG.info("Created {} {}", typeName, name);
    }

    @Override
    public synchronized Optional<ConfigNode> state(String cubeType, String instanceName) {
        return Optional.ofNullable(instances.get(new Key(cubeType, instanceName))).map(CubeInstance::state);
    }

    synchronized List<String> instanceNames(String typeName) {
        return instances.keySet().stream().filter(k -> k.type().equals(typeName)).map(Key::name).sorted().toList();
    }

    @Override
    public synchronized void close() {
        instances.values().forEach(CubeInstance::close);
        instances.clear();
    }
}
