package io.polycube.core.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlowPathLanesTest {
    private static ByteBuffer record(int value) {
        return ByteBuffer.allocate(4).putInt(0, value);
    }

    @Test
    void aBlockedCubeTypeDropsItsOwnOverflowWhileAnotherKeepsItsRate() throws Exception {
        try (SlowPathLanes lanes = new SlowPathLanes(8)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            AtomicInteger stuckDrops = new AtomicInteger();
            SlowPathLanes.Registration stuck = lanes.register("broken", r -> {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, stuckDrops::incrementAndGet);
            List<Integer> delivered = new CopyOnWriteArrayList<>();
            AtomicInteger healthyDrops = new AtomicInteger();
            SlowPathLanes.Registration healthy = lanes.register("fine", r -> delivered.add(r.getInt(0)),
                healthyDrops::incrementAndGet);

            assertTrue(stuck.offer(record(0)));
            assertTrue(blocked.await(5, TimeUnit.SECONDS), "the broken handler runs");
            int accepted = 0;
            for (int i = 1; i <= 100; i++) {
                accepted += stuck.offer(record(i)) ? 1 : 0;
            }
            assertEquals(8, accepted, "the blocked lane holds its capacity, no more");
            assertEquals(92, stuckDrops.get(), "and counts what it refused");

            // The other cube type, offered from the same (poller) thread, gets every record, in order (at most
            // a lane's capacity in flight: the test paces itself as a ring does).
            for (int i = 0; i < 1000; i++) {
                int sent = i;
                waitFor(() -> sent - delivered.size() < 8);
                assertTrue(healthy.offer(record(i)));
            }
            waitFor(() -> delivered.size() + healthyDrops.get() == 1000);
            assertEquals(0, healthyDrops.get());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, delivered.get(i));
            }
            release.countDown();
            stuck.close();
            healthy.close();
            assertEquals(0, lanes.lanes(), "a lane ends with its last registration");
        }
    }

    @Test
    void closingWaitsForTheHandlerInProgressAndNothingArrivesAfterwards() throws Exception {
        try (SlowPathLanes lanes = new SlowPathLanes(64)) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            AtomicInteger calls = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            SlowPathLanes.Registration reg = lanes.register("t", r -> {
                calls.incrementAndGet();
                inside.countDown();
                try {
                    finish.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                finished.incrementAndGet();
            }, () -> {
            });
            for (int i = 0; i < 10; i++) {
                reg.offer(record(i));
            }
            assertTrue(inside.await(5, TimeUnit.SECONDS));
            new Thread(() -> {
                sleep(200);
                finish.countDown();
            }).start();
            reg.close();
            assertEquals(1, finished.get(), "close returned after the handler in progress");
            sleep(200);
            assertEquals(1, calls.get(), "the queued records of a closed registration are never handed over");
            assertFalse(reg.offer(record(99)));
        }
    }

    @Test
    void aHandlerStuckLongerThanTheCloseWaitIsNotWaitedForAgain() throws Exception {
        try (SlowPathLanes lanes = new SlowPathLanes(8)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch inside = new CountDownLatch(1);
            SlowPathLanes.Registration first = lanes.register("stuck", r -> {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, () -> {
            });
            SlowPathLanes.Registration second = lanes.register("stuck", r -> {
            }, () -> {
            });
            first.offer(record(1));
            assertTrue(inside.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            first.close();
            long firstMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(firstMillis >= SlowPathLanes.CLOSE_WAIT.toMillis() - 50, "the first close waited: " + firstMillis);
            start = System.nanoTime();
            second.close();
            long secondMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(secondMillis < SlowPathLanes.CLOSE_WAIT.toMillis() / 2,
                "a handler stuck for longer than the close wait is not waited for again: " + secondMillis + " ms");
            release.countDown();
        }
    }

    @Test
    void aHandlerThatThrowsLosesOnlyItsRecordAndRunsOnALaneThread() throws Exception {
        try (SlowPathLanes lanes = new SlowPathLanes(64)) {
            List<Boolean> onLane = new CopyOnWriteArrayList<>();
            SlowPathLanes.Registration reg = lanes.register("t", r -> {
                onLane.add(SlowPathLanes.onLaneThread());
                if (r.getInt(0) % 2 == 0) {
                    throw new IllegalStateException("broken cube");
                }
            }, () -> {
            });
            for (int i = 0; i < 20; i++) {
                reg.offer(record(i));
            }
            waitFor(() -> onLane.size() == 20);
            assertTrue(onLane.stream().allMatch(b -> b));
            assertFalse(SlowPathLanes.onLaneThread());
            reg.close();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met in 10 s");
            }
            sleep(1);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
