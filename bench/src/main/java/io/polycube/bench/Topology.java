package io.polycube.bench;

import io.polycube.dataplane.api.Netdevs;

/**
 * Two veth pairs in the root namespace, named {@code <prefix>i0/i1} and {@code <prefix>o0/o1}
 * (prefix {@code pcnb...}): the generator transmits on {@code i0}, the DUT receives on {@code i1}
 * and sends out of {@code o0}, the sink counts on {@code o1}. IPv6 is off so the stack adds no
 * frames. {@link #close()} deletes both pairs, and with them every attachment; it is idempotent
 * and safe from a shutdown hook.
 */
public final class Topology implements AutoCloseable {
    private final String prefix;
    private final int genTx;
    private final int dutIn;
    private final int dutOut;
    private final int sink;
    private boolean closed;

    private Topology(String prefix, int genTx, int dutIn, int dutOut, int sink) {
        this.prefix = prefix;
        this.genTx = genTx;
        this.dutIn = dutIn;
        this.dutOut = dutOut;
        this.sink = sink;
    }

    public static Topology create(String prefix) {
        if (!prefix.startsWith("pcnb") || prefix.length() > 13) {
            throw new IllegalArgumentException("prefix must start with pcnb and leave room for 2 characters: " + prefix);
        }
        try {
            for (String pair : new String[] {"i", "o"}) {
                Sh.run("ip", "link", "add", prefix + pair + "0", "type", "veth", "peer", "name", prefix + pair + "1");
                for (String end : new String[] {"0", "1"}) {
                    Sh.run("sysctl", "-qw", "net.ipv6.conf." + prefix + pair + end + ".disable_ipv6=1");
                    Sh.run("ip", "link", "set", prefix + pair + end, "up");
                }
            }
            return new Topology(prefix, ifindex(prefix + "i0"), ifindex(prefix + "i1"), ifindex(prefix + "o0"),
                ifindex(prefix + "o1"));
        } catch (RuntimeException | Error e) {
            delete(prefix);
            throw e;
        }
    }

    private static int ifindex(String dev) {
        return Netdevs.ifindex(dev).orElseThrow(() -> new IllegalStateException("no netdev " + dev));
    }

    /** Where the generator transmits. */
    public int genTx() {
        return genTx;
    }

    /** Where the DUT receives. */
    public int dutIn() {
        return dutIn;
    }

    /** Where the DUT transmits. */
    public int dutOut() {
        return dutOut;
    }

    /** Where the sink counts. */
    public int sink() {
        return sink;
    }

    public String prefix() {
        return prefix;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            delete(prefix);
        }
    }

    private static void delete(String prefix) {
        Sh.run(false, "ip", "link", "del", prefix + "i0");
        Sh.run(false, "ip", "link", "del", prefix + "o0");
    }
}
