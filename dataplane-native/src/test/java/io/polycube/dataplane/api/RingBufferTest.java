package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.packet;
import static io.polycube.dataplane.api.TestObjects.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingBufferTest {
    private record Event(int verdict, int len, long magic, int tag, ByteOrder order, boolean readOnly) {
        static Event read(ByteBuffer b) {
            return new Event(b.getInt(0), b.getInt(4), b.getLong(8), b.get(16) & 0xff, b.order(), b.isReadOnly());
        }
    }

    @Test
    void everyRunProducesOneEvent() throws Exception {
        int runs = 300; // 300 x 32-byte records wrap the 16 KiB ring at least once over the two rounds
        try (BpfObject object = spec("test_xdp").setConstant("magic", 0x1122334455667788L).setConstant("tag", 0xab)
            .load()) {
            BpfRingBuffer ring = object.ringBuffer("events");
            assertSame(ring, object.ringBuffer("events"));
            for (int round = 0; round < 2; round++) {
                object.program("xdp_test").testRun(packet(77 + round), runs);
                List<Event> events = new ArrayList<>();
                int total = 0;
                while (total < runs) {
                    int n = ring.poll(Duration.ofSeconds(2), b -> events.add(Event.read(b)));
                    assertTrue(n > 0, "ring buffer ran dry after " + total + " events");
                    total += n;
                }
                assertEquals(runs, total);
                assertEquals(runs, events.size());
                int len = 77 + round;
                events.forEach(e -> assertEquals(new Event(2, len, 0x1122334455667788L, 0xab, ByteOrder.LITTLE_ENDIAN,
                    true), e));
                assertEquals(0, ring.poll(Duration.ofMillis(10), b -> { }));
            }
        }
    }

    @Test
    void ringBufferOfAnotherTypeIsAnArgumentError() throws Exception {
        try (BpfObject object = spec("test_xdp").load()) {
            assertThrows(IllegalArgumentException.class, () -> object.ringBuffer("hash"));
        }
    }

    @Test
    void closedRingRefusesWork() throws Exception {
        try (BpfObject object = spec("test_xdp").load()) {
            BpfRingBuffer ring = object.ringBuffer("events");
            ring.close();
            ring.close();
            assertThrows(IllegalStateException.class, () -> ring.drain(b -> { }));
            BpfRingBuffer again = object.ringBuffer("events");
            object.program("xdp_test").testRun(packet(64), 3);
            assertEquals(3, again.drain(b -> { }));
            object.close();
            assertThrows(IllegalStateException.class, () -> again.drain(b -> { }));
        }
    }
}
