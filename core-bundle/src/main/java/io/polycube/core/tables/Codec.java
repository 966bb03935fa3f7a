package io.polycube.core.tables;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * YANG canonical strings ⇄ C field bytes. Integers in host byte order unless the field is a
 * {@code __be*} typedef; addresses (IPv4, IPv6, MAC, prefixes) always as the packet carries them.
 */
final class Codec {
    private static final boolean HOST_BIG = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private Codec() {
    }

    /** Checks at bind time that {@code leaf} can live in {@code field}; null if fine, else why not. */
    static String misfit(LeafSpec leaf, Field field) {
        LeafKind kind = leaf.kind();
        if (kind.address()) {
            if (field.size() != kind.bytes) {
                return kind.bytes + " bytes are needed, the field has " + field.size();
            }
            return null;
        }
        if (field.shape() != Field.Shape.INT || field.size() > 8) {
            return "an integer field is needed";
        }
        if (kind.integer() && field.size() < kind.bytes) {
            return kind.name().toLowerCase() + " needs " + kind.bytes + " bytes, the field has " + field.size();
        }
        if (kind == LeafKind.ENUMERATION) {
            for (Map.Entry<String, Integer> e : leaf.enumValues().entrySet()) {
                if (!fits(e.getValue(), field.size())) {
                    return "enum " + e.getKey() + " = " + e.getValue() + " does not fit in " + field.size() + " bytes";
                }
            }
        }
        if (kind == LeafKind.PORT && field.size() < 1) {
            return "a port index needs an integer field";
        }
        return null;
    }

    private static boolean fits(long value, int size) {
        return size >= 8 || (value >= -(1L << (8 * size - 1)) && value < (1L << (8 * size)));
    }

    /**
     * Writes {@code value} (a canonical YANG string) into {@code buf} at the field; a prefix also
     * returns its length (else -1).
     */
    static int encode(LeafSpec leaf, Field field, String value, byte[] buf, int base,
            Function<String, OptionalInt> portIndex) throws IllegalArgumentException {
        int at = base + field.offset();
        switch (leaf.kind()) {
            case BOOLEAN -> putInt(buf, at, field, Boolean.parseBoolean(value) ? 1 : 0);
            case ENUMERATION -> {
                Integer v = leaf.enumValues().get(value);
                if (v == null) {
                    throw new IllegalArgumentException("no enum " + value + " in " + leaf.name());
                }
                putInt(buf, at, field, v);
            }
            case PORT -> putInt(buf, at, field, portIndex.apply(value).orElseThrow(
                () -> new IllegalArgumentException("no port named " + value)));
            case UINT64 -> putInt(buf, at, field, Long.parseUnsignedLong(value));
            case UINT8, UINT16, UINT32, INT8, INT16, INT32, INT64 -> putInt(buf, at, field, Long.parseLong(value));
            case IPV4, IPV6 -> System.arraycopy(address(stripZone(value), leaf.kind().bytes), 0, buf, at, field.size());
            case MAC -> System.arraycopy(mac(value), 0, buf, at, 6);
            case IPV4_PREFIX, IPV6_PREFIX -> {
                int slash = value.indexOf('/');
                byte[] addr = address(value.substring(0, slash), leaf.kind().bytes);
                int length = Integer.parseInt(value.substring(slash + 1));
                for (int bit = length; bit < addr.length * 8; bit++) {
                    addr[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
                }
                System.arraycopy(addr, 0, buf, at, addr.length);
                return length;
            }
            default -> throw new IllegalStateException(leaf.kind().name());
        }
        return -1;
    }

    /** The canonical string of the field's bytes, if the value is one the leaf's type can hold. */
    static Optional<String> decode(LeafSpec leaf, Field field, byte[] buf, int base, int prefixLength,
            IntFunction<Optional<String>> portName) {
        int at = base + field.offset();
        LeafKind kind = leaf.kind();
        switch (kind) {
            case IPV4, IPV6 -> {
                return Optional.of(addressString(java.util.Arrays.copyOfRange(buf, at, at + kind.bytes)));
            }
            case IPV4_PREFIX, IPV6_PREFIX -> {
                return Optional.of(addressString(java.util.Arrays.copyOfRange(buf, at, at + kind.bytes)) + "/"
                    + prefixLength);
            }
            case MAC -> {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < 6; i++) {
                    s.append(i == 0 ? "" : ":").append(String.format("%02x", buf[at + i] & 0xff));
                }
                return Optional.of(s.toString());
            }
            default -> {
            }
        }
        long raw = getInt(buf, at, field);
        long signedRaw = field.size() < 8 ? raw << (64 - 8 * field.size()) >> (64 - 8 * field.size()) : raw;
        switch (kind) {
            case BOOLEAN:
                return Optional.of(raw != 0 ? "true" : "false");
            case ENUMERATION:
                return leaf.enumValues().entrySet().stream().filter(e -> e.getValue() == signedRaw || e.getValue() == raw)
                    .map(Map.Entry::getKey).findFirst();
            case PORT:
                return portName.apply((int) raw);
            case UINT64:
                return Optional.of(Long.toUnsignedString(raw));
            default:
                long v = kind.signed ? signedRaw : raw;
                long min = kind.signed ? -(1L << (8 * kind.bytes - 1)) : 0;
                long max = kind.signed ? (1L << (8 * kind.bytes - 1)) - 1 : kind.bytes == 8 ? Long.MAX_VALUE
                    : (1L << (8 * kind.bytes)) - 1;
                return v >= min && v <= max ? Optional.of(Long.toString(v)) : Optional.empty();
        }
    }

    static void putInt(byte[] buf, int at, Field field, long value) {
        boolean big = field.bigEndian() || HOST_BIG;
        int n = field.size();
        for (int i = 0; i < n; i++) {
            buf[at + (big ? n - 1 - i : i)] = (byte) (value >>> (8 * i));
        }
    }

    static long getInt(byte[] buf, int at, Field field) {
        boolean big = field.bigEndian() || HOST_BIG;
        int n = field.size();
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (buf[at + (big ? n - 1 - i : i)] & 0xffL) << (8 * i);
        }
        return v;
    }

    private static String stripZone(String value) {
        int zone = value.indexOf('%');
        return zone < 0 ? value : value.substring(0, zone);
    }

    private static byte[] address(String literal, int bytes) {
        if (bytes == 4) {
            String[] parts = literal.split("\\.");
            if (parts.length != 4) {
                throw new IllegalArgumentException("not an IPv4 address: " + literal);
            }
            byte[] addr = new byte[4];
            for (int i = 0; i < 4; i++) {
                addr[i] = (byte) Integer.parseInt(parts[i]);
            }
            return addr;
        }
        if (!literal.contains(":")) {
            throw new IllegalArgumentException("not an IPv6 address: " + literal);
        }
        try {
            // A literal with ':' is parsed, never resolved.
            byte[] addr = InetAddress.getByName(literal).getAddress();
            if (addr.length != 16) {
                throw new IllegalArgumentException("not an IPv6 address: " + literal);
            }
            return addr;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address: " + literal, e);
        }
    }

    private static String addressString(byte[] addr) {
        try {
            String s = InetAddress.getByAddress(addr).getHostAddress();
            return addr.length == 16 ? compress(s) : s;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 5952 form of Java's full IPv6 text (the longest run of zero groups becomes "::"). */
    private static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail;
    }

    private static byte[] mac(String value) {
        String[] parts = value.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + value);
        }
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
    }
}
