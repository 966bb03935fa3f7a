package io.polycube.core.impl;

import io.polycube.core.metrics.Metrics;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.HookType;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfRingBuffer;
import io.polycube.dataplane.api.BpfRingPoller;
import io.polycube.dataplane.api.PacketSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's slow-path machinery, shared by every instance: one poller thread for all the
 * instances' {@code pcn_slowpath} and log rings, a lane per cube type whose thread runs the packet_in
 * handlers ({@link SlowPathLanes}), one AF_PACKET socket (packet_out to netdevs)
 * and the injector (packet_out into cubes). Without an injector (it failed to start, or tests that
 * do not want a veth pair) packet_out into cubes fails with OPERATION_FAILED; the rest works.
 */
final class SlowPath implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlowPath.class);

    private final BpfRingPoller poller;
    private final PacketSocket socket;
    private final Optional<Injector> injector;
    private final String injectorProblem;
    private final SlowPathLanes lanes = new SlowPathLanes();
    private Metrics metrics = Metrics.NONE;

    private SlowPath(BpfRingPoller poller, PacketSocket socket, Optional<Injector> injector, String injectorProblem) {
        this.poller = poller;
        this.socket = socket;
        this.injector = injector;
        this.injectorProblem = injectorProblem;
    }

    /**
     * Starts the poller and the socket and, with an {@code injectorPrefix}, the injector pair
     * {@code <prefix>0/1} on the patch panels pinned at {@code patchPins}.
     */
    static SlowPath start(Optional<String> injectorPrefix, Function<HookType, Path> patchPins) throws CubeException {
        BpfRingPoller poller = null;
        try {
            poller = BpfRingPoller.start("pcn-slowpath");
            PacketSocket socket = PacketSocket.open();
            Optional<Injector> injector = Optional.empty();
            String problem = "no injector configured";
            if (injectorPrefix.isPresent()) {
                try {
                    injector = Optional.of(Injector.create(injectorPrefix.get(), patchPins, socket));
                } catch (CubeException e) {
                    // packet_in and packet_out to netdevs still work; say loudly what does not
                    problem = e.getMessage();
                    LOG.error("Slow path: no injector, packet_out INGRESS and to cube peers will fail: {}", problem, e);
                }
            }
            return new SlowPath(poller, socket, injector, problem);
        } catch (BpfException e) {
            if (poller != null) {
                poller.close();
            }
            throw CubeInstance.failed("slow path failed to start: " + e.getMessage(), e);
        }
    }

    /** Whether the caller runs on a slow-path thread (inside a packetIn or a log handler). */
    boolean onPollerThread() {
        return poller != null && poller.isPollerThread() || SlowPathLanes.onLaneThread();
    }

    /** Adds an instance's ring, handled on the poller thread; close the registration before the instance's object. */
    BpfRingPoller.Registration listen(BpfRingBuffer ring, Consumer<ByteBuffer> handler) throws BpfException {
        return poller.add(ring, handler);
    }

    /**
     * Adds an instance's packet_in ring. Its records go through its cube type's lane ({@link SlowPathLanes}):
     * the handler runs on the lane's thread, a full lane drops (counted); records and handler failures are
     * counted in the metrics. Closing the registration waits (boundedly) for a handler in progress.
     */
    BpfRingPoller.Registration listenPacketIns(String cubeType, String instance, BpfRingBuffer ring,
            Consumer<ByteBuffer> handler) throws BpfException {
        SlowPathLanes.Registration lane = lanes.register(cubeType, metrics.packetIns(cubeType, instance, handler),
            metrics.slowPathDropped(cubeType, instance));
        BpfRingPoller.Registration polled;
        try {
            polled = poller.add(ring, lane::offer);
        } catch (BpfException | RuntimeException e) {
            lane.close();
            throw e;
        }
        return () -> {
            polled.close();
            lane.close();
        };
    }

    /** Where packet_in counts go (set before the first instance listens). */
    SlowPath withMetrics(Metrics metrics) {
        this.metrics = java.util.Objects.requireNonNull(metrics);
        return this;
    }

    /** Sends a frame out of a netdev. */
    void transmit(int ifindex, byte[] frame) throws CubeException {
        try {
            socket.send(ifindex, frame);
        } catch (BpfException | IllegalStateException e) {
            throw CubeInstance.failed("packet_out to ifindex " + ifindex + ": " + e.getMessage(), e);
        }
    }

    /** Sends a frame into the cube in {@code slot} of {@code hook}'s patch panel, on its port {@code inPort}. */
    void inject(HookType hook, int slot, int inPort, byte[] frame) throws CubeException {
        if (injector.isEmpty()) {
            throw new CubeException(CubeException.Kind.OPERATION_FAILED,
                "packet_out into a cube needs the injector, which is not running: " + injectorProblem);
        }
        injector.get().inject(hook, slot, inPort, frame);
    }

    @Override
    public void close() {
        poller.close();
        lanes.close();
        injector.ifPresent(Injector::close);
        socket.close();
    }
}
