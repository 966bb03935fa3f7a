package io.polycube.core.impl;

import io.polycube.core.spi.PacketIn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.function.IntFunction;

/** Decodes a {@code struct pcn_pkt_in} record of a cube's {@code pcn_slowpath} ring (see structs.h). */
final class PacketIns {
    private PacketIns() {
    }

    /**
     * The record as a {@link PacketIn}, or empty if its port is gone (a port removed while its packets
     * were queued) or the record is malformed.
     */
    static Optional<PacketIn> decode(ByteBuffer record, IntFunction<Optional<String>> portName) {
        ByteBuffer b = record.duplicate().order(ByteOrder.nativeOrder());
        if (b.remaining() < DataplaneLayout.PKT_IN_HEADER) {
            return Optional.empty();
        }
        int inPort = Short.toUnsignedInt(b.getShort(0));
        int reason = Short.toUnsignedInt(b.getShort(2));
        int wireLength = b.getInt(4);
        int captured = b.getInt(8);
        if (captured < 0 || captured > DataplaneLayout.PKT_IN_MAX
            || DataplaneLayout.PKT_IN_HEADER + captured > b.remaining() || wireLength < captured) {
            return Optional.empty();
        }
        int[] md = {b.getInt(12), b.getInt(16), b.getInt(20)};
        byte[] packet = new byte[captured];
        b.get(DataplaneLayout.PKT_IN_HEADER, packet);
        return portName.apply(inPort).map(name -> PacketIn.of(name, reason, md, packet, wireLength));
    }
}
