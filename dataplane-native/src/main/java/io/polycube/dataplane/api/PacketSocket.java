package io.polycube.dataplane.api;

import io.polycube.dataplane.impl.Errors;
import io.polycube.dataplane.impl.LibC;
import io.polycube.dataplane.impl.LibNet;
import io.polycube.dataplane.impl.Lifecycle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A send-only {@code AF_PACKET} raw socket: {@link #send} transmits a whole Ethernet frame out of a
 * netdev (its egress, as if the host sent it). Protocol 0 at creation, so the kernel queues nothing
 * to it. One socket serves every device and thread: {@code sendto} on one fd is thread-safe.
 */
public final class PacketSocket implements AutoCloseable {
    private static final int SOCKADDR_LL_SIZE = 20;
    private static final int ETH_HLEN = 14;

    private final int fd;
    private final Lifecycle lifecycle = new Lifecycle("AF_PACKET socket");

    private PacketSocket(int fd) {
        this.fd = fd;
    }

    public static PacketSocket open() throws BpfException {
        return new PacketSocket(Errors.checkErrno(
            LibNet.INSTANCE.socket(LibNet.AF_PACKET, LibNet.SOCK_RAW | LibNet.SOCK_CLOEXEC, 0), "socket", "AF_PACKET"));
    }

    /** Transmits {@code frame} (Ethernet header included, no FCS) out of {@code ifindex}. */
    public void send(int ifindex, byte[] frame) throws BpfException {
        if (frame.length < ETH_HLEN) {
            throw new IllegalArgumentException("a frame has at least " + ETH_HLEN + " bytes, got " + frame.length);
        }
        // sll_protocol = the frame's ethertype, so that skb->protocol is right for whatever runs on egress
        byte[] addr = ByteBuffer.allocate(SOCKADDR_LL_SIZE).order(ByteOrder.nativeOrder())
            .putShort((short) LibNet.AF_PACKET).put(frame[12]).put(frame[13]).putInt(ifindex).array();
        lifecycle.enter();
        try {
            if (LibNet.INSTANCE.sendto(fd, frame, frame.length, 0, addr, SOCKADDR_LL_SIZE) < 0) {
                throw Errors.fromErrno("sendto", "ifindex " + ifindex);
            }
        } finally {
            lifecycle.exit();
        }
    }

    @Override
    public void close() {
        lifecycle.close(() -> LibC.INSTANCE.close(fd));
    }
}
