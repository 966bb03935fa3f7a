package io.polycube.dataplane.api;

import io.polycube.dataplane.impl.Lifecycle;
import io.polycube.dataplane.impl.Sys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A PERCPU_ARRAY map: one value per possible CPU, each {@link #valueSize()} bytes. */
public final class BpfPerCpuArrayMap extends BpfMap {
    private static final String KIND = "per-CPU array";

    BpfPerCpuArrayMap(Info info, Lifecycle owner) {
        super(info, owner);
    }

    /** Number of values per index (possible CPUs, not only online ones). */
    public int cpus() {
        return Sys.possibleCpus();
    }

    public List<byte[]> get(int index) throws BpfException {
        byte[] all = lookupIndex(index, KIND);
        int stride = perCpuStride();
        List<byte[]> values = new ArrayList<>(cpus());
        for (int cpu = 0; cpu < cpus(); cpu++) {
            values.add(Arrays.copyOfRange(all, cpu * stride, cpu * stride + valueSize()));
        }
        return values;
    }

    public void set(int index, List<byte[]> values) throws BpfException {
        checkIndex(index, KIND);
        if (values.size() != cpus()) {
            throw new IllegalArgumentException("per-CPU array " + name() + ": " + values.size() + " values, expected "
                + cpus());
        }
        int stride = perCpuStride();
        byte[] all = new byte[valueBufferSize()];
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
}
