package io.polycube.bench;

import io.polycube.dataplane.api.Netdevs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code bridge.over_linux_bridge}: simplebridge (XDP driver mode and TC) against a Linux bridge on the
 * same veth topology. (1) 64-byte known-unicast frames through the {@link Harness} (kernel-timed
 * live frames, sink count), interleaved rounds with the vanilla redirects as the floor, so that a
 * DUT-only figure (ns over vanilla of the same hook) stands beside the end-to-end one; (2) iperf3 TCP
 * between two namespaces whose root-side veths the bridge connects. Prints {@code <metric> <value>}
 * (medians; {@code #} lines: rounds, spread) and exits 1 if any frame was lost.
 * Arguments: {@code --simplebridge DIR} (the compiled objects), {@code --rounds N} (5), {@code --frames N}
 * (300000), {@code --best-of N} (2), {@code --micro-repeat N} (200000), {@code --iperf-seconds N} (5),
 * {@code --iperf-rounds N} (3), {@code --prefix pcnbXXXXXX}.
 */
public final class BridgeBench {
    /** The bench frame's destination, known to both bridges on the output port. */
    static final byte[] UNICAST = {0x02, 0, 0, 0, 0, 0x02};

    private BridgeBench() {
    }

    static String unicastMac() {
        StringJoiner j = new StringJoiner(":");
        for (byte b : UNICAST) {
            j.add(String.format("%02x", b));
        }
        return j.toString();
    }

    /** 64 bytes: {@link #UNICAST} from 02:00:00:00:00:01, EtherType 0x88B5 (local experimental). */
    static byte[] frame() {
        byte[] f = Frames.frame();
        System.arraycopy(UNICAST, 0, f, 0, 6);
        return f;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path objects = Path.of(opts.getOrDefault("simplebridge", ""));
        if (!Files.isRegularFile(objects.resolve("simplebridge.xdp.o"))) {
            throw new IllegalArgumentException("--simplebridge DIR must hold simplebridge.{xdp,tc}.o; got '" + objects + "'");
        }
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "5"));
        int frames = Integer.parseInt(opts.getOrDefault("frames", "300000"));
        int bestOf = Integer.parseInt(opts.getOrDefault("best-of", "2"));
        int microRepeat = Integer.parseInt(opts.getOrDefault("micro-repeat", "200000"));
        int iperfSeconds = Integer.parseInt(opts.getOrDefault("iperf-seconds", "5"));
        int iperfRounds = Integer.parseInt(opts.getOrDefault("iperf-rounds", "3"));
        String prefix = opts.getOrDefault("prefix",
            "pcnb" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)));

        Dut xdpVanilla = new Vanilla(Hook.XDP);
        Dut tcVanilla = new Vanilla(Hook.TC);
        Dut xdpBridge = new SimpleBridgeDut(Hook.XDP, objects);
        Dut tcBridge = new SimpleBridgeDut(Hook.TC, objects);
        Dut linux = new LinuxBridgeDut();
        List<Dut> duts = List.of(xdpVanilla, tcVanilla, xdpBridge, tcBridge, linux);
        Map<Dut, List<Harness.Sample>> samples = new LinkedHashMap<>();
        duts.forEach(d -> samples.put(d, new ArrayList<>()));

        Topology topology = Topology.create(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            duts.forEach(Dut::close);
            topology.close();
        }, "bridge-bench-cleanup"));
        byte[] frame = frame();
        System.out.printf(Locale.ROOT, "# %d x %d B known-unicast frames per live run, fastest of %d; %d rounds (+1 warm-up); "
            + "veths %s{i,o}{0,1}%n", frames, frame.length, bestOf, rounds, prefix);
        try (topology; Harness harness = Harness.create(topology)) {
            for (Dut dut : duts) {
                harness.measure(dut, frame, Math.max(1, frames / 4), 0, 1); // warm-up, discarded
            }
            for (int round = 1; round <= rounds; round++) {
                List<Dut> order = new ArrayList<>(duts);
                Collections.rotate(order, -((round - 1) % duts.size()));
                StringJoiner line = new StringJoiner(" | ", "# round " + round + ": ", "");
                for (Dut dut : order) {
                    Harness.Sample s = harness.measure(dut, frame, frames, dut == linux ? 0 : microRepeat, bestOf);
                    samples.get(dut).add(s);
                    line.add(key(dut) + " " + s.nsPerFrame() + " ns/pkt, " + s.lost() + " lost");
                }
                System.out.println(line);
                System.out.flush();
            }
        }
        for (Dut dut : duts) {
            metric(key(dut) + "_ns_per_pkt", perRound(samples, dut, dut, (a, b) -> a.nsPerFrame()), "%.0f");
        }
        for (Dut dut : List.of(xdpBridge, tcBridge)) {
            metric(key(dut) + ".micro_ns", perRound(samples, dut, dut, (a, b) -> a.microNs()), "%.0f");
        }
        List<Double> overXdp = perRound(samples, linux, xdpBridge, (l, b) -> (double) l.nsPerFrame() / b.nsPerFrame());
        // The metric, as router.over_linux_forwarding: XDP_DRV's pps ratio (the hook a user picks for speed).
        metric("bridge.over_linux_bridge", overXdp, "%.3f");
        metric("bridge.over_linux_bridge.xdp", overXdp, "%.3f");
        metric("bridge.over_linux_bridge.tc", perRound(samples, linux, tcBridge,
            (l, b) -> (double) l.nsPerFrame() / b.nsPerFrame()), "%.3f");
        // DUT only: what each bridge adds over the cheapest redirect of its hook (generator, veths, sink subtracted).
        List<Double> lbOnly = perRound(samples, linux, tcVanilla, (l, v) -> (double) l.nsPerFrame() - v.nsPerFrame());
        List<Double> xdpOnly = perRound(samples, xdpBridge, xdpVanilla, (b, v) -> (double) b.nsPerFrame() - v.nsPerFrame());
        List<Double> tcOnly = perRound(samples, tcBridge, tcVanilla, (b, v) -> (double) b.nsPerFrame() - v.nsPerFrame());
        metric("linuxbridge.dut_ns", lbOnly, "%.0f");
        metric("xdp.simplebridge.dut_ns", xdpOnly, "%.0f");
        metric("tc.simplebridge.dut_ns", tcOnly, "%.0f");
        metric("bridge.over_linux_bridge.dut_only.xdp", ratios(lbOnly, xdpOnly), "%.3f");
        metric("bridge.over_linux_bridge.dut_only.tc", ratios(lbOnly, tcOnly), "%.3f");

        long lost = 0;
        for (Dut dut : duts) {
            long l = samples.get(dut).stream().mapToLong(Harness.Sample::lost).sum();
            System.out.println(key(dut) + ".lost_frames " + l);
            lost += l;
        }
        iperf(prefix, objects, iperfSeconds, iperfRounds);
        if (lost != 0) {
            System.err.println("bridge bench: " + lost + " frames lost");
            System.exit(1);
        }
    }

    /** iperf3 TCP, n1 -> n2, through a Linux bridge, simplebridge XDP_DRV and TC; Gbit/s and ratios. */
    private static void iperf(String prefix, Path objects, int seconds, int rounds) throws Exception {
        String n1 = prefix + "n1";
        String n2 = prefix + "n2";
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteHosts(prefix), "bridge-bench-iperf-cleanup"));
        try {
            for (int i = 1; i <= 2; i++) {
                String ns = prefix + "n" + i;
                Sh.run("ip", "netns", "add", ns);
                Sh.run("ip", "link", "add", prefix + "h" + i, "type", "veth", "peer", "name", "eth0", "netns", ns);
                Sh.run("ip", "-n", ns, "addr", "add", "10.204.0." + i + "/24", "dev", "eth0");
                Sh.run("ip", "-n", ns, "link", "set", "eth0", "up");
                Sh.run("ip", "netns", "exec", ns, "ethtool", "-K", "eth0", "gro", "on"); // XDP_DRV into a veth
                Sh.run("sysctl", "-qw", "net.ipv6.conf." + prefix + "h" + i + ".disable_ipv6=1");
                Sh.run("ip", "link", "set", prefix + "h" + i, "up");
            }
            int h1 = Netdevs.ifindex(prefix + "h1").orElseThrow();
            int h2 = Netdevs.ifindex(prefix + "h2").orElseThrow();
            Map<String, List<Double>> gbps = new LinkedHashMap<>();
            for (String name : List.of("linuxbridge", "xdp.simplebridge", "tc.simplebridge", "ceiling.tx_on", "ceiling.tx_off")) {
                gbps.put(name, new ArrayList<>());
            }
            for (int r = 0; r < rounds; r++) {
                // the bare pair with the offloads each configuration gets: Linux bridge and TC keep them, XDP not
                gbps.get("ceiling.tx_on").add(Iperf3.ceilingGbps(prefix, true, seconds));
                gbps.get("ceiling.tx_off").add(Iperf3.ceilingGbps(prefix, false, seconds));
                for (String name : List.of("linuxbridge", "xdp.simplebridge", "tc.simplebridge")) {
                    LinuxBridgeDut linux = new LinuxBridgeDut();
                    SimpleBridgeDut cube = new SimpleBridgeDut(name.startsWith("xdp") ? Hook.XDP : Hook.TC, objects);
                    try {
                        if (name.equals("linuxbridge")) {
                            linux.wire(prefix + "br", prefix + "h1", prefix + "h2");
                        } else {
                            cube.wire(h1, h2);
                        }
                        // An XDP redirect loses the skb's "checksum to be filled in" (CHECKSUM_PARTIAL) state, so
                        // TCP through XDP_DRV needs the senders to checksum in software; the others keep offloads.
                        String tx = name.startsWith("xdp") ? "off" : "on";
                        for (String ns : List.of(n1, n2)) {
                            Sh.run("ip", "netns", "exec", ns, "ethtool", "-K", "eth0", "tx", tx);
                        }
                        gbps.get(name).add(Iperf3.gbps(n1, n2, "10.204.0.2", seconds));
                    } finally {
                        linux.close();
                        cube.close();
                    }
                }
            }
            gbps.forEach((name, values) -> metric(name + ".iperf3_gbps", values, "%.2f"));
            metric("bridge.over_linux_bridge.iperf3.xdp", ratios(gbps.get("xdp.simplebridge"), gbps.get("linuxbridge")), "%.3f");
            metric("bridge.over_linux_bridge.iperf3.tc", ratios(gbps.get("tc.simplebridge"), gbps.get("linuxbridge")), "%.3f");
            // the best any bridge could show here (no bridge at all), and the same for a forwarder needing tx off
            metric("bridge.over_linux_bridge.iperf3.ceiling", ratios(gbps.get("ceiling.tx_on"), gbps.get("linuxbridge")), "%.3f");
            metric("bridge.over_linux_bridge.iperf3.ceiling_tx_off", ratios(gbps.get("ceiling.tx_off"), gbps.get("linuxbridge")),
                "%.3f");
            // DUT only: ns per MB each adds over the bare pair with its own offloads (noisy: a difference of two rates)
            metric("linuxbridge.iperf3.dut_ns_per_mb", dutCost(gbps.get("linuxbridge"), gbps.get("ceiling.tx_on")), "%.0f");
            metric("xdp.simplebridge.iperf3.dut_ns_per_mb", dutCost(gbps.get("xdp.simplebridge"), gbps.get("ceiling.tx_off")),
                "%.0f");
            metric("tc.simplebridge.iperf3.dut_ns_per_mb", dutCost(gbps.get("tc.simplebridge"), gbps.get("ceiling.tx_on")), "%.0f");
        } finally {
            deleteHosts(prefix);
        }
    }

    private static void deleteHosts(String prefix) {
        for (int i = 1; i <= 2; i++) {
            Sh.run(false, "ip", "netns", "del", prefix + "n" + i);
            Sh.run(false, "ip", "link", "del", prefix + "h" + i);
        }
        Sh.run(false, "ip", "link", "del", prefix + "br");
    }

    private interface Pair {
        double apply(Harness.Sample a, Harness.Sample b);
    }

    private static List<Double> perRound(Map<Dut, List<Harness.Sample>> samples, Dut a, Dut b, Pair f) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < samples.get(a).size(); i++) {
            out.add(f.apply(samples.get(a).get(i), samples.get(b).get(i)));
        }
        return out;
    }

    private static List<Double> dutCost(List<Double> gbps, List<Double> ceiling) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < gbps.size(); i++) {
            out.add(Iperf3.dutNsPerMegabyte(gbps.get(i), ceiling.get(i)));
        }
        return out;
    }

    private static List<Double> ratios(List<Double> num, List<Double> den) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < num.size(); i++) {
            out.add(num.get(i) / den.get(i));
        }
        return out;
    }

    private static String key(Dut dut) {
        return dut.hook().prefix() + "." + dut.name();
    }

    private static void metric(String name, List<Double> rounds, String format) {
        Stats st = Stats.of(rounds);
        StringJoiner all = new StringJoiner(" ");
        rounds.forEach(r -> all.add(String.format(Locale.ROOT, format, r)));
        System.out.printf(Locale.ROOT, "# %s rounds [%s] min " + format + " max " + format + " spread %.1f%%%n", name,
            all, st.min(), st.max(), st.spreadPercent());
        System.out.printf(Locale.ROOT, "%s " + format + "%n", name, st.median());
        System.out.flush();
    }
}
