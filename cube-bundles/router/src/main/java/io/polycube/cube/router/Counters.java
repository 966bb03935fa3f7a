package io.polycube.cube.router;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfPerCpuArrayMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * The slow path's counters, kept in their slots of the data path's per-CPU router_stats map (CPU 0's
 * value; the data path never touches these slots), so RESTCONF lists them with the kernel's.
 */
final class Counters {
    /** The YANG enumeration "counter" values the slow path owns. */
    enum Counter {
        ARP_REQUESTS(4), ARP_TIMEOUT_DROPS(5), ARP_QUEUE_DROPS(6), ARP_EVICTIONS(7);

        final int slot;

        Counter(int slot) {
            this.slot = slot;
        }
    }

    private final AtomicLongArray values = new AtomicLongArray(Counter.values().length);
    private final Supplier<BpfObject> dataplane;

    Counters(Supplier<BpfObject> dataplane) {
        this.dataplane = dataplane;
    }

    synchronized void add(Counter counter, long n) throws BpfException {
        if (n == 0) {
            return;
        }
        long value = values.addAndGet(counter.ordinal(), n);
        BpfPerCpuArrayMap stats = dataplane.get().perCpuArrayMap("router_stats");
        List<byte[]> perCpu = new ArrayList<>();
        for (int cpu = 0; cpu < stats.cpus(); cpu++) {
            perCpu.add(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(cpu == 0 ? value : 0).array());
        }
        stats.set(counter.slot, perCpu);
    }

    long get(Counter counter) {
        return values.get(counter.ordinal());
    }
}
