package io.polycube.bench;

import io.polycube.dataplane.api.TestRunResult;

/**
 * What a user would otherwise pick: a Linux bridge {@code <prefix>br} with {@code dutIn} and
 * {@code dutOut} as ports (STP off, IPv6 off) and the bench frame's destination as a static entry on
 * {@code dutOut}. Runs in the skb path, so the harness gives {@code dutIn} its XDP_PASS receive path as
 * for a TC DUT. It has no program: no micro figure.
 */
final class LinuxBridgeDut implements Dut {
    private String bridge;

    @Override
    public String name() {
        return "linuxbridge";
    }

    @Override
    public Hook hook() {
        return Hook.TC;
    }

    @Override
    public void setUp(Topology t) {
        wire(t.prefix() + "br", t.prefix() + "i1", t.prefix() + "o0");
    }

    /** A bridge named {@code name} over the netdevs {@code in} and {@code out}. */
    void wire(String name, String in, String out) {
        bridge = name;
        try {
            Sh.run("ip", "link", "add", bridge, "type", "bridge", "stp_state", "0");
            Sh.run("sysctl", "-qw", "net.ipv6.conf." + bridge + ".disable_ipv6=1");
            for (String port : new String[] {in, out}) {
                Sh.run("ip", "link", "set", port, "master", bridge);
            }
            Sh.run("ip", "link", "set", bridge, "up");
            Sh.run("bridge", "fdb", "add", BridgeBench.unicastMac(), "dev", out, "master", "static");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public TestRunResult micro(Topology t, byte[] frame, int repeat) {
        throw new UnsupportedOperationException("the Linux bridge has no program to test-run");
    }

    @Override
    public void close() {
        if (bridge != null) {
            Sh.run(false, "ip", "link", "del", bridge);
            bridge = null;
        }
    }
}
