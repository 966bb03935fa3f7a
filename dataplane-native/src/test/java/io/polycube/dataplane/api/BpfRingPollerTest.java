package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.packet;
import static io.polycube.dataplane.api.TestObjects.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The multi-ring poller against real rings: test_xdp objects whose events carry their object's tag. */
class BpfRingPollerTest {

    private static BpfObject tagged(int tag) throws BpfException {
        try (BpfObjectSpec spec = spec("test_xdp")) {
            return spec.setConstant("tag", tag).load();
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void eventsOfSeveralRingsReachTheirOwnHandler() throws Exception {
        List<BpfObject> objects = new ArrayList<>();
        Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
        AtomicInteger misrouted = new AtomicInteger();
        try (BpfRingPoller poller = BpfRingPoller.start("test-poller")) {
            for (int tag = 1; tag <= 3; tag++) {
                BpfObject object = tagged(tag);
                objects.add(object);
                int expected = tag;
                counts.put(tag, new AtomicInteger());
                poller.add(object.ringBuffer("events"), record -> {
                    if ((record.get(16) & 0xff) != expected) {
                        misrouted.incrementAndGet();
                    }
                    counts.get(expected).incrementAndGet();
                });
            }
            assertEquals(3, poller.size());
            // A 16 KiB ring holds one round (300 events of 40 bytes), not three: each round waits for
            // the poller, or a slow machine would see the producer drop events of a full ring.
            for (int round = 1; round <= 3; round++) {
                for (int tag = 1; tag <= 3; tag++) {
                    objects.get(tag - 1).program("xdp_test").testRun(packet(64), 100 * tag);
                }
                int rounds = round;
                await("all events of round " + round, () -> counts.get(1).get() == 100 * rounds
                    && counts.get(2).get() == 200 * rounds && counts.get(3).get() == 300 * rounds);
            }
            assertEquals(0, misrouted.get());
        } finally {
            objects.forEach(BpfObject::close);
        }
    }

    @Test
    void aThrowingHandlerDoesNotStopThePoller() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        try (BpfObject object = tagged(9); BpfRingPoller poller = BpfRingPoller.start("test-poller")) {
            poller.add(object.ringBuffer("events"), record -> {
                if (seen.incrementAndGet() % 2 == 0) {
                    throw new IllegalArgumentException("test: handler failure");
                }
            });
            object.program("xdp_test").testRun(packet(64), 10);
            await("10 events despite failures", () -> seen.get() == 10);
            object.program("xdp_test").testRun(packet(64), 10);
            await("10 more", () -> seen.get() == 20);
        }
    }

    /** A ring removed while its producer runs: after close() returns its handler is never called again. */
    @Test
    void removalWhileRunningIsSafe() throws Exception {
        AtomicInteger kept = new AtomicInteger();
        AtomicInteger removed = new AtomicInteger();
        AtomicBoolean closedReturned = new AtomicBoolean();
        AtomicInteger lateCalls = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        try (BpfObject keep = tagged(1); BpfRingPoller poller = BpfRingPoller.start("test-poller")) {
            poller.add(keep.ringBuffer("events"), record -> kept.incrementAndGet());
            BpfObject gone = tagged(2);
            BpfRingPoller.Registration registration = poller.add(gone.ringBuffer("events"), record -> {
                removed.incrementAndGet();
                if (closedReturned.get()) {
                    lateCalls.incrementAndGet();
                }
            });
            Thread producer = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        gone.program("xdp_test").testRun(packet(64), 50);
                    }
                } catch (BpfException | IllegalStateException e) {
                    producerFailure.set(e);
                }
            });
            producer.start();
            await("events from the ring being removed", () -> removed.get() > 1000);
            registration.close();
            closedReturned.set(true);
            registration.close(); // idempotent
            stop.set(true);
            producer.join();
            gone.close(); // unmaps the ring: the poller must not touch it any more
            assertEquals(1, poller.size());
            keep.program("xdp_test").testRun(packet(64), 25);
            await("the other ring still served", () -> kept.get() == 25);
            assertEquals(0, lateCalls.get());
            assertEquals(null, producerFailure.get());
        }
    }
}
