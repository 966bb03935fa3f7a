package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.packet;
import static io.polycube.dataplane.api.TestObjects.spec;
import static io.polycube.dataplane.api.TestObjects.u32;
import static io.polycube.dataplane.api.TestObjects.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BpfMapTest {
    private BpfObject object;

    @BeforeEach
    void load() throws BpfException {
        object = spec("test_xdp").load();
    }

    @AfterEach
    void close() {
        object.close();
    }

    @Test
    void hashCrudAndIteration() throws Exception {
        BpfHashMap hash = object.hashMap("hash");
        assertEquals(MapType.HASH, hash.type());
        assertEquals(4, hash.keySize());
        assertEquals(8, hash.valueSize());
        assertEquals(Optional.empty(), hash.lookup(u32(1)));
        for (int k = 1; k <= 3; k++) {
            hash.update(u32(k), u64(k * 100L), UpdateMode.NOEXIST);
        }
        assertEquals(200, u64(hash.lookup(u32(2)).orElseThrow()));
        BpfException exists = assertThrows(BpfException.class, () -> hash.update(u32(2), u64(0), UpdateMode.NOEXIST));
        assertEquals(17, exists.errno());
        assertTrue(exists.getMessage().startsWith("bpf_map_update_elem(hash"), exists.getMessage());
        BpfException missing = assertThrows(BpfException.class, () -> hash.update(u32(9), u64(0), UpdateMode.EXIST));
        assertEquals(2, missing.errno());
        hash.update(u32(2), u64(222), UpdateMode.EXIST);
        assertEquals(222, u64(hash.lookup(u32(2)).orElseThrow()));

        Set<Integer> keys = hash.keys().stream().map(k -> (int) u64(pad(k))).collect(Collectors.toSet());
        assertEquals(Set.of(1, 2, 3), keys);
        assertTrue(hash.delete(u32(1)));
        assertFalse(hash.delete(u32(1)));
        assertEquals(2, hash.keys().size());
    }

    @Test
    void wrongSizesAreArgumentErrors() {
        BpfHashMap hash = object.hashMap("hash");
        assertThrows(IllegalArgumentException.class, () -> hash.lookup(new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> hash.update(u32(1), u32(1)));
        assertThrows(IllegalArgumentException.class, () -> object.arrayMap("hash"));
        assertThrows(IllegalArgumentException.class, () -> object.map("nope"));
        assertThrows(IllegalArgumentException.class, () -> object.program("nope"));
    }

    @Test
    void arrayGetSetAndNoDelete() throws Exception {
        BpfArrayMap array = object.arrayMap("array");
        assertEquals(0, u64(array.get(3)));
        array.set(3, u64(33));
        assertEquals(33, u64(array.get(3)));
        assertEquals(8, array.keys().size());
        assertThrows(BpfException.class, () -> array.delete(u32(3)));
        assertThrows(IndexOutOfBoundsException.class, () -> array.get(8));
    }

    @Test
    void perCpuCountersAfterTestRun() throws Exception {
        object.program("xdp_test").testRun(packet(60), 5);
        BpfPerCpuArrayMap counters = object.perCpuArrayMap("counters");
        List<byte[]> perCpu = counters.get(0);
        assertEquals(counters.cpus(), perCpu.size());
        assertEquals(5, perCpu.stream().mapToLong(TestObjects::u64).sum());

        counters.set(0, perCpu.stream().map(v -> u64(7)).toList());
        assertEquals(7L * counters.cpus(), counters.get(0).stream().mapToLong(TestObjects::u64).sum());
    }

    @Test
    void progArraySlotRedirectsTheTailCall() throws Exception {
        BpfProgArray jumps = object.progArray("jumps");
        BpfProgram entry = object.program("xdp_test");
        assertEquals(2, entry.testRun(packet(60), 1).retval());
        jumps.set(0, object.program("xdp_drop"));
        assertEquals(1, entry.testRun(packet(60), 1).retval());
        jumps.clear(0);
        assertEquals(2, entry.testRun(packet(60), 1).retval());
    }

    @Test
    void devMapTakesAnIfindex() throws Exception {
        BpfDevMap ports = object.devMap("ports");
        int lo = Netdevs.ifindex("lo").orElseThrow();
        ports.set(2, lo);
        assertArrayEquals(u32(lo), ports.lookup(u32(2)).orElseThrow());
        ports.clear(2);
        assertEquals(Optional.empty(), ports.lookup(u32(2)));
    }

    private static byte[] pad(byte[] key) {
        byte[] b = new byte[8];
        System.arraycopy(key, 0, b, 0, key.length);
        return b;
    }
}
