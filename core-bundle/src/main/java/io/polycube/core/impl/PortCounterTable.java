package io.polycube.core.impl;

import io.polycube.core.spi.PortCounters;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfPerCpuArrayMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-port counters of one instance: the single per-CPU value of {@code pcn_port_stats} (a
 * {@code struct pcn_stats_table}), summed over CPUs. A port index reused by a new port starts from a
 * baseline rather than from zeroed memory: writing zeros could race with the data path counting the
 * other ports of the same per-CPU table.
 */
final class PortCounterTable {
    private BpfPerCpuArrayMap stats;
    private final Map<Integer, PortCounters> baselines = new HashMap<>();

    PortCounterTable(BpfPerCpuArrayMap stats) {
        this.stats = stats;
    }

    /** The handle of the current MASTER object (the kernel map is the same after a reload). */
    BpfPerCpuArrayMap use(BpfPerCpuArrayMap next) {
        BpfPerCpuArrayMap previous = stats;
        stats = next;
        return previous;
    }

    /** A new port at {@code index} counts from now on. */
    void startAt(int index) throws BpfException {
        baselines.put(index, sum(stats.get(0), index));
    }

    /** The counters of the ports at {@code indices}, from one read of the table. */
    Map<Integer, PortCounters> read(Iterable<Integer> indices) throws BpfException {
        List<byte[]> cpus = stats.get(0);
        Map<Integer, PortCounters> all = new HashMap<>();
        for (int index : indices) {
            all.put(index, sum(cpus, index).minus(baselines.getOrDefault(index, PortCounters.ZERO)));
        }
        return all;
    }

    private static PortCounters sum(List<byte[]> cpus, int index) {
        PortCounters sum = PortCounters.ZERO;
        for (byte[] cpu : cpus) {
            sum = sum.plus(DataplaneLayout.portStats(cpu, index));
        }
        return sum;
    }
}
