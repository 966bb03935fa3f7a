package io.polycube.core.impl;

import static io.polycube.core.impl.DataplaneLayout.MAX_PORTS;

import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.CubeType;
import io.polycube.core.spi.HookType;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.BpfProgArray;
import io.polycube.dataplane.api.VerifierException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live cube instance: its loaded data path, its ports bound to netdevs, and the cube's control
 * plane. Every change is all-or-nothing: a failed step undoes the steps before it.
 */
final class CubeInstance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CubeInstance.class);

    private final String typeName;
    private final String name;
    private final HookType hook;
    private final BpfObject object;
    private final int slot;
    private final Ports ports;
    private final Logger cubeLog;
    private CubeControl control;
    private ConfigNode config;

    private CubeInstance(CubeType type, String name, HookType hook, BpfObject object, int slot, NetdevClaims claims) {
        this.typeName = type.name();
        this.name = name;
        this.hook = hook;
        this.object = object;
        this.slot = slot;
        this.cubeLog = LoggerFactory.getLogger("pcn." + type.name() + "." + name);
        this.ports = new Ports(object, hook, claims, typeName + " " + name);
    }

    /**
     * Loads and attaches a new instance, puts its chain entry into patch-panel {@code slot} (the panel
     * is the map pinned at {@code patchPin}) and configures its control plane, or leaves nothing behind.
     */
    static CubeInstance create(CubeType type, String name, ConfigNode config, NetdevClaims claims, Path patchPin,
            int slot) throws CubeException {
        HookType hook = hookOf(config);
        PortPlan plan = PortPlan.of(config);
        if (plan.peers().size() > MAX_PORTS) {
            throw CubeException.invalid("a cube has at most " + MAX_PORTS + " ports");
        }
        BpfObject object = load(type, name, hook, patchPin);
        CubeInstance instance = new CubeInstance(type, name, hook, object, slot, claims);
        Undo undo = new Undo();
        try {
            BpfProgArray patch = object.progArray(DataplaneLayout.MAP_PATCH);
            patch.set(slot, object.program(DataplaneLayout.CHAIN_PROGRAM));
            undo.push(() -> patch.clear(slot));
            instance.ports.apply(plan, undo);
            instance.control = type.create(instance.context());
            instance.control.configure(config);
            instance.config = config;
            undo.forget();
            return instance;
        } catch (BpfException | CubeException | RuntimeException e) {
            if (instance.control != null) {
                instance.control.close();
            }
            undo.rollback();
            object.close();
            throw e instanceof CubeException ce ? ce : failed("cube " + type.name() + " failed to start: " + e, e);
        }
    }

    /** Applies a changed configuration; on failure the instance is back where it was. */
    synchronized void reconfigure(ConfigNode after) throws CubeException {
        if (hookOf(after) != hook) {
            throw new CubeException(CubeException.Kind.CONFLICT, "type of " + typeName + " " + name
                + " is " + hook + " and cannot change; delete and re-create the instance");
        }
        PortPlan plan = PortPlan.of(after);
        Undo undo = new Undo();
        try {
            ports.apply(plan, undo);
            control.configure(after);
            config = after;
            undo.forget();
        } catch (CubeException | RuntimeException e) {
            undo.rollback();
            throw e instanceof CubeException ce ? ce : failed("cube " + typeName + " failed to reconfigure", e);
        }
    }

    /** Operational state: ports with their status (UP: attached to its netdev, or linked to its cube peer). */
    synchronized ConfigNode state() {
        List<ConfigNode> portStates = new ArrayList<>();
        for (PortBinding binding : ports.bindings()) {
            boolean up = binding.link().isPresent() || ports.cubeLink(binding.name()).isPresent();
            portStates.add(ConfigNode.of(Map.of("name", binding.name(), "status", up ? "UP" : "DOWN"),
                Map.of(), Map.of(), Map.of()));
        }
        return ConfigNode.of(Map.of("name", name), Map.of(), Map.of(), Map.of("ports", portStates));
    }

    String name() {
        return name;
    }

    String typeName() {
        return typeName;
    }

    HookType hook() {
        return hook;
    }

    int slot() {
        return slot;
    }

    Ports ports() {
        return ports;
    }

    synchronized ConfigNode config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (control != null) {
            try {
                control.close();
            } catch (RuntimeException e) {
                LOG.warn("Cube {} {} failed to close its control plane", typeName, name, e);
            }
            control = null;
        }
        try {
            // First, so that no cube can tail-call into a data path being freed.
            object.progArray(DataplaneLayout.MAP_PATCH).clear(slot);
        } catch (BpfException | RuntimeException e) {
            LOG.warn("Cube {} {}: clearing patch-panel slot {} failed", typeName, name, slot, e);
        }
        ports.close();
        object.close();
    }

    private CubeContext context() {
        return new CubeContext() {
            @Override
            public String instanceName() {
                return name;
            }

            @Override
            public HookType hook() {
                return hook;
            }

            @Override
            public BpfObject dataplane() {
                return object;
            }

            @Override
            public OptionalInt portIndex(String portName) {
                return ports.index(portName);
            }

            @Override
            public Logger logger() {
                return cubeLog;
            }
        };
    }

    private static HookType hookOf(ConfigNode config) {
        return HookType.valueOf(config.leaf("type").orElse(HookType.TC.name()));
    }

    private static BpfObject load(CubeType type, String name, HookType hook, Path patchPin) throws CubeException {
        byte[] elf;
        try (InputStream in = type.dataplane(hook).openStream()) {
            elf = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw failed("cube " + type.name() + " has no data path for " + hook, e);
        }
        try (BpfObjectSpec spec = BpfObjectSpec.open(elf, type.name())) {
            return spec.pinMap(DataplaneLayout.MAP_PATCH, patchPin).load();
        } catch (VerifierException e) {
            LOG.error("Verifier rejected {} {} ({}):\n{}", type.name(), name, hook, e.verifierLog());
            throw failed(e.getMessage(), e);
        } catch (BpfException e) {
            throw failed("loading the data path of " + type.name() + " " + name + " failed: " + e.getMessage(), e);
        }
    }

    static CubeException failed(String message, Throwable cause) {
        return new CubeException(CubeException.Kind.OPERATION_FAILED, message, cause);
    }
}
