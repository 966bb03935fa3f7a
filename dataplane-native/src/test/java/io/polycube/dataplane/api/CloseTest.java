package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.packet;
import static io.polycube.dataplane.api.TestObjects.spec;
import static io.polycube.dataplane.api.TestObjects.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CloseTest {
    @Test
    void closingTheObjectClosesItsFds() throws Exception {
        BpfObject object = spec("test_xdp").load();
        BpfHashMap hash = object.hashMap("hash");
        BpfProgram program = object.program("xdp_test");
        int mapFd = hash.fd();
        int progFd = program.fd();
        assertEquals("anon_inode:bpf-map", fdTarget(mapFd));
        assertEquals("anon_inode:bpf-prog", fdTarget(progFd));

        object.close();
        object.close();

        assertNotEquals("anon_inode:bpf-map", fdTarget(mapFd));
        assertNotEquals("anon_inode:bpf-prog", fdTarget(progFd));
        assertThrows(IllegalStateException.class, () -> hash.lookup(u32(1)));
        assertThrows(IllegalStateException.class, hash::fd);
        assertThrows(IllegalStateException.class, program::fd);
        assertThrows(IllegalStateException.class, () -> program.testRun(packet(64), 1));
        assertTrue(hash.name().equals("hash"), "metadata stays readable");
    }

    @Test
    void closeWhileOtherThreadsUseTheMapIsSafe() throws Exception {
        BpfObject object = spec("test_xdp").load();
        BpfHashMap hash = object.hashMap("hash");
        AtomicInteger unexpected = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread worker = new Thread(() -> {
                try {
                    for (int i = 0; ; i++) {
                        hash.update(u32(i % 16), new byte[8]);
                        hash.lookup(u32(i % 16));
                    }
                } catch (IllegalStateException expected) {
                    done.incrementAndGet();
                } catch (Exception e) {
                    unexpected.incrementAndGet();
                }
            });
            workers.add(worker);
            worker.start();
        }
        Thread.sleep(50);
        object.close();
        for (Thread worker : workers) {
            worker.join(5000);
        }
        assertEquals(0, unexpected.get());
        assertEquals(4, done.get());
    }

    private static String fdTarget(int fd) throws Exception {
        Path link = Path.of("/proc/self/fd/" + fd);
        return Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            ? Files.readSymbolicLink(link).toString() : "closed";
    }
}
