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
                object.program("xdp_test").testRun(packet(78 + 2 * round), runs);
                List<Event> events = new ArrayList<>();
                int total = 0;
                while (total < runs) {
                    int n = ring.poll(Duration.ofSeconds(2), b -> events.add(Event.read(b)));
                    assertTrue(n > 0, "ring buffer ran dry after " + total + " events");
                    total += n;
                }
                assertEquals(runs, total);
                assertEquals(runs, events.size());
                int len = 78 + 2 * round;
                events.forEach(e -> assertEquals(new Event(2, len, 0x1122334455667788L, 0xab, ByteOrder.LITTLE_ENDIAN,
                    true), e));
                assertEquals(0, ring.poll(Duration.ofMillis(10), b -> { }));
            }
        }
    }

    @Test
    void discardedRecordsAreSkipped() throws Exception {
        try (BpfObject object = spec("test_xdp").load()) {
            BpfRingBuffer ring = object.ringBuffer("events");
            BpfProgram program = object.program("xdp_test");
            program.testRun(packet(65), 200); // odd length: every record discarded
            program.testRun(packet(64), 4);
            program.testRun(packet(67), 200);
            List<Integer> lengths = new ArrayList<>();
            assertEquals(4, ring.drain(b -> lengths.add(b.getInt(4))));
            assertEquals(List.of(64, 64, 64, 64), lengths);
            assertEquals(0, ring.drain(b -> { }));
        }
    }

    @Test
    void pollWaitsForTheProducer() throws Exception {
        try (BpfObject object = spec("test_xdp").load()) {
            BpfRingBuffer ring = object.ringBuffer("events");
            Thread producer = new Thread(() -> {
                try {
                    Thread.sleep(200);
                    object.program("xdp_test").testRun(packet(64), 1);
                } catch (InterruptedException | BpfException e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            producer.start();
            int n = ring.poll(Duration.ofSeconds(10), b -> { });
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            producer.join();
            assertEquals(1, n);
            assertTrue(waitedMs >= 150 && waitedMs < 5000, "waited " + waitedMs + " ms");
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
