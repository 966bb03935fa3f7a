package io.polycube.cube.simplebridge;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The data path's maps as the control plane touches them (layouts of simplebridge.bpf.c): {@code fdb}
 * (struct mac -> struct fdb_entry { __u32 port; __u32 pad; __u64 last_seen; }), {@code static_fdb},
 * {@code bridge_config} (struct bridge_config { __u64 aging_ns; __u32 port_bound; __u32 pad; }).
 * Short-lived: the map handles belong to the current data-path object.
 */
final class Fdb {
    interface EntryTest {
        boolean test(byte[] mac, int port, long lastSeen) throws BpfException;
    }

    private final BpfObject dataplane;

    Fdb(BpfObject dataplane) {
        this.dataplane = dataplane;
    }

    void writeConfig(long agingNanos, int portBound) throws BpfException {
        dataplane.arrayMap("bridge_config").set(0, config(agingNanos, portBound));
    }

    boolean isStatic(byte[] mac) throws BpfException {
        return dataplane.hashMap("static_fdb").lookup(mac).isPresent();
    }

    /** Deletes the learned entries that pass the test; returns how many. */
    int removeIf(EntryTest test) throws BpfException {
        var fdb = dataplane.hashMap("fdb");
        int removed = 0;
        for (byte[] mac : fdb.keys()) {
            var value = fdb.lookup(mac);
            if (value.isEmpty()) {
                continue; // gone meanwhile
            }
            ByteBuffer b = ByteBuffer.wrap(value.get()).order(ByteOrder.nativeOrder());
            if (test.test(mac, b.getInt(0), b.getLong(8)) && fdb.delete(mac)) {
                removed++;
            }
        }
        return removed;
    }

    static byte[] config(long agingNanos, int portBound) {
        return ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(agingNanos).putInt(portBound).putInt(0).array();
    }

    static byte[] entry(int port, long lastSeen) {
        return ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(port).putInt(0).putLong(lastSeen).array();
    }
}
