package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.run;

import java.util.concurrent.ThreadLocalRandom;

/** A veth pair {@code pcnt<random>a/b} in the root namespace, up; closing deletes it (and what is attached). */
final class TestVeth implements AutoCloseable {
    final String a;
    final String b;
    final int ifindexA;
    final int ifindexB;

    TestVeth() {
        String prefix = "pcnt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        a = prefix + "a";
        b = prefix + "b";
        run("ip", "link", "add", a, "type", "veth", "peer", "name", b);
        try {
            for (String dev : new String[] {a, b}) {
                // no IPv6: a fresh link would otherwise send neighbour discovery frames of its own
                run("sysctl", "-qw", "net.ipv6.conf." + dev + ".disable_ipv6=1");
            }
            run("ip", "link", "set", a, "up");
            run("ip", "link", "set", b, "up");
            ifindexA = Netdevs.ifindex(a).orElseThrow();
            ifindexB = Netdevs.ifindex(b).orElseThrow();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        run(false, "ip", "link", "del", a);
    }
}
