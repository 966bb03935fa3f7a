package io.polycube.core.impl;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Isolates the cube types' slow paths from one another: each cube type gets a lane, a bounded queue and a
 * thread of its own that runs its instances' packet_in handlers. The ring poller only copies a record into
 * the lane (never waits): a handler that blocks, throws or cannot keep up stalls its own lane, whose
 * overflow is dropped and counted, while other cube types' packet_ins, every instance's log lines and the
 * rings themselves keep moving. A lane ends with its type's last registration (so a type installed again
 * after a stuck one gets a fresh lane).
 */
final class SlowPathLanes implements AutoCloseable {
    /** Records a lane holds before it drops; 4,096 × up to ~1.5 KB: bounded memory per cube type. */
    static final int DEFAULT_CAPACITY = 4096;
    /** How long closing a registration waits for its handler to return before it goes on without it. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(SlowPathLanes.class);
    private static final ThreadLocal<Boolean> ON_LANE = ThreadLocal.withInitial(() -> false);

    /** Where one registration's records go, and who hears of those its full lane dropped. */
    interface Registration extends AutoCloseable {
        /** Copies {@code record} into the lane; false (and the drop reported) when the lane is full. */
        boolean offer(ByteBuffer record);

        /** No record is handed to the handler afterwards; waits (at most CLOSE_WAIT) for one in progress. */
        @Override
        void close();
    }

    private final int capacity;
    private final Map<String, Lane> lanes = new HashMap<>();
    private boolean closed;

    SlowPathLanes() {
        this(DEFAULT_CAPACITY);
    }

    SlowPathLanes(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("lane capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Whether the caller runs a packet_in handler (on some lane's thread). */
    static boolean onLaneThread() {
        return ON_LANE.get();
    }

    /**
     * Registers a handler on {@code cubeType}'s lane. {@code dropped} runs on the offering thread for each
     * record the full lane refused.
     */
    synchronized Registration register(String cubeType, Consumer<ByteBuffer> handler, Runnable dropped) {
        if (closed) {
            throw new IllegalStateException("slow-path lanes are closed");
        }
        Lane lane = lanes.computeIfAbsent(requireNonNull(cubeType), type -> new Lane(type, capacity));
        Handle handle = new Handle(lane, requireNonNull(handler), requireNonNull(dropped));
        lane.users++;
        return handle;
    }

    private synchronized void release(Lane lane) {
        if (--lane.users == 0 && lanes.get(lane.type) == lane) {
            lanes.remove(lane.type);
            lane.stop();
        }
    }

    /** Number of lanes (cube types with a registration), for tests. */
    synchronized int lanes() {
        return lanes.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        lanes.values().forEach(Lane::stop);
        lanes.clear();
    }

    private record Item(Handle handle, byte[] bytes) {
    }

    private final class Handle implements Registration {
        private final Lane lane;
        private final Consumer<ByteBuffer> handler;
        private final Runnable dropped;
        private volatile boolean open = true;

        Handle(Lane lane, Consumer<ByteBuffer> handler, Runnable dropped) {
            this.lane = lane;
            this.handler = handler;
            this.dropped = dropped;
        }

        @Override
        public boolean offer(ByteBuffer record) {
            if (!open) {
                return false;
            }
            byte[] copy = new byte[record.remaining()];
            record.duplicate().get(copy);
            if (lane.queue.offer(new Item(this, copy))) {
                return true;
            }
            dropped.run();
            return false;
        }

        @Override
        public void close() {
            if (!open) {
                return;
            }
            open = false;
            // Wait for a handler of this registration in progress (not when called from inside it), but not
            // again for one already stuck longer than CLOSE_WAIT: the caller may hold locks others wait for.
            long since = lane.busySince;
            long waitNanos = since == 0 ? CLOSE_WAIT.toNanos() : CLOSE_WAIT.toNanos() - (System.nanoTime() - since);
            try {
                if (waitNanos > 0 && lane.running.tryLock(waitNanos, TimeUnit.NANOSECONDS)) {
                    lane.running.unlock();
                } else {
                    LOG.warn("Slow path of cube type {}: a packet_in handler has not returned for {} s or more; closing "
                        + "without it", lane.type, CLOSE_WAIT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release(lane);
        }
    }

    private static final class Lane {
        private final String type;
        private final BlockingQueue<Item> queue;
        private final ReentrantLock running = new ReentrantLock();
        private final Thread thread;
        private int users;
        private volatile boolean stopping;
        /** System.nanoTime() when the handler in progress began (never 0 then); 0 when none runs. */
        private volatile long busySince;
        private long failures;

        Lane(String type, int capacity) {
            this.type = type;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(this::run, "pcn-slowpath-" + type);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            ON_LANE.set(true);
            while (!stopping) {
                Item item;
                try {
                    item = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    continue; // stopping is checked again
                }
                if (item == null) {
                    continue;
                }
                running.lock();
                busySince = System.nanoTime() | 1;
                try {
                    if (item.handle().open) {
                        item.handle().handler.accept(ByteBuffer.wrap(item.bytes()));
                    }
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) {
                    // A handler that always throws must not flood the log: the 1st, 2nd, 4th, 8th... failure.
                    if ((++failures & (failures - 1)) == 0) {
                        LOG.warn("Slow path of cube type {}: packet_in handler failed ({} times so far); record skipped",
                            type, failures, e);
                    }
                } finally {
                    busySince = 0;
                    running.unlock();
                }
            }
        }

        void stop() {
            stopping = true;
            queue.clear();
            thread.interrupt();
        }
    }
}
