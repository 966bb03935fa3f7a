package io.polycube.dataplane.api;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.polycube.dataplane.impl.Errors;
import io.polycube.dataplane.impl.LibC;
import io.polycube.dataplane.impl.LibNet;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that waits on many ring buffers with epoll and drains each ready one into its
 * handler: the slow path of every cube instance costs one thread, not one per ring.
 * <p>Threading policy: handlers run on the poller thread, one record at a time, so a handler that
 * blocks delays every ring (their records queue up, and a full ring drops new copies in the kernel).
 * Handlers must be quick and hand long work to their own executor. An exception from a handler is
 * logged and the record skipped; nothing a handler does stops the thread.
 * <p>{@link Registration#close()} returns once the poller no longer touches the ring, waiting for a
 * drain in progress; so close a registration before closing its ring or its object. Rings and
 * handlers are never owned: closing the poller leaves them open.
 */
public final class BpfRingPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BpfRingPoller.class);
    private static final int EINTR = 4;
    private static final int MAX_EVENTS = 64;
    private static final long WAKEUP = 0;

    /** A ring's membership in the poller; closing it removes the ring; idempotent, never throws. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final String name;
    private final int epfd;
    private final int wakeFd;
    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(WAKEUP + 1);
    private final Thread thread;
    private volatile boolean running = true;

    private BpfRingPoller(String name, int epfd, int wakeFd) {
        this.name = name;
        this.epfd = epfd;
        this.wakeFd = wakeFd;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    /** Creates the epoll set and starts the thread (named {@code name}). */
    public static BpfRingPoller start(String name) throws BpfException {
        LibNet net = LibNet.INSTANCE;
        int epfd = Errors.checkErrno(net.epoll_create1(LibNet.EPOLL_CLOEXEC), "epoll_create1", name);
        int wakeFd = net.eventfd(0, LibNet.EFD_CLOEXEC | LibNet.EFD_NONBLOCK);
        if (wakeFd < 0) {
            BpfException e = Errors.fromErrno("eventfd", name);
            LibC.INSTANCE.close(epfd);
            throw e;
        }
        try {
            control(epfd, LibNet.EPOLL_CTL_ADD, wakeFd, WAKEUP, name);
        } catch (BpfException e) {
            LibC.INSTANCE.close(wakeFd);
            LibC.INSTANCE.close(epfd);
            throw e;
        }
        BpfRingPoller poller = new BpfRingPoller(name, epfd, wakeFd);
        poller.thread.start();
        return poller;
    }

    /** Adds {@code ring}; from now on its records go to {@code handler} on the poller thread. */
    public Registration add(BpfRingBuffer ring, Consumer<ByteBuffer> handler) throws BpfException {
        if (!running) {
            throw new IllegalStateException("poller " + name + " is closed");
        }
        Entry entry = new Entry(ids.getAndIncrement(), ring, handler);
        entries.put(entry.id, entry);
        try {
            control(epfd, LibNet.EPOLL_CTL_ADD, ring.fd(), entry.id, ring.name());
        } catch (BpfException | RuntimeException e) {
            entries.remove(entry.id);
            throw e;
        }
        return entry;
    }

    /** Whether the calling thread is this poller's (a handler running now). */
    public boolean isPollerThread() {
        return Thread.currentThread() == thread;
    }

    /** How many rings are registered. */
    public int size() {
        return entries.size();
    }

    private static void control(int epfd, int op, int fd, long id, String what) throws BpfException {
        try (Memory event = new Memory(LibNet.EPOLL_EVENT_SIZE)) {
            event.clear();
            event.setInt(0, LibNet.EPOLLIN);
            event.setLong(LibNet.EPOLL_DATA_OFFSET, id);
            if (LibNet.INSTANCE.epoll_ctl(epfd, op, fd, event) < 0) {
                throw Errors.fromErrno("epoll_ctl", what);
            }
        }
    }

    private void loop() {
        try (Memory events = new Memory((long) MAX_EVENTS * LibNet.EPOLL_EVENT_SIZE)) {
            while (running) {
                int n = LibNet.INSTANCE.epoll_wait(epfd, events, MAX_EVENTS, -1);
                if (n < 0) {
                    int errno = Native.getLastError();
                    if (errno != EINTR) {
                        LOG.error("Ring poller {}: epoll_wait failed ({}); stopping", name, Errors.describe(errno));
                        return;
                    }
                    continue;
                }
                for (int i = 0; i < n && running; i++) {
                    long id = events.getLong((long) i * LibNet.EPOLL_EVENT_SIZE + LibNet.EPOLL_DATA_OFFSET);
                    Entry entry = id == WAKEUP ? null : entries.get(id);
                    if (entry != null) {
                        entry.drain();
                    }
                }
            }
        }
    }

    /** Stops the thread (waiting for a handler in progress) and closes the epoll set; rings stay open. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        try (Memory one = new Memory(8)) {
            one.setLong(0, 1);
            LibNet.INSTANCE.write(wakeFd, one, 8);
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        entries.values().forEach(Entry::deactivate);
        entries.clear();
        LibC.INSTANCE.close(wakeFd);
        LibC.INSTANCE.close(epfd);
    }

    private final class Entry implements Registration {
        private final long id;
        private final BpfRingBuffer ring;
        private final Consumer<ByteBuffer> handler;
        private boolean active = true;

        Entry(long id, BpfRingBuffer ring, Consumer<ByteBuffer> handler) {
            this.id = id;
            this.ring = ring;
            this.handler = handler;
        }

        /** Under the entry's lock, so that close() waits for a drain in progress. */
        synchronized void drain() {
            if (!active) {
                return;
            }
            try {
                ring.drain(this::dispatch);
            } catch (IllegalStateException e) {
                // The ring was closed without closing this registration first: forget it, or epoll spins.
                LOG.warn("Ring poller {}: ring {} closed while registered; removing it", name, ring.name());
                deactivate();
                entries.remove(id);
            }
        }

        private void dispatch(ByteBuffer record) {
            try {
                handler.accept(record);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.warn("Ring poller {}: handler of ring {} failed; record skipped", name, ring.name(), e);
            }
        }

        synchronized boolean deactivate() {
            boolean was = active;
            active = false;
            return was;
        }

        @Override
        public void close() {
            if (!deactivate()) {
                return;
            }
            entries.remove(id);
            if (running) {
                try {
                    control(epfd, LibNet.EPOLL_CTL_DEL, ring.fd(), id, ring.name());
                } catch (BpfException e) {
                    LOG.debug("Ring poller {}: removing ring {}: {}", name, ring.name(), e.getMessage());
                }
            }
        }
    }
}
