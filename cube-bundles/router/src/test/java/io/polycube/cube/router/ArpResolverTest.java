package io.polycube.cube.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One request per next hop, a bounded queue released in order, timeouts counted. */
class ArpResolverTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> requests = new ArrayList<>();
    private final AtomicInteger timedOut = new AtomicInteger();
    private final AtomicInteger overflow = new AtomicInteger();
    private final ArpResolver resolver = new ArpResolver(timer, new ArpResolver.Output() {
        @Override
        public synchronized void sendRequest(int nexthop, String outPort) {
            requests.add(Ipv4.format(nexthop) + " " + outPort);
        }

        @Override
        public void dropped(boolean timeout, int packets) {
            (timeout ? timedOut : overflow).addAndGet(packets);
        }
    });

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void queuesUpToTheBoundAndReleasesInOrder() {
        for (int i = 0; i < 5; i++) {
            resolver.miss(7, "p1", new ArpResolver.Waiting("p0", new byte[] {(byte) i}), 3, 10_000);
        }
        assertEquals(List.of("0.0.0.7 p1"), requests, "one request per next hop");
        assertEquals(2, overflow.get());
        List<ArpResolver.Waiting> released = resolver.resolved(7);
        assertEquals(List.of(0, 1, 2), released.stream().map(w -> (int) w.frame()[0]).toList());
        assertEquals(List.of(), resolver.resolved(7), "released once");
        assertEquals(0, timedOut.get());
    }

    @Test
    void dropsAndCountsOnTimeout() throws InterruptedException {
        resolver.miss(9, "p1", new ArpResolver.Waiting("p0", new byte[1]), 8, 300);
        resolver.miss(9, "p1", new ArpResolver.Waiting("p0", new byte[1]), 8, 300);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (timedOut.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2, timedOut.get());
        assertEquals(0, resolver.waiting());
        assertEquals(List.of(), resolver.resolved(9), "a late reply releases nothing");
        int asked = requests.size();
        resolver.miss(9, "p1", new ArpResolver.Waiting("p0", new byte[1]), 8, 300);
        assertEquals(asked + 1, requests.size(), "a new miss after the timeout asks again");
    }
}
