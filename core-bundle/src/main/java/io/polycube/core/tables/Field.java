package io.polycube.core.tables;

import io.polycube.dataplane.api.Btf;
import io.polycube.dataplane.api.BtfType;
import java.util.List;

/**
 * A C field of a map's key or value, resolved from BTF.
 *
 * @param name member name ({@code ""} for a scalar key or value)
 * @param offset byte offset in the key or value
 * @param size bytes
 * @param shape INT (integers, enums, bool) or BYTES (arrays, e.g. {@code __u8 mac[6]})
 * @param bigEndian the field's type is a {@code __be16/32/64} typedef: integers go in network order
 * @param cType the C type, for messages
 */
record Field(String name, int offset, int size, Shape shape, boolean bigEndian, String cType) {
    enum Shape { INT, BYTES }

    /** A field of type {@code typeId} at {@code offset}, or a TableException naming {@code where}. */
    static Field of(Btf btf, String name, int typeId, int offset, String where) throws TableException {
        BtfType type = btf.resolve(typeId);
        String cType = btf.describe(typeId);
        List<String> typedefs = btf.typedefNames(typeId);
        boolean be = typedefs.stream().anyMatch(t -> t.startsWith("__be"));
        if (type instanceof BtfType.Int i) {
            return new Field(name, offset, i.size(), Shape.INT, be, cType);
        } else if (type instanceof BtfType.Enum e) {
            return new Field(name, offset, e.size(), Shape.INT, be, cType);
        } else if (type instanceof BtfType.Array a && btf.resolve(a.element()) instanceof BtfType.Int) {
            return new Field(name, offset, btf.sizeOf(typeId), Shape.BYTES, be, cType);
        }
        throw new TableException(where + ": field " + (name.isEmpty() ? "" : name + " ") + "of type " + cType
            + " is neither an integer, an enum nor an integer array");
    }

    /** The last byte + 1. */
    int end() {
        return offset + size;
    }
}
