package io.polycube.cube.router;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Packets waiting for a next hop's MAC: one bounded queue per next hop, one ARP request when the first
 * packet arrives, released when the reply comes, dropped (counted) when the timeout passes first.
 */
final class ArpResolver {
    /** A packet as it entered the router, to be injected again on its input port once resolved. */
    record Waiting(String inPort, byte[] frame) {
    }

    /** What the resolver asks of its router: send the request; count; hand back released packets. */
    interface Output {
        void sendRequest(int nexthop, String outPort);

        void dropped(boolean timeout, int packets);
    }

    private final Map<Integer, Pending> pending = new HashMap<>();
    private final ScheduledExecutorService timer;
    private final Output output;

    private static final class Pending {
        final ArrayDeque<Waiting> queue = new ArrayDeque<>();
        ScheduledFuture<?> timeout;
    }

    ArpResolver(ScheduledExecutorService timer, Output output) {
        this.timer = timer;
        this.output = output;
    }

    /** Queues a packet for {@code nexthop}, which leaves through {@code outPort}; the first one sends a request. */
    void miss(int nexthop, String outPort, Waiting packet, int queueLength, long timeoutMs) {
        boolean first;
        synchronized (this) {
            Pending p = pending.get(nexthop);
            first = p == null;
            if (first) {
                p = new Pending();
                pending.put(nexthop, p);
                Pending mine = p;
                p.timeout = timer.schedule(() -> expire(nexthop, mine), timeoutMs, TimeUnit.MILLISECONDS);
            }
            if (p.queue.size() >= queueLength) {
                p = null;
            } else {
                p.queue.add(packet);
            }
            if (p == null) {
                output.dropped(false, 1);
            }
        }
        if (first) {
            output.sendRequest(nexthop, outPort);
        }
    }

    /** The reply came: the packets that waited for {@code nexthop}, in arrival order. */
    List<Waiting> resolved(int nexthop) {
        Pending p;
        synchronized (this) {
            p = pending.remove(nexthop);
        }
        if (p == null) {
            return List.of();
        }
        p.timeout.cancel(false);
        return new ArrayList<>(p.queue);
    }

    synchronized int waiting() {
        return pending.values().stream().mapToInt(p -> p.queue.size()).sum();
    }

    private void expire(int nexthop, Pending p) {
        int dropped;
        synchronized (this) {
            if (pending.get(nexthop) != p) {
                return; // resolved meanwhile
            }
            pending.remove(nexthop);
            dropped = p.queue.size();
        }
        output.dropped(true, dropped);
    }

    /** Drops everything still waiting, without counting (the instance goes away). */
    synchronized void clear() {
        pending.values().forEach(p -> p.timeout.cancel(false));
        pending.clear();
    }
}
