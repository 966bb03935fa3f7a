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

    /** UDP datagrams from {@code from} to {@code ip} (an address of {@code to}) that arrived, of 50 sent. */
    public static long udpArrivals(Netns from, Netns to, String ip) {
        return udpArrivals(from.name(), to.name(), ip);
    }

    /** {@link #udpArrivals(Netns, Netns, String)} between namespaces known by name. */
    public static long udpArrivals(String from, String to, String ip) {
        Flood.Result r = Flood.send(from, to, ip, 50, 1000);
        if (r.sent() != 50) {
            throw new IllegalStateException("iperf3 sent " + r.sent() + " datagrams, not 50");
        }
        return r.received();
    }
}
