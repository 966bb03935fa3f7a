package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * router against Linux IP forwarding on the same veths (bench/router/run; README "router"). Prints
 * {@code <metric> <value>} lines; exits 1 when a frame was lost. Part 1: 64-byte IPv4/UDP frames from the
 * live-frames generator through the DUT to the sink (kernel-timed ns per frame, so pps = 1e9 / ns), and
 * the DUT alone (minus the vanilla XDP/TC redirect on the same veths; a repeated non-live test run does not
 * work for a router: the kernel runs the repeats on the same, already rewritten, buffer). Part 2: iperf3 TCP between two namespaces routed by the DUT.
 */
public final class RouterBench {
    private RouterBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("--rounds", "5", "--frames", "300000", "--best-of", "3",
            "--hooks", "xdp,tc", "--iperf-seconds", "5"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        Path objects = Path.of(opt.get("--router"));
        String prefix = opt.get("--prefix");
        int rounds = Integer.parseInt(opt.get("--rounds"));
        long lost = 0;
        String headline = null;
        List<String> out = new ArrayList<>();
        try (Topology t = Topology.create(prefix)) {
            byte[] inMac = mac(prefix + "i1");
            byte[] outMac = mac(prefix + "o0");
            String sinkMac = Files.readString(Path.of("/sys/class/net/" + prefix + "o1/address")).trim();
            byte[] frame = udpFrame(inMac, mac(prefix + "i0"));
            Harness h = Harness.create(t, frame);
            try {
            for (String hookName : opt.get("--hooks").split(",")) {
                Hook hook = hookName.equals("xdp") ? Hook.XDP : Hook.TC;
                List<Double> routerNs = new ArrayList<>();
                List<Double> linuxNs = new ArrayList<>();
                List<Double> vanillaNs = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                List<Double> dutRatios = new ArrayList<>();
                long lostRouter = 0;
                long lostLinux = 0;
                int frames = Integer.parseInt(opt.get("--frames"));
                int bestOf = Integer.parseInt(opt.get("--best-of"));
                for (int r = 0; r < rounds; r++) {
                    // The three DUTs in an order rotated each round, so none always runs first.
                    Harness.Sample[] s = new Harness.Sample[3];
                    for (int k = 0; k < 3; k++) {
                        int which = (k + r) % 3;
                        if (which == 0) {
                            s[0] = h.measure(new RouterDut(hook, objects, inMac, outMac, HexFormat.ofDelimiter(":")
                                .parseHex(sinkMac)), frame, frames, 0, bestOf);
                        } else if (which == 1) {
                            s[1] = h.measure(new LinuxForwardDut(sinkMac), frame, frames, 0, bestOf);
                            checkIfindex(t, prefix);
                        } else {
                            s[2] = h.measure(new Vanilla(hook), frame, frames, 0, bestOf);
                        }
                    }
                    routerNs.add((double) s[0].nsPerFrame());
                    linuxNs.add((double) s[1].nsPerFrame());
                    vanillaNs.add((double) s[2].nsPerFrame());
                    ratios.add((double) s[1].nsPerFrame() / s[0].nsPerFrame());
                    dutRatios.add((double) (s[1].nsPerFrame() - s[2].nsPerFrame()) / (s[0].nsPerFrame() - s[2].nsPerFrame()));
                    lostRouter += s[0].lost();
                    lostLinux += s[1].lost();
                }
                String p = "router." + hook.prefix() + ".";
                out.add("# " + p + "rounds router_ns " + routerNs + " linux_ns " + linuxNs + " vanilla_ns " + vanillaNs);
                out.add(p + "router_ns_per_pkt " + fmt(median(routerNs)));
                out.add(p + "linux_ns_per_pkt " + fmt(median(linuxNs)));
                out.add(p + "vanilla_ns_per_pkt " + fmt(median(vanillaNs)));
                out.add(p + "router_mpps " + fmt(1000.0 / median(routerNs)));
                out.add(p + "linux_mpps " + fmt(1000.0 / median(linuxNs)));
                out.add("# DUT only: end to end minus the vanilla redirect on the same veths (generator, hops, sink)");
                out.add(p + "dut.router_ns " + fmt(median(routerNs) - median(vanillaNs)));
                out.add(p + "dut.linux_ns " + fmt(median(linuxNs) - median(vanillaNs)));
                out.add(p + "dut_over_linux_forwarding " + fmt(median(dutRatios)));
                out.add("# spread " + fmt(spread(ratios)) + " of " + ratios);
                out.add(p + "pps_over_linux_forwarding " + fmt(median(ratios)));
                if (headline == null) {
                    headline = "router.over_linux_forwarding " + fmt(median(ratios)) + "  # 64-byte frames, " + hook.prefix();
                }
                out.add(p + "router.lost_frames " + lostRouter);
                out.add(p + "linux.lost_frames " + lostLinux);
                lost += lostRouter + lostLinux;
                out.forEach(System.out::println);
                out.clear();
            }
            } finally {
                h.close();
            }
        }
        int seconds = Integer.parseInt(opt.get("--iperf-seconds"));
        if (seconds > 0) {
            for (String hookName : opt.get("--hooks").split(",")) {
                Hook hook = hookName.equals("xdp") ? Hook.XDP : Hook.TC;
                double router = TcpTopology.run(prefix, hook, objects, true, seconds);
                double linux = TcpTopology.run(prefix, hook, objects, false, seconds);
                // no forwarder at all, hosts with the same offloads (tx off): the best a router could show
                double ceiling = Iperf3.ceilingGbps(prefix, false, seconds);
                String p = "router." + hook.prefix() + ".";
                System.out.println(p + "tcp_router_gbps " + fmt(router));
                System.out.println(p + "tcp_linux_gbps " + fmt(linux));
                System.out.println(p + "tcp_ceiling_gbps " + fmt(ceiling));
                System.out.println(p + "tcp_over_linux_forwarding " + fmt(router / linux));
                System.out.println(p + "tcp_ceiling_over_linux_forwarding " + fmt(ceiling / linux));
                // DUT only, ns per MB over the bare pair (a difference of two rates: noisy)
                System.out.println(p + "tcp.dut_ns_per_mb.router " + fmt(Iperf3.dutNsPerMegabyte(router, ceiling)));
                System.out.println(p + "tcp.dut_ns_per_mb.linux " + fmt(Iperf3.dutNsPerMegabyte(linux, ceiling)));
            }
        }
        if (headline != null) {
            System.out.println(headline);
        }
        if (lost > 0) {
            System.out.println("# FAIL: " + lost + " frames lost");
            System.exit(1);
        }
    }

