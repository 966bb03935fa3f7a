package io.polycube.cube.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The frames of the slow path, checked byte by byte and by their checksums. */
class FramesTest {
    private static final byte[] OURS = {2, 0, 0, 0, 1, 1};

    @Test
    void arpRequestAsksForTheNextHop() {
        byte[] f = Frames.arpRequest(OURS, Ipv4.parse("10.0.1.1"), Ipv4.parse("10.0.1.9"));
        assertEquals(42, f.length);
        assertArrayEquals(new byte[] {-1, -1, -1, -1, -1, -1}, Arrays.copyOfRange(f, 0, 6));
        assertArrayEquals(OURS, Arrays.copyOfRange(f, 6, 12));
        assertEquals(1, f[21], "request");
        assertEquals(Ipv4.parse("10.0.1.1"), Ipv4.of(f, 28));
        assertEquals(Ipv4.parse("10.0.1.9"), Ipv4.of(f, 38));
    }

    @Test
    void timeExceededQuotesTheHeaderAndEightBytes() {
        byte[] in = RouterDataPathTest.udp("10.0.2.5", 1);
        byte[] out = Frames.icmpError(in, 11, 0, OURS, Ipv4.parse("10.0.1.1")).orElseThrow();
        assertArrayEquals(RouterDataPathTest.HOST, Arrays.copyOfRange(out, 0, 6), "back to the previous hop");
        assertArrayEquals(OURS, Arrays.copyOfRange(out, 6, 12));
        assertEquals(14 + 20 + 8 + 28, out.length);
        assertEquals(0, Frames.checksum(out, 14, 20));
        assertEquals(0, Frames.checksum(out, 34, out.length - 34));
        assertEquals(Ipv4.parse("10.0.1.1"), Ipv4.of(out, 26));
        assertEquals(Ipv4.parse("10.0.1.9"), Ipv4.of(out, 30));
        assertEquals(11, out[34]);
        assertArrayEquals(Arrays.copyOfRange(in, 14, 42), Arrays.copyOfRange(out, 42, 70));
    }

    @Test
    void noErrorAboutAnError() {
        byte[] in = RouterDataPathTest.udp("10.0.2.5", 1);
        in[23] = 1; // ICMP
        in[34] = 3; // destination unreachable
        assertTrue(Frames.icmpError(in, 11, 0, OURS, 1).isEmpty());
        in[34] = 8; // an echo request gets one
        assertTrue(Frames.icmpError(in, 11, 0, OURS, 1).isPresent());
    }
}
