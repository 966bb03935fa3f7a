package io.polycube.dataplane.api;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.polycube.dataplane.impl.Errors;
import io.polycube.dataplane.impl.LibC;
import io.polycube.dataplane.impl.Lifecycle;
import io.polycube.dataplane.impl.Sys;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A pure-Java consumer of a RINGBUF map, several times faster than a JNA callback per record. The
 * consumer page is mapped read-write, the producer page and the data area read-only; the kernel
 * maps the data area twice in a row, so a record that wraps is still contiguous. One consumer per
 * ring: poll and drain are serialized.
 * <p>The data area is mapped only once a record is first pending: the kernel populates a ring mapping
 * in full at mmap time, so mapping it up front would put every idle ring (two per cube instance,
 * 320 KiB of data mapped twice) into the process's resident set. Until then only the consumer and
 * producer pages are mapped.
 */
public final class BpfRingBuffer implements AutoCloseable {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    private static final int HEADER = 8;
    private static final int EINTR = 4;

    private final String name;
    private final int fd;
    private final int page;
    private final long mask;
    private final Pointer consumerMap;
    private final Pointer positionMap;
    private final long producerLength;
    private final ByteBuffer consumer;
    private final ByteBuffer position;
    private final Lifecycle lifecycle;
    /** Producer page and data area, mapped at the first pending record (null before). */
    private Pointer producerMap;
    private ByteBuffer producer;

    private BpfRingBuffer(String name, int fd, int size, Pointer consumerMap, Pointer positionMap) {
        this.name = name;
        this.fd = fd;
        this.page = Sys.pageSize();
        this.mask = size - 1L;
        this.consumerMap = consumerMap;
        this.positionMap = positionMap;
        this.producerLength = page + 2L * size;
        this.consumer = consumerMap.getByteBuffer(0, page);
        this.position = positionMap.getByteBuffer(0, page);
        this.lifecycle = new Lifecycle("ring buffer " + name);
    }

    static BpfRingBuffer open(String name, int fd, int size) throws BpfException {
        int page = Sys.pageSize();
        if (size <= 0 || page + 2L * size > Integer.MAX_VALUE) {
            throw new BpfException("ring buffer " + name + ": size " + size + " not supported (max ~1 GiB)");
        }
        LibC libc = LibC.INSTANCE;
        Pointer cons = libc.mmap(null, page, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (LibC.MAP_FAILED.equals(cons)) {
            throw Errors.fromErrno("mmap", name + " consumer page");
        }
        // The producer page alone: enough to see whether anything is pending.
        Pointer prod = libc.mmap(null, page, LibC.PROT_READ, LibC.MAP_SHARED, fd, page);
        if (LibC.MAP_FAILED.equals(prod)) {
            BpfException e = Errors.fromErrno("mmap", name + " producer page");
            libc.munmap(cons, page);
            throw e;
        }
        return new BpfRingBuffer(name, fd, size, cons, prod);
    }

    /** The producer page and the data area (twice), mapped on first use. */
    private ByteBuffer producer() throws BpfException {
        if (producer == null) {
            Pointer prod = LibC.INSTANCE.mmap(null, producerLength, LibC.PROT_READ, LibC.MAP_SHARED, fd, page);
            if (LibC.MAP_FAILED.equals(prod)) {
                throw Errors.fromErrno("mmap", name + " producer pages");
            }
            producerMap = prod;
            producer = prod.getByteBuffer(0, producerLength);
        }
        return producer;
    }

    public String name() {
        return name;
    }

    /** The map fd, for {@link BpfRingPoller}'s epoll set (readable when records are pending). */
    int fd() {
        return fd;
    }

    /**
     * Consumes what is available; if nothing is, waits up to {@code timeout} for data and consumes
     * it. Returns the number of records handed to {@code handler}.
     */
    public synchronized int poll(Duration timeout, Consumer<ByteBuffer> handler) throws BpfException {
        lifecycle.enter();
        try {
            int n = consume(handler);
            if (n > 0) {
                return n;
            }
            try (Memory pollfd = new Memory(8)) {
                pollfd.setInt(0, fd);
                pollfd.setShort(4, LibC.POLLIN);
                pollfd.setShort(6, (short) 0);
                long ms = timeout.isNegative() ? -1 : Math.min(timeout.toMillis(), Integer.MAX_VALUE);
                if (LibC.INSTANCE.poll(pollfd, 1, (int) ms) < 0) {
                    int errno = Native.getLastError();
                    if (errno != EINTR) {
                        throw Errors.of("poll", name, errno);
                    }
                }
            }
            return consume(handler);
        } finally {
            lifecycle.exit();
        }
    }

    /**
     * Consumes what is available without waiting.
     *
     * @throws IllegalStateException if the ring is closed, or its data area cannot be mapped
     */
    public synchronized int drain(Consumer<ByteBuffer> handler) {
        lifecycle.enter();
        try {
            return consume(handler);
        } catch (BpfException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            lifecycle.exit();
        }
    }

    private int consume(Consumer<ByteBuffer> handler) throws BpfException {
        int count = 0;
        long cons = (long) LONGS.getAcquire(consumer, 0);
        if (cons >= (long) LONGS.getAcquire(position, 0)) {
            return 0;
        }
        ByteBuffer producer = producer();
        while (true) {
            long prod = (long) LONGS.getAcquire(producer, 0);
            if (cons >= prod) {
                return count;
            }
            while (cons < prod) {
                int at = page + (int) (cons & mask);
                // acquire pairs with the kernel's release of the header when it commits the record
                int header = (int) INTS.getAcquire(producer, at);
                if ((header & BUSY) != 0) {
                    return count;
                }
                int length = header & ~(BUSY | DISCARD);
                try {
                    if ((header & DISCARD) == 0) {
                        count++;
                        handler.accept(producer.slice(at + HEADER, length).asReadOnlyBuffer()
                            .order(ByteOrder.LITTLE_ENDIAN));
                    }
                } finally {
                    // only now may the kernel reuse the space the handler was reading
                    cons += (length + HEADER + 7) & ~7L;
                    LONGS.setRelease(consumer, 0, cons);
                }
            }
        }
    }

    /** Unmaps the ring; idempotent. The map itself belongs to its {@link BpfObject}. */
    @Override
    public void close() {
        lifecycle.close(() -> {
            if (producerMap != null) {
                LibC.INSTANCE.munmap(producerMap, producerLength);
            }
            LibC.INSTANCE.munmap(positionMap, page);
            LibC.INSTANCE.munmap(consumerMap, page);
        });
    }

    boolean isClosed() {
        return lifecycle.isClosed();
    }
}
