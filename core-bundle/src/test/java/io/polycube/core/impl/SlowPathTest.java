package io.polycube.core.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.api.Direction;
import io.polycube.core.restconf.InstanceChange;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.HookType;
import io.polycube.core.spi.PacketIn;
import io.polycube.dataplane.api.Netdevs;
import io.polycube.dataplane.api.PacketSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The slow path end to end against the kernel: the test cube {@code tocontroller} sends every packet it
 * gets to Java; packet_in (a frame sent into veth A reaches the cube on A's port), packet_out INGRESS
 * (through the injector pair), EGRESS to a netdev and EGRESS into a peer cube. Veths {@code pcns<hex>a/b},
 * injector {@code pcnj<hex>0/1} and the pins are removed afterwards.
 */
class SlowPathTest {
    private static final String HEX = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    private static final String A = "pcns" + HEX + "a";
    private static final String B = "pcns" + HEX + "b";
    private static final String INJECTOR = "pcnj" + HEX;
    private static final Path PINS = Path.of("/sys/fs/bpf", "pcns" + HEX);

    private final BlockingQueue<String> packetIns = new LinkedBlockingQueue<>();
    private final List<PacketIn> received = new ArrayList<>();
    private InstanceManager manager;

    @BeforeAll
    static void veths() {
        Sh.run("ip", "link", "add", A, "type", "veth", "peer", "name", B);
        for (String dev : List.of(A, B)) {
            Sh.run("sysctl", "-qw", "net.ipv6.conf." + dev + ".disable_ipv6=1");
            Sh.run("ip", "link", "set", dev, "up");
        }
        // XDP_DRV redirects into a veth need GRO (or XDP) at the far end
        Sh.run("ethtool", "-K", B, "gro", "on");
        Sh.run("ethtool", "-K", A, "gro", "on");
    }

    @AfterAll
    static void removeVeths() {
        Sh.tryRun("ip", "link", "del", A);
        Sh.tryRun("ip", "link", "del", INJECTOR + "0");
        Sh.tryRun("rm", "-rf", PINS.toString());
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        assertFalse(Sh.tryRun("ip", "link", "show").contains(INJECTOR), "injector veth left behind");
    }

    private final class ToController extends TestCubeType {
        ToController() {
            super("toc", "tocontroller");
        }

        @Override
        public CubeControl create(CubeContext context) {
            return new CubeControl() {
                @Override
                public void configure(ConfigNode config) {
                }

                @Override
                public void packetIn(PacketIn packet) {
                    synchronized (received) {
                        received.add(packet);
                    }
                    packetIns.add(context.instanceName() + ":" + packet.port());
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private void create(String name, HookType hook, String... portPeerPairs) throws CubeException {
        List<ConfigNode> ports = new ArrayList<>();
        for (int i = 0; i < portPeerPairs.length; i += 2) {
            Map<String, String> leaves = new LinkedHashMap<>();
            leaves.put("name", portPeerPairs[i]);
            if (portPeerPairs[i + 1] != null) {
                leaves.put("peer", portPeerPairs[i + 1]);
            }
            ports.add(ConfigNode.of(leaves, Map.of(), Map.of(), Map.of()));
        }
        ConfigNode config = ConfigNode.of(Map.of("name", name, "type", hook.name()), Map.of(), Map.of(),
            Map.of("ports", ports));
        manager.apply(List.of(new InstanceChange("toc", name, Optional.empty(), Optional.of(config))));
    }

    /** Waits for the next packet_in (IPv6 is off on the veths: no noise); returns "instance:port". */
    private String next() throws InterruptedException {
        String got = packetIns.poll(5, TimeUnit.SECONDS);
        assertNotNull(got, "no packet_in within 5 s");
        return got;
    }

    private PacketIn last() {
        synchronized (received) {
            return received.get(received.size() - 1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = HookType.class, names = {"TC", "XDP_DRV"})
    void packetInAndPacketOutInEveryDirection(HookType hook) throws Exception {
        manager = new InstanceManager(PINS, Optional.of(INJECTOR));
        manager.addType(new ToController());
        create("t1", hook, "p0", A, "p1", "t2:q1", "p2", null);
        create("t2", hook, "q0", B, "q1", "t1:p1");
        byte[] frame = SlowPathDataPathTest.frame(98);
        try (PacketSocket socket = PacketSocket.open()) {
            // packet_in: a frame sent out of B arrives on A, t1's port p0
            socket.send(Netdevs.ifindex(B).orElseThrow(), frame);
            assertEquals("t1:p0", next());
            assertArrayEquals(frame, last().packet());
            assertEquals(7, last().reason());
        }
        // INGRESS: enters t1 on p2 (a port without peer) through the injector
        manager.sendPacketOut("t1", "p2", Direction.INGRESS, frame);
        assertEquals("t1:p2", next());
        assertArrayEquals(frame, last().packet());
        // EGRESS on a netdev port: out of A, so into B, where t2 listens on q0
        manager.sendPacketOut("t1", "p0", Direction.EGRESS, frame);
        assertEquals("t2:q0", next());
        // EGRESS on a cube port: into t2 on q1
        manager.sendPacketOut("t1", "p1", Direction.EGRESS, frame);
        assertEquals("t2:q1", next());
        assertArrayEquals(frame, last().packet());
        // errors
        CubeException noPeer = assertThrows(CubeException.class,
            () -> manager.sendPacketOut("t1", "p2", Direction.EGRESS, frame));
        assertEquals(CubeException.Kind.OPERATION_FAILED, noPeer.kind());
        assertEquals(CubeException.Kind.INVALID_VALUE, assertThrows(CubeException.class,
            () -> manager.sendPacketOut("t1", "nope", Direction.EGRESS, frame)).kind());
        assertEquals(CubeException.Kind.INVALID_VALUE, assertThrows(CubeException.class,
            () -> manager.sendPacketOut("t1", "p0", Direction.EGRESS, new byte[1600])).kind());
        assertEquals(Map.of("t1", "toc", "t2", "toc"), manager.instances());
        Thread.sleep(100);
        assertTrue(packetIns.isEmpty(), "unexpected packet_in " + packetIns);
    }
}
