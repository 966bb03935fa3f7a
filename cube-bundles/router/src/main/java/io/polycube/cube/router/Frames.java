package io.polycube.cube.router;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** The frames the slow path makes: ARP requests and ICMP errors. */
final class Frames {
    static final int ETH_HLEN = 14;
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private Frames() {
    }

    /** Who has {@code target}? Tell {@code senderIp} ({@code senderMac}): a broadcast ARP request. */
    static byte[] arpRequest(byte[] senderMac, int senderIp, int target) {
        return ByteBuffer.allocate(42).put(BROADCAST).put(senderMac).putShort((short) 0x0806)
            .putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1)
            .put(senderMac).put(Ipv4.bytes(senderIp)).put(new byte[6]).put(Ipv4.bytes(target)).array();
    }

    /** An ARP reply's sender MAC (bytes 22..27 of the frame). */
    static byte[] arpSenderMac(byte[] frame) {
        return Arrays.copyOfRange(frame, 22, 28);
    }

    /**
     * The ICMP error (type, code) about {@code offending}, an Ethernet frame with an IPv4 packet, sent back
     * to its previous hop from {@code ourIp}/{@code ourMac}: the IP header and 8 bytes of the original
     * (RFC 792). Empty if the offending packet is itself an ICMP error or too short to answer.
     */
    static java.util.Optional<byte[]> icmpError(byte[] offending, int type, int code, byte[] ourMac, int ourIp) {
        if (offending.length < ETH_HLEN + 20) {
            return java.util.Optional.empty();
        }
        int ihl = (offending[ETH_HLEN] & 0x0f) * 4;
        int protocol = offending[ETH_HLEN + 9] & 0xff;
        int icmpType = offending.length > ETH_HLEN + ihl ? offending[ETH_HLEN + ihl] & 0xff : -1;
        // never an error about an error (RFC 1122 3.2.2): only echo requests and replies are answered
        if (ihl < 20 || protocol == 1 && icmpType != 8 && icmpType != 0) {
            return java.util.Optional.empty();
        }
        int quoted = Math.min(offending.length - ETH_HLEN, ihl + 8);
        int ipLength = 20 + 8 + quoted;
        ByteBuffer b = ByteBuffer.allocate(ETH_HLEN + ipLength);
        b.put(offending, 6, 6).put(ourMac).putShort((short) 0x0800);
        int ip = b.position();
        b.put((byte) 0x45).put((byte) 0xc0).putShort((short) ipLength).putShort((short) 0).putShort((short) 0)
            .put((byte) 64).put((byte) 1).putShort((short) 0).put(Ipv4.bytes(ourIp)).put(offending, ETH_HLEN + 12, 4);
        int icmp = b.position();
        b.put((byte) type).put((byte) code).putShort((short) 0).putInt(0).put(offending, ETH_HLEN, quoted);
        byte[] frame = b.array();
        putChecksum(frame, ip, 20, ip + 10);
        putChecksum(frame, icmp, 8 + quoted, icmp + 2);
        return java.util.Optional.of(frame);
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code from}. */
    static int checksum(byte[] bytes, int from, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = bytes[from + i] & 0xff;
            int lo = i + 1 < length ? bytes[from + i + 1] & 0xff : 0;
            sum += hi << 8 | lo;
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) ~sum & 0xffff;
    }

    private static void putChecksum(byte[] frame, int from, int length, int at) {
        int c = checksum(frame, from, length);
        frame[at] = (byte) (c >> 8);
        frame[at + 1] = (byte) c;
    }
}
