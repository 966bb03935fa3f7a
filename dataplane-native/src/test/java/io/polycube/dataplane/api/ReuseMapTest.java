package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.packet;
import static io.polycube.dataplane.api.TestObjects.spec;
import static io.polycube.dataplane.api.TestObjects.u32;
import static io.polycube.dataplane.api.TestObjects.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A second object loaded from the same ELF shares the first one's maps through reuseMap. */
class ReuseMapTest {
    @Test
    void secondObjectSharesTheMap() throws Exception {
        BpfObject second;
        try (BpfObject first = spec("test_xdp").load()) {
            first.hashMap("hash").update(u32(1), u64(111));
            try (BpfObjectSpec spec = spec("test_xdp")) {
                spec.reuseMap("hash", first.map("hash")).reuseMap("array", first.map("array"))
                    .setConstant("verdict", 1);
                second = spec.load();
            }
            try {
                assertEquals(111, u64(second.hashMap("hash").lookup(u32(1)).orElseThrow()));
                second.hashMap("hash").update(u32(2), u64(222));
                assertEquals(222, u64(first.hashMap("hash").lookup(u32(2)).orElseThrow()));
                // the second object's program writes array[7] = its verdict into the shared array
                second.program("xdp_test").testRun(packet(64), 1);
                assertEquals(1, u64(first.arrayMap("array").lookup(u32(7)).orElseThrow()));
            } catch (Exception | Error e) {
                second.close();
                throw e;
            }
        }
        // the map lives on as long as any object uses it
        try (second) {
            assertEquals(111, u64(second.hashMap("hash").lookup(u32(1)).orElseThrow()));
        }
    }

    @Test
    void mismatchedDefinitionIsRefused() throws Exception {
        try (BpfObject first = spec("test_xdp").load(); BpfObjectSpec other = spec("test_live")) {
            // counters: PERCPU_ARRAY of 1; counts: PERCPU_ARRAY of 2
            BpfException e = assertThrows(BpfException.class, () -> other.reuseMap("counts", first.map("counters")));
            assertEquals(22, e.errno());
            assertTrue(e.getMessage().contains("definitions differ") && e.getMessage().contains("max_entries 2")
                && e.getMessage().contains("max_entries 1"), e.getMessage());
            assertThrows(BpfException.class, () -> other.reuseMap("counts", first.map("hash")));
            // the spec stays usable after a refusal
            other.load().close();
        }
    }
}
