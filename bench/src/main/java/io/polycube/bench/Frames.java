package io.polycube.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The bench frame and the test-run contexts that make it arrive on a given netdev. */
final class Frames {
    static final int LENGTH = 64;
    private static final int SK_BUFF_SIZE = 192;
    private static final int SK_BUFF_IFINDEX = 40;

    private Frames() {
    }

    /** 64 bytes: broadcast destination, a local source MAC, EtherType 0x88B5 (local experimental). */
    static byte[] frame() {
        byte[] f = new byte[LENGTH];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xff;
        }
        f[6] = 0x02;
        f[11] = 0x01;
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5;
        return f;
    }

    /** The test-run context of a {@code length}-byte frame arriving on {@code ifindex}, for the hook's program. */
    static byte[] context(Hook hook, int ifindex, int length) {
        return hook == Hook.XDP ? io.polycube.dataplane.api.TestRun.xdpContext(ifindex, 0, length) : skbContext(ifindex);
    }

    /** A {@code struct __sk_buff} context with only {@code ifindex} set (offset 40, 192 bytes). */
    static byte[] skbContext(int ifindex) {
        return ByteBuffer.allocate(SK_BUFF_SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(SK_BUFF_IFINDEX, ifindex)
            .array();
    }
}
