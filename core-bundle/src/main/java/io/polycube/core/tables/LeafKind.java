package io.polycube.core.tables;

/** The YANG types a table leaf may have, each with one C layout (see core-bundle/README.md, Tables). */
enum LeafKind {
    UINT8(1, false), UINT16(2, false), UINT32(4, false), UINT64(8, false),
    INT8(1, true), INT16(2, true), INT32(4, true), INT64(8, true),
    BOOLEAN(0, false),
    ENUMERATION(0, false),
    /** A leafref to the cube's {@code ports/name}: the port's data-path index. */
    PORT(0, false),
    IPV4(4, false), IPV6(16, false), IPV4_PREFIX(4, false), IPV6_PREFIX(16, false), MAC(6, false);

    /** Bytes of the value (integers) or of the address; 0 where any integer field will do. */
    final int bytes;
    final boolean signed;

    LeafKind(int bytes, boolean signed) {
        this.bytes = bytes;
        this.signed = signed;
    }

    boolean integer() {
        return ordinal() <= INT64.ordinal();
    }

    boolean address() {
        return ordinal() >= IPV4.ordinal();
    }

    boolean prefix() {
        return this == IPV4_PREFIX || this == IPV6_PREFIX;
    }
}
