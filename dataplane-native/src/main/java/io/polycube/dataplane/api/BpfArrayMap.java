package io.polycube.dataplane.api;

import io.polycube.dataplane.impl.Lifecycle;

/** An ARRAY map: every index exists, so get never misses and nothing can be deleted. */
public final class BpfArrayMap extends BpfMap {
    private static final String KIND = "array";

    BpfArrayMap(Info info, Lifecycle owner) {
        super(info, owner);
    }

    public byte[] get(int index) throws BpfException {
        return lookupIndex(index, KIND);
    }

    public void set(int index, byte[] value) throws BpfException {
        checkIndex(index, KIND);
        update(u32(index), value);
    }
}
