// SPDX-License-Identifier: Apache-2.0
// This file contains traffic probes between test namespaces: pings and UDP datagrams counted at the receiver.
package io.polycube.osgi.itests;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sends packets from one {@link Netns} to another and counts what arrived (works in any JVM). */
public final class Traffic {
    private Traffic() {
    }

    /** Replies to 3 pings from {@code from} to {@code ip}. */
    public static int pingsReceived(Netns from, String ip) {
        Matcher m = Pattern.compile("(\\d+) received").matcher(from.ping(ip, 3).output());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** UDP datagrams from {@code from} to {@code ip} that arrived in {@code to} (its eth0 RX count), of 50 sent. */
    public static long udpArrivals(Netns from, Netns to, String ip) {
        long before = rxPackets(to);
        Netns.runChecked("ip", "netns", "exec", from.name(), "bash", "-c",
                "for i in $(seq 50); do echo pcn > /dev/udp/" + ip + "/9999; done");
        PcnTestSupport.sleep(300);
        return rxPackets(to) - before;
    }

    private static long rxPackets(Netns ns) {
        String out = Netns.runChecked("ip", "-n", ns.name(), "-s", "link", "show", "dev", "eth0").output();
        Matcher m = Pattern.compile("RX:[^\\n]*\\n\\s*(\\d+)\\s+(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no RX counters in " + out);
        }
        return Long.parseLong(m.group(2));
    }
}
