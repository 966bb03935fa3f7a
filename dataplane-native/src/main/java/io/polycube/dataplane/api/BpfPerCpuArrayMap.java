package io.polycube.dataplane.api;

import io.polycube.dataplane.impl.Lifecycle;
import io.polycube.dataplane.impl.Sys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A PERCPU_ARRAY map: one value per possible CPU, each {@link #valueSize()} bytes. */
public final class BpfPerCpuArrayMap extends BpfMap {
    BpfPerCpuArrayMap(Info info, Lifecycle owner) {
        super(info, owner);
    }

    /** Number of values per index (possible CPUs, not only online ones). */
    public int cpus() {
        return Sys.possibleCpus();
    }

    public List<byte[]> get(int index) throws BpfException {
        checkIndex(index);
        byte[] all = lookup(u32(index)).orElseThrow(() -> new BpfException("array " + name() + ": index " + index
            + " missing", 2));
        int stride = stride();
        List<byte[]> values = new ArrayList<>(cpus());
        for (int cpu = 0; cpu < cpus(); cpu++) {
            values.add(Arrays.copyOfRange(all, cpu * stride, cpu * stride + valueSize()));
        }
        return values;
    }

    public void set(int index, List<byte[]> values) throws BpfException {
        checkIndex(index);
        if (values.size() != cpus()) {
            throw new IllegalArgumentException("per-CPU array " + name() + ": " + values.size() + " values, expected "
                + cpus());
        }
        int stride = stride();
        byte[] all = new byte[stride * cpus()];
        for (int cpu = 0; cpu < values.size(); cpu++) {
            byte[] v = values.get(cpu);
            if (v.length != valueSize()) {
                throw new IllegalArgumentException("per-CPU array " + name() + ": value for CPU " + cpu + " is "
                    + v.length + " bytes, expected " + valueSize());
            }
            System.arraycopy(v, 0, all, cpu * stride, v.length);
        }
        update(u32(index), all);
    }

    private int stride() {
        return (valueSize() + 7) & ~7;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= maxEntries()) {
            throw new IndexOutOfBoundsException("per-CPU array " + name() + ": index " + index + " not in [0, "
                + maxEntries() + ")");
        }
    }
}
