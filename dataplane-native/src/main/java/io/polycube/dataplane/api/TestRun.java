package io.polycube.dataplane.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A {@code BPF_PROG_TEST_RUN} request. Build with {@link #of(byte[])}, then the {@code with}
 * methods, each returning a new request.
 *
 * @param packet the input frame (copied)
 * @param repeat how many runs (the kernel treats 0 as 1)
 * @param ctxIn the program context to start from ({@code struct xdp_md} for XDP, {@code struct
 *     __sk_buff} for TC), or empty for the kernel's default
 * @param flags {@code BPF_F_TEST_*} flags, e.g. {@link #XDP_LIVE_FRAMES}
 * @param batchSize frames per batch in live-frames mode (0: the kernel's default, 64); must be 0
 *     otherwise
 */
public record TestRun(byte[] packet, int repeat, Optional<byte[]> ctxIn, int flags, int batchSize) {
    /**
     * {@code BPF_F_TEST_XDP_LIVE_FRAMES}: XDP only; the verdicts are executed for real (XDP_TX and
     * XDP_REDIRECT transmit, the frames are not copied back). A traffic generator, not a probe.
     */
    public static final int XDP_LIVE_FRAMES = 2;
    private static final int XDP_MD_SIZE = 24;

    public TestRun {
        packet = requireNonNull(packet).clone();
        ctxIn = requireNonNull(ctxIn).map(byte[]::clone);
        if (packet.length == 0 || repeat < 0 || batchSize < 0) {
            throw new IllegalArgumentException("test run needs a packet, repeat >= 0 and batchSize >= 0");
        }
        if (batchSize != 0 && (flags & XDP_LIVE_FRAMES) == 0) {
            throw new IllegalArgumentException("batchSize applies to live-frames runs only");
        }
    }

    /** One run of {@code packet}, no context, no flags. */
    public static TestRun of(byte[] packet) {
        return new TestRun(packet, 1, Optional.empty(), 0, 0);
    }

    public TestRun withRepeat(int n) {
        return new TestRun(packet, n, ctxIn, flags, batchSize);
    }

    public TestRun withCtxIn(byte[] ctx) {
        return new TestRun(packet, repeat, Optional.of(ctx), flags, batchSize);
    }

    public TestRun withFlags(int f) {
        return new TestRun(packet, repeat, ctxIn, f, batchSize);
    }

    /** Live frames ({@link #XDP_LIVE_FRAMES}) with {@code batch} frames per batch (0: default). */
    public TestRun liveFrames(int batch) {
        return new TestRun(packet, repeat, ctxIn, flags | XDP_LIVE_FRAMES, batch);
    }

    /**
     * A {@code struct xdp_md} context (24 bytes) for an XDP run: the frame arrives on
     * {@code ingressIfindex}, queue {@code rxQueue}. The kernel wants {@code data} 0, {@code data_end}
     * the packet length, no metadata and no egress ifindex.
     */
    public static byte[] xdpContext(int ingressIfindex, int rxQueue, int packetLength) {
        return java.nio.ByteBuffer.allocate(XDP_MD_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .putInt(0, 0).putInt(4, packetLength).putInt(8, 0).putInt(12, ingressIfindex).putInt(16, rxQueue)
            .putInt(20, 0).array();
    }

    public boolean isLiveFrames() {
        return (flags & XDP_LIVE_FRAMES) != 0;
    }

    @Override
    public byte[] packet() {
        return packet.clone();
    }

    @Override
    public Optional<byte[]> ctxIn() {
        return ctxIn.map(byte[]::clone);
    }
}
