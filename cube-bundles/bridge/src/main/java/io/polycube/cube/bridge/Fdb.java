package io.polycube.cube.bridge;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The data path's filtering database as the control plane touches it (bridge.bpf.c): key
 * {@code struct fdb_key { __u16 vlan; __u8 address[6]; }}, value {@code struct fdb_entry { __u32 port;
 * __u32 pad; __u64 last_seen; }}. Short-lived: the map handles belong to the current data-path object.
 */
final class Fdb {
    interface EntryTest {
        boolean test(int vlan, byte[] mac, int port, long lastSeen) throws BpfException;
    }

    private final BpfObject dataplane;

    Fdb(BpfObject dataplane) {
        this.dataplane = dataplane;
    }

    boolean isStatic(byte[] key) throws BpfException {
        return dataplane.hashMap("static_fdb").lookup(key).isPresent();
    }

    /** Deletes the learned entries that pass the test; returns how many. */
    int removeIf(EntryTest test) throws BpfException {
        var fdb = dataplane.hashMap("fdb");
        int removed = 0;
        for (byte[] key : fdb.keys()) {
            var value = fdb.lookup(key);
            if (value.isEmpty()) {
                continue; // gone meanwhile
            }
            ByteBuffer k = ByteBuffer.wrap(key).order(ByteOrder.nativeOrder());
            ByteBuffer v = ByteBuffer.wrap(value.get()).order(ByteOrder.nativeOrder());
            if (test.test(k.getShort(0) & 0xffff, Arrays.copyOfRange(key, 2, 8), v.getInt(0), v.getLong(8))
                    && fdb.delete(key)) {
                removed++;
            }
        }
        return removed;
    }

    static byte[] key(int vlan, byte[] mac) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putShort((short) vlan).put(mac).array();
    }

    static byte[] config(long agingNanos, int portBound) {
        return ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(agingNanos).putInt(portBound).putInt(0).array();
    }

    static byte[] entry(int port, long lastSeen) {
        return ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(port).putInt(0).putLong(lastSeen).array();
    }
}
