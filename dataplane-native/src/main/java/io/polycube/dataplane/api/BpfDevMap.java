package io.polycube.dataplane.api;

import io.polycube.dataplane.impl.Lifecycle;

/** A DEVMAP or DEVMAP_HASH: slot → egress interface for {@code bpf_redirect_map}. */
public final class BpfDevMap extends BpfMap {
    BpfDevMap(Info info, Lifecycle owner) {
        super(info, owner);
    }

    /** The value may be a bare ifindex or a {@code struct bpf_devmap_val}; the ifindex comes first in both. */
    public void set(int index, int ifindex) throws BpfException {
        byte[] value = new byte[valueSize()];
        System.arraycopy(u32(ifindex), 0, value, 0, 4);
        update(u32(index), value);
    }

    public void clear(int index) throws BpfException {
        delete(u32(index));
    }
}
