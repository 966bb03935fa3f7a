package io.polycube.bench.slowpath;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.BpfRingPoller;
import io.polycube.dataplane.api.Netdevs;
import io.polycube.dataplane.api.PacketSocket;
import io.polycube.dataplane.api.TcDirection;
import io.polycube.dataplane.api.XdpMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The slow-path numbers: packet_in events/s into Java (a test run with repeat of a cube that sends
 * every packet to the slow path, consumed by a {@link BpfRingPoller} that copies each packet as the
 * core does), packet_out EGRESS pps (AF_PACKET into a veth) and INGRESS pps (the core's injector
 * header into an injector veth whose XDP/TC programs tail-call the test cube). Everything it creates
 * (veths {@code pcnb<hex>*}, pins under {@code /sys/fs/bpf/pcnb<hex>}) is removed at exit.
 */
public final class SlowPathBench {
    private static final long RUN_NS = 1_000_000_000L;
    private static final String HEX = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    private static final String VETH = "pcnb" + HEX;
    private static final Path PINS = Path.of("/sys/fs/bpf", "pcnb" + HEX);
    private static final int LO = 1;

    private SlowPathBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Runtime.getRuntime().addShutdownHook(new Thread(SlowPathBench::cleanup));
        try {
            print("slowpath.packet_in_per_s", runs, SlowPathBench::packetIn);
            print("slowpath.packet_out_egress_pps", runs, SlowPathBench::egress);
            print("slowpath.packet_out_ingress_pps", runs, () -> ingress(false));
            print("slowpath.packet_out_ingress_xdp_pps", runs, () -> ingress(true));
        } finally {
            cleanup();
        }
    }

    private interface Measure {
        double run() throws Exception;
    }

    private static void print(String metric, int runs, Measure measure) throws Exception {
        double[] values = new double[runs];
        for (int i = 0; i < runs; i++) {
            values[i] = measure.run();
        }
        System.err.println(metric + " runs " + Arrays.toString(values));
        Arrays.sort(values);
        System.out.printf("%s %.0f%n", metric, values[runs / 2]);
    }

    private static byte[] frame(int length) {
        byte[] f = new byte[length];
        Arrays.fill(f, 0, 6, (byte) 0xff);
        f[6] = 2;
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb6;
        return f;
    }

    private static BpfObject cube(boolean xdp) throws BpfException {
        String hook = xdp ? "xdp" : "tc";
        Cmd.check("mkdir", "-p", PINS.resolve(hook).toString());
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/classes/bpf/tocontroller." + hook + ".o"))) {
            return spec.setMaxEntries("pcn_slowpath", 8 << 20).pinMap("pcn_patch", PINS.resolve(hook).resolve("pcn_patch"))
                .pinMap("pcn_md", PINS.resolve(hook).resolve("pcn_md")).load();
        }
    }

    /** Events the poller thread copies out per second while another thread produces them in the kernel. */
    private static double packetIn() throws Exception {
        AtomicLong consumed = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try (BpfObject cube = cube(true); BpfRingPoller poller = BpfRingPoller.start("bench-poller")) {
            cube.arrayMap("pcn_port_of_ifindex").set(LO, u32(1)); // port 0 (+1)
            BpfRingPoller.Registration registration = poller.add(cube.ringBuffer("pcn_slowpath"), record -> {
                int captured = record.getInt(8);
                byte[] copy = new byte[captured]; // what PacketIns.decode does
                record.get(24, copy);
                consumed.incrementAndGet();
            });
            byte[] frame = frame(64);
            Thread producer = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        cube.program("pcn_entry").testRun(frame, 20_000);
                    }
                } catch (BpfException e) {
                    throw new IllegalStateException(e);
                }
            });
            producer.start();
            Thread.sleep(200); // warm-up
            long start = System.nanoTime();
            long before = consumed.get();
            Thread.sleep(RUN_NS / 1_000_000);
            double rate = (consumed.get() - before) * 1e9 / (System.nanoTime() - start);
            stop.set(true);
            producer.join();
            registration.close();
            return rate;
        }
    }

    private static double egress() throws Exception {
        String a = VETH + "a";
        Cmd.run("ip", "link", "del", a);
        Cmd.check("ip", "link", "add", a, "type", "veth", "peer", "name", VETH + "b");
        Cmd.check("ip", "link", "set", a, "up");
        Cmd.check("ip", "link", "set", VETH + "b", "up");
        try (PacketSocket socket = PacketSocket.open()) {
            return sendLoop(socket, Netdevs.ifindex(a).orElseThrow(), frame(64));
        } finally {
            Cmd.run("ip", "link", "del", a);
        }
    }

    private static double sendLoop(PacketSocket socket, int ifindex, byte[] frame) throws BpfException {
        for (int i = 0; i < 10_000; i++) {
            socket.send(ifindex, frame); // warm-up
        }
        long n = 0;
        long start = System.nanoTime();
        long end = start + RUN_NS;
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                socket.send(ifindex, frame);
            }
            n += 256;
            now = System.nanoTime();
        } while (now < end);
        return n * 1e9 / (now - start);
    }

    /** Injected frames per second (the cube in slot 1 sends each to its ring; delivery reported on stderr). */
    private static double ingress(boolean xdp) throws Exception {
        String outside = VETH + "i0";
        String inside = VETH + "i1";
        Cmd.run("ip", "link", "del", outside);
        Cmd.check("ip", "link", "add", outside, "mtu", "2000", "type", "veth", "peer", "name", inside, "mtu", "2000");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            for (String dev : List.of(outside, inside)) {
                Cmd.check("sysctl", "-qw", "net.ipv6.conf." + dev + ".disable_ipv6=1");
                Cmd.check("ip", "link", "set", dev, "up");
            }
            BpfObject cube = cube(xdp);
            open.add(0, cube);
            BpfObject injector = injector(xdp);
            open.add(0, injector);
            cube.progArray("pcn_patch").set(1, cube.program("pcn_chain"));
            int insideIndex = Netdevs.ifindex(inside).orElseThrow();
            BpfLink link = xdp ? injector.program("pcn_injector").attachXdp(insideIndex, XdpMode.DRV)
                : injector.program("pcn_injector").attachTc(insideIndex, TcDirection.INGRESS);
            open.add(0, link);
            AtomicLong delivered = new AtomicLong();
            BpfRingPoller poller = BpfRingPoller.start("bench-poller");
            open.add(0, poller);
            open.add(0, poller.add(cube.ringBuffer("pcn_slowpath"), r -> delivered.incrementAndGet()));
            byte[] original = frame(64);
            byte[] injected = ByteBuffer.allocate(24 + original.length).put(new byte[12]).putShort((short) 0x88B5)
                .putInt(0x70636e6f).putShort((short) (xdp ? 1 : 2)).putShort((short) 0).putShort((short) 1)
                .put(original).array();
            try (PacketSocket socket = PacketSocket.open()) {
                double pps = sendLoop(socket, Netdevs.ifindex(outside).orElseThrow(), injected);
                Thread.sleep(100);
                System.err.printf("ingress %s: %.0f pps sent, %d delivered to the cube's slow path (incl. 10000 warm-up frames)%n",
                    xdp ? "xdp" : "tc", pps, delivered.get());
                return pps;
            }
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
            Cmd.run("ip", "link", "del", outside);
        }
    }

    private static BpfObject injector(boolean xdp) throws IOException, BpfException {
        String hook = xdp ? "xdp" : "tc";
        try (InputStream in = SlowPathBench.class.getResourceAsStream("/bpf/injector." + hook + ".o")) {
            try (BpfObjectSpec spec = BpfObjectSpec.open(in.readAllBytes(), "pcn_injector")) {
                return spec.pinMap("pcn_patch", PINS.resolve(hook).resolve("pcn_patch"))
                    .pinMap("pcn_md", PINS.resolve(hook).resolve("pcn_md")).load();
            }
        }
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static void cleanup() {
        Cmd.run("ip", "link", "del", VETH + "a");
        Cmd.run("ip", "link", "del", VETH + "i0");
        Cmd.run("rm", "-rf", PINS.toString());
    }
}
