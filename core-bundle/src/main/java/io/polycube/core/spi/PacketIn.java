package io.polycube.core.spi;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A packet the cube's data path sent to its slow path with {@code pcn_pkt_controller[_md]}: the input
 * port, the cube-defined reason and metadata words, and a copy of (at most the first 1514 bytes of)
 * the frame. Immutable.
 */
public final class PacketIn {
    private final String port;
    private final int reason;
    private final int[] metadata;
    private final byte[] packet;
    private final int wireLength;

    private PacketIn(String port, int reason, int[] metadata, byte[] packet, int wireLength) {
        this.port = port;
        this.reason = reason;
        this.metadata = metadata;
        this.packet = packet;
        this.wireLength = wireLength;
    }

    /** Copies {@code packet} and {@code metadata} (three words). */
    public static PacketIn of(String port, int reason, int[] metadata, byte[] packet, int wireLength) {
        if (requireNonNull(metadata).length != 3) {
            throw new IllegalArgumentException("three metadata words, got " + metadata.length);
        }
        if (wireLength < requireNonNull(packet).length) {
            throw new IllegalArgumentException("wire length " + wireLength + " < captured " + packet.length);
        }
        return new PacketIn(requireNonNull(port), reason, metadata.clone(), packet.clone(), wireLength);
    }

    /** Name of the port the packet arrived on. */
    public String port() {
        return port;
    }

    /** The reason the data path gave ({@code __u16}). */
    public int reason() {
        return reason;
    }

    /** Metadata word 0, 1 or 2 of {@code pcn_pkt_controller_md} (0 for {@code pcn_pkt_controller}). */
    public int metadata(int word) {
        return metadata[word];
    }

    /** A copy of the captured bytes. */
    public byte[] packet() {
        return packet.clone();
    }

    /** A read-only view of the captured bytes (no copy). */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(packet).asReadOnlyBuffer();
    }

    /** Bytes captured (at most 1514). */
    public int capturedLength() {
        return packet.length;
    }

    /** Bytes of the frame on the wire; more than {@link #capturedLength()} if it was truncated. */
    public int wireLength() {
        return wireLength;
    }

    public boolean truncated() {
        return wireLength > packet.length;
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof PacketIn other && port.equals(other.port) && reason == other.reason
            && Arrays.equals(metadata, other.metadata) && Arrays.equals(packet, other.packet)
            && wireLength == other.wireLength;
    }

    @Override
    public int hashCode() {
        return port.hashCode() * 31 + Arrays.hashCode(packet);
    }

    @Override
    public String toString() {
        return "PacketIn[port " + port + " reason " + reason + " md " + Arrays.toString(metadata) + " "
            + packet.length + "/" + wireLength + " bytes]";
    }
}