    private static void checkIfindex(Topology t, String prefix) throws Exception {
        int in = Integer.parseInt(Files.readString(Path.of("/sys/class/net/" + prefix + "i1/ifindex")).trim());
        int o = Integer.parseInt(Files.readString(Path.of("/sys/class/net/" + prefix + "o0/ifindex")).trim());
        if (in != t.dutIn() || o != t.dutOut()) {
            throw new IllegalStateException("the DUT veths changed ifindex on their way back from the namespace");
        }
    }

    static byte[] mac(String dev) throws Exception {
        return HexFormat.ofDelimiter(":").parseHex(Files.readString(Path.of("/sys/class/net/" + dev + "/address")).trim());
    }

    /** 64 bytes: Ethernet to {@code dst}, IPv4 10.250.1.2 -> 10.250.2.2 TTL 64, UDP, 22 bytes of payload. */
    static byte[] udpFrame(byte[] dst, byte[] src) {
        ByteBuffer b = ByteBuffer.allocate(Frames.LENGTH);
        b.put(dst).put(src).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 50).putShort((short) 1).putShort((short) 0)
            .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(RouterDut.NET_IN + 2).putInt(RouterDut.NET_OUT + 2);
        b.putShort((short) 9).putShort((short) 9).putShort((short) 30).putShort((short) 0);
        byte[] f = b.array();
        long sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += (f[i] & 0xff) << 8 | f[i + 1] & 0xff;
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        f[24] = (byte) (~sum >> 8);
        f[25] = (byte) ~sum;
        return f;
    }

    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double spread(List<Double> values) {
        return (values.stream().mapToDouble(d -> d).max().orElse(0) - values.stream().mapToDouble(d -> d).min().orElse(0))
            / median(values);
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    /**
     * Two host namespaces {@code <prefix>a} (10.251.1.2/24) and {@code <prefix>b} (10.251.2.2/24), default
     * routes via .1; their root-side veths {@code <prefix>ha}/{@code hb} are routed by the router (attached in
     * the root namespace, as polycubed does) or moved into a forwarding namespace. iperf3 from a to b.
     */
    static final class TcpTopology {
        private TcpTopology() {
        }

        static double run(String prefix, Hook hook, Path objects, boolean router, int seconds) throws Exception {
            String a = prefix + "a";
            String b = prefix + "b";
            String fwd = prefix + "t";
            List<BpfLink> links = new ArrayList<>();
            BpfObject object = null;
            try {
                for (String[] h : new String[][] {{a, "1"}, {b, "2"}}) {
                    Sh.run("ip", "netns", "add", h[0]);
                    Sh.run("ip", "link", "add", prefix + "h" + h[0].substring(h[0].length() - 1), "type", "veth", "peer",
                        "name", "eth0", "netns", h[0]);
                    Sh.run("ip", "-n", h[0], "addr", "add", "10.251." + h[1] + ".2/24", "dev", "eth0");
                    Sh.run("ip", "-n", h[0], "link", "set", "eth0", "up");
                    Sh.run("ip", "-n", h[0], "link", "set", "lo", "up");
                    Sh.run("ip", "-n", h[0], "route", "add", "default", "via", "10.251." + h[1] + ".1");
                    // GRO: the receive path for XDP-redirected frames; tx checksum off: an XDP redirect drops the
                    // skb's "checksum to be filled in" state, so offloaded TCP checksums would arrive unfilled
                    Sh.run("ip", "netns", "exec", h[0], "ethtool", "-K", "eth0", "gro", "on", "tx", "off");
                }
                String ha = prefix + "ha";
                String hb = prefix + "hb";
                if (router) {
                    for (String dev : new String[] {ha, hb}) {
                        Sh.run("sysctl", "-qw", "net.ipv6.conf." + dev + ".disable_ipv6=1");
                        Sh.run("ip", "link", "set", dev, "up");
                    }
                    try (BpfObjectSpec spec = BpfObjectSpec.open(objects.resolve("router." + hook.prefix() + ".o"))) {
                        object = spec.load();
                    }
                    int i = 0;
                    for (String dev : new String[] {ha, hb}) {
                        int ip = 0x0afb0001 + (i + 1) * 0x100;
                        object.arrayMap("router_ports").set(i, ByteBuffer.allocate(12).put(mac(dev)).putShort((short) 0)
                            .putInt(ip).array());
                        object.map("own_addrs").update(ByteBuffer.allocate(4).putInt(ip).array(), u32(i));
                        object.map("connected").update(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(24)
                            .put(ByteBuffer.allocate(4).putInt(ip & 0xffffff00).array()).array(), u32(i));
                        int ifindex = Integer.parseInt(Files.readString(Path.of("/sys/class/net/" + dev + "/ifindex")).trim());
                        links.add(SimpleFwdWiring.connectNetdev(object, hook, i, ifindex));
                        i++;
                    }
                } else {
                    Sh.run("ip", "netns", "add", fwd);
                    for (String[] dev : new String[][] {{ha, "10.251.1.1/24"}, {hb, "10.251.2.1/24"}}) {
                        Sh.run("ip", "link", "set", dev[0], "netns", fwd);
                        Sh.run("ip", "-n", fwd, "addr", "add", dev[1], "dev", dev[0]);
                        Sh.run("ip", "-n", fwd, "link", "set", dev[0], "up");
                    }
                    Sh.run("ip", "netns", "exec", fwd, "sysctl", "-qw", "net.ipv4.ip_forward=1");
                }
                // the hosts resolve their gateway (the router learns them from these requests)
                Sh.run("ip", "netns", "exec", a, "ping", "-c", "1", "-W", "2", "10.251.1.1");
                Sh.run("ip", "netns", "exec", b, "ping", "-c", "1", "-W", "2", "10.251.2.1");
                return Iperf3.gbps(a, b, "10.251.2.2", seconds);
            } finally {
                links.forEach(BpfLink::close);
                if (object != null) {
                    object.close();
                }
                Sh.run(false, "ip", "netns", "del", a);
                Sh.run(false, "ip", "netns", "del", b);
                Sh.run(false, "ip", "netns", "del", fwd);
                Sh.run(false, "ip", "link", "del", prefix + "ha");
                Sh.run(false, "ip", "link", "del", prefix + "hb");
            }
        }

        private static byte[] u32(int v) {
            return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
        }
    }
}
