package io.polycube.core.impl;

import static io.polycube.core.impl.DataplaneLayout.MAX_PORTS;

import io.polycube.core.api.Direction;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.CubeType;
import io.polycube.core.spi.HookType;
import io.polycube.core.spi.PacketIn;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.BpfProgArray;
import io.polycube.dataplane.api.BpfRingPoller;
import io.polycube.dataplane.api.VerifierException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final SlowPath slowPath;
    /** Read by the slow-path thread; the registration's lock orders it with close(). */
    private volatile CubeControl control;
    private ConfigNode config;
    private BpfRingPoller.Registration packetIns;

    private CubeInstance(CubeType type, String name, HookType hook, BpfObject object, int slot, NetdevClaims claims,
            SlowPath slowPath) {
        this.slowPath = slowPath;
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
            int slot, SlowPath slowPath) throws CubeException {
        HookType hook = hookOf(config);
        PortPlan plan = PortPlan.of(config);
        if (plan.peers().size() > MAX_PORTS) {
            throw CubeException.invalid("a cube has at most " + MAX_PORTS + " ports");
        }
        BpfObject object = load(type, name, hook, patchPin);
        CubeInstance instance = new CubeInstance(type, name, hook, object, slot, claims, slowPath);
        Undo undo = new Undo();
        try {
            BpfProgArray patch = object.progArray(DataplaneLayout.MAP_PATCH);
            patch.set(slot, object.program(DataplaneLayout.CHAIN_PROGRAM));
            undo.push(() -> patch.clear(slot));
            instance.ports.apply(plan, undo);
            instance.control = type.create(instance.context());
            instance.control.configure(config);
            instance.config = config;
            // after the first configure: packetIn never reaches an unconfigured control plane
            instance.packetIns = slowPath.listen(object.ringBuffer(DataplaneLayout.MAP_SLOWPATH), instance::onPacketIn);
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
        if (packetIns != null) {
            // Waits for a packetIn in progress; from here on the slow-path thread never touches this instance.
            packetIns.close();
            packetIns = null;
        }
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

    /** On the slow-path thread: one pcn_pkt_in record of this instance's ring. */
    private void onPacketIn(ByteBuffer record) {
        CubeControl current = control;
        Optional<PacketIn> packet = PacketIns.decode(record, this::portName);
        if (current == null || packet.isEmpty()) {
            LOG.debug("Cube {} {}: slow-path record dropped (port gone or malformed)", typeName, name);
            return;
        }
        current.packetIn(packet.get());
    }

    private Optional<String> portName(int index) {
        return ports.bindings().stream().filter(b -> b.index() == index).map(PortBinding::name).findFirst();
    }

    /** packet_out; see CubeContext#sendPacketOut. Takes no instance lock: it runs inside packetIn. */
    void sendPacketOut(String port, Direction dir, byte[] frame) throws CubeException {
        int index = ports.index(port).orElseThrow(() -> CubeException.invalid(
            "cube " + name + " has no port " + port));
        if (frame.length < 14 || frame.length > DataplaneLayout.INJ_FRAME_MAX) {
            throw CubeException.invalid("packet_out needs an Ethernet frame of 14.." + DataplaneLayout.INJ_FRAME_MAX
                + " bytes, got " + frame.length);
        }
        if (dir == Direction.INGRESS) {
            slowPath.inject(hook, slot, index, frame);
            return;
        }
        // EGRESS goes where pcn_pkt_redirect would send it: the kernel's pcn_ports entry is the truth
        ByteBuffer entry;
        try {
            entry = ByteBuffer.wrap(object.arrayMap(DataplaneLayout.MAP_PORTS).get(index)).order(ByteOrder.nativeOrder());
        } catch (BpfException | IllegalStateException e) {
            throw failed("packet_out on " + name + ":" + port + ": " + e.getMessage(), e);
        }
        int kind = Short.toUnsignedInt(entry.getShort(0));
        int peerPort = Short.toUnsignedInt(entry.getShort(2));
        int target = entry.getInt(4);
        switch (kind) {
            case DataplaneLayout.PEER_NETDEV -> slowPath.transmit(target, frame);
            case DataplaneLayout.PEER_CUBE -> slowPath.inject(hook, target, peerPort, frame);
            default -> throw new CubeException(CubeException.Kind.OPERATION_FAILED,
                "packet_out on " + name + ":" + port + ": the port has no peer (or its cube link is down)");
        }
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
            public void sendPacketOut(String port, Direction dir, byte[] frame) throws CubeException {
                CubeInstance.this.sendPacketOut(port, dir, frame);
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
