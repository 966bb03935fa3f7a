package io.polycube.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * iperf3 TCP between two namespaces, and the ceiling of a TCP bench: the same two hosts joined by one
 * veth pair, no forwarder at all. Every forwarder's throughput in these benches is bounded by that
 * ceiling (both ends' TCP stacks run on the same CPU as the forwarder), so it says how much of a ratio
 * over Linux a faster data path could show at best, and what is left for the DUT: its cost per byte is
 * the time per byte through it minus the time per byte across the bare pair.
 */
final class Iperf3 {
    private static final Pattern RECEIVED =
        Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private Iperf3() {
    }

    /** Receiver-side Gbit/s of a {@code seconds} TCP transfer from {@code client} to {@code address} in {@code server}. */
    static double gbps(String client, String server, String address, int seconds) throws Exception {
        Process srv = new ProcessBuilder("ip", "netns", "exec", server, "iperf3", "-s", "-1", "-B", address)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500);
            String json = Sh.run(false, "ip", "netns", "exec", client, "timeout", String.valueOf(seconds + 15), "iperf3",
                "-c", address, "-t", String.valueOf(seconds), "-J");
            Matcher m = RECEIVED.matcher(json);
            if (!m.find()) {
                throw new IllegalStateException("iperf3 gave no receiver rate: " + json);
            }
            return Double.parseDouble(m.group(1)) / 1e9;
        } finally {
            srv.destroyForcibly();
            srv.waitFor();
        }
    }

    /**
     * The bare pair: namespaces {@code <prefix>c1} and {@code <prefix>c2} (10.209.0.1/.2) on one veth pair, GRO on,
     * TX checksum offload as given (off is what an XDP_DRV forwarder on veths needs of its hosts). Removed after.
     */
    static double ceilingGbps(String prefix, boolean txChecksum, int seconds) throws Exception {
        String c1 = prefix + "c1";
        String c2 = prefix + "c2";
        try {
            Sh.run("ip", "netns", "add", c1);
            Sh.run("ip", "netns", "add", c2);
            Sh.run("ip", "link", "add", "eth0", "netns", c1, "type", "veth", "peer", "name", "eth0", "netns", c2);
            int i = 1;
            for (String ns : new String[] {c1, c2}) {
                Sh.run("ip", "-n", ns, "addr", "add", "10.209.0." + i++ + "/24", "dev", "eth0");
                Sh.run("ip", "-n", ns, "link", "set", "eth0", "up");
                Sh.run("ip", "-n", ns, "link", "set", "lo", "up");
                Sh.run("ip", "netns", "exec", ns, "ethtool", "-K", "eth0", "gro", "on", "tx", txChecksum ? "on" : "off");
            }
            return gbps(c1, c2, "10.209.0.2", seconds);
        } finally {
            Sh.run(false, "ip", "netns", "del", c1);
            Sh.run(false, "ip", "netns", "del", c2);
        }
    }

    /** What a forwarder adds per megabyte (ns) over the bare pair measured in the same round. */
    static double dutNsPerMegabyte(double gbps, double ceilingGbps) {
        return 8_000 / gbps - 8_000 / ceilingGbps;
    }
}
