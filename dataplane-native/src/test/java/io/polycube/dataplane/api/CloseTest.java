package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.packet;
import static io.polycube.dataplane.api.TestObjects.spec;
import static io.polycube.dataplane.api.TestObjects.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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

        assertFalse(fdTarget(mapFd).equals("anon_inode:bpf-map") && fdTarget(progFd).equals("anon_inode:bpf-prog"));
        assertThrows(IllegalStateException.class, () -> hash.lookup(u32(1)));
        assertThrows(IllegalStateException.class, hash::fd);
        assertThrows(IllegalStateException.class, program::fd);
        assertThrows(IllegalStateException.class, () -> program.testRun(packet(64), 1));
        assertTrue(hash.name().equals("hash"), "metadata stays readable");
    }

    private static String fdTarget(int fd) throws Exception {
        Path link = Path.of("/proc/self/fd/" + fd);
        return Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            ? Files.readSymbolicLink(link).toString() : "closed";
    }
}
