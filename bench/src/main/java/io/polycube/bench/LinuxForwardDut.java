package io.polycube.bench;

import io.polycube.dataplane.api.TestRunResult;

/**
 * What a user would otherwise pick: Linux IP forwarding in a namespace. The DUT's two veth ends
 * ({@code <prefix>i1}, {@code <prefix>o0}) move into namespace {@code <prefix>f} with the router's
 * addresses, ip_forward on, the sink as a static neighbour (as the router DUT has it in arp_static), GRO
 * on the input veth (its receive path for XDP-redirected frames); they come back to the root namespace
 * on close. No micro figure: the kernel's forwarding path cannot be test-run alone.
 */
final class LinuxForwardDut implements Dut {
    private final String sinkMac;
    private String ns;
    private Topology topology;

    LinuxForwardDut(String sinkMac) {
        this.sinkMac = sinkMac;
    }

    @Override
    public String name() {
        return "linux";
    }

    @Override
    public Hook hook() {
        return Hook.XDP; // the harness adds nothing on the input veth for XDP DUTs
    }

    @Override
    public void setUp(Topology t) {
        topology = t;
        ns = t.prefix() + "f";
        String in = t.prefix() + "i1";
        String out = t.prefix() + "o0";
        Sh.run("ip", "netns", "add", ns);
        try {
            for (String[] dev : new String[][] {{in, "10.250.1.1/24"}, {out, "10.250.2.1/24"}}) {
                Sh.run("ip", "link", "set", dev[0], "netns", ns);
                Sh.run("ip", "-n", ns, "addr", "add", dev[1], "dev", dev[0]);
                Sh.run("ip", "-n", ns, "link", "set", dev[0], "up");
            }
            Sh.run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            Sh.run("ip", "netns", "exec", ns, "ethtool", "-K", in, "gro", "on");
            Sh.run("ip", "-n", ns, "neigh", "replace", "10.250.2.2", "lladdr", sinkMac, "dev", out, "nud", "permanent");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public TestRunResult micro(Topology t, byte[] frame, int repeat) {
        throw new UnsupportedOperationException("no micro figure for Linux forwarding");
    }

    @Override
    public void close() {
        if (ns == null) {
            return;
        }
        for (String dev : new String[] {topology.prefix() + "i1", topology.prefix() + "o0"}) {
            Sh.run(false, "ip", "-n", ns, "addr", "flush", "dev", dev);
            Sh.run(false, "ip", "-n", ns, "link", "set", dev, "netns", "1");
            Sh.run(false, "ip", "link", "set", dev, "up");
        }
        Sh.run(false, "ip", "netns", "del", ns);
        ns = null;
    }
}
