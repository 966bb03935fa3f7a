package io.polycube.dataplane.api;

import io.polycube.dataplane.impl.Lifecycle;

/** An ARRAY map: every index exists, so get never misses and nothing can be deleted. */
public final class BpfArrayMap extends BpfMap {
    BpfArrayMap(Info info, Lifecycle owner) {
        super(info, owner);
    }

    public byte[] get(int index) throws BpfException {
        checkIndex(index);
        return lookup(u32(index)).orElseThrow(() -> new BpfException("array " + name() + ": index " + index
            + " missing", 2));
    }

    public void set(int index, byte[] value) throws BpfException {
        checkIndex(index);
        update(u32(index), value);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= maxEntries()) {
            throw new IndexOutOfBoundsException("array " + name() + ": index " + index + " not in [0, "
                + maxEntries() + ")");
        }
    }
}
