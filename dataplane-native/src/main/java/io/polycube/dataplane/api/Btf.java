package io.polycube.dataplane.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The BPF Type Format of an object, parsed from its raw blob ({@code btf__raw_data}): the C types of
 * its maps' keys and values, so that tools can lay out map entries by field name. Immutable.
 * The blob is read in Java rather than through many libbpf calls: one copy, no native pointers kept.
 */
public final class Btf {
    private static final int MAGIC = 0xeB9F;
    private static final int KIND_INT = 1;
    private static final int KIND_PTR = 2;
    private static final int KIND_ARRAY = 3;
    private static final int KIND_STRUCT = 4;
    private static final int KIND_UNION = 5;
    private static final int KIND_ENUM = 6;
    private static final int KIND_FWD = 7;
    private static final int KIND_TYPEDEF = 8;
    private static final int KIND_VOLATILE = 9;
    private static final int KIND_CONST = 10;
    private static final int KIND_RESTRICT = 11;
    private static final int KIND_FUNC = 12;
    private static final int KIND_FUNC_PROTO = 13;
    private static final int KIND_VAR = 14;
    private static final int KIND_DATASEC = 15;
    private static final int KIND_FLOAT = 16;
    private static final int KIND_DECL_TAG = 17;
    private static final int KIND_TYPE_TAG = 18;
    private static final int KIND_ENUM64 = 19;

    /** Index = type id; [0] is void. */
    private final List<BtfType> types;

    private Btf(List<BtfType> types) {
        this.types = List.copyOf(types);
    }

    /** Parses a raw BTF blob (header, types, strings) in the machine's byte order or the other one. */
    public static Btf parse(byte[] raw) {
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if (raw.length < 24) {
            throw new IllegalArgumentException("BTF blob of " + raw.length + " bytes is too short");
        }
        if ((buf.getShort(0) & 0xffff) != MAGIC) {
            buf.order(ByteOrder.BIG_ENDIAN);
            if ((buf.getShort(0) & 0xffff) != MAGIC) {
                throw new IllegalArgumentException("not a BTF blob (bad magic)");
            }
        }
        int hdrLen = buf.getInt(4);
        int typeStart = hdrLen + buf.getInt(8);
        int typeEnd = typeStart + buf.getInt(12);
        int strStart = hdrLen + buf.getInt(16);
        int strLen = buf.getInt(20);
        if (typeEnd > raw.length || strStart + strLen > raw.length) {
            throw new IllegalArgumentException("BTF blob is truncated");
        }
        Strings strings = new Strings(raw, strStart, strLen);
        List<BtfType> types = new ArrayList<>();
        types.add(new BtfType.Other("void", 0, 0));
        int at = typeStart;
        while (at < typeEnd) {
            String name = strings.at(buf.getInt(at));
            int info = buf.getInt(at + 4);
            int sizeOrType = buf.getInt(at + 8);
            int vlen = info & 0xffff;
            int kind = (info >>> 24) & 0x1f;
            boolean kindFlag = (info >>> 31) != 0;
            at += 12;
            switch (kind) {
                case KIND_INT -> {
                    int enc = buf.getInt(at);
                    int encoding = (enc >>> 24) & 0xf;
                    types.add(new BtfType.Int(name, sizeOrType, (encoding & 1) != 0, (encoding & 4) != 0, enc & 0xff));
                    at += 4;
                }
                case KIND_ARRAY -> {
                    types.add(new BtfType.Array(name, buf.getInt(at), buf.getInt(at + 8)));
                    at += 12;
                }
                case KIND_STRUCT, KIND_UNION -> {
                    List<BtfType.Member> members = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++, at += 12) {
                        int offset = buf.getInt(at + 8);
                        members.add(kindFlag
                            ? new BtfType.Member(strings.at(buf.getInt(at)), buf.getInt(at + 4), offset & 0xffffff,
                                offset >>> 24)
                            : new BtfType.Member(strings.at(buf.getInt(at)), buf.getInt(at + 4), offset, 0));
                    }
                    types.add(new BtfType.Struct(name, sizeOrType, kind == KIND_UNION, members));
                }
                case KIND_ENUM, KIND_ENUM64 -> {
                    List<BtfType.Enumerator> values = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        String valueName = strings.at(buf.getInt(at));
                        if (kind == KIND_ENUM) {
                            int v = buf.getInt(at + 4);
                            values.add(new BtfType.Enumerator(valueName, kindFlag ? v : Integer.toUnsignedLong(v)));
                            at += 8;
                        } else {
                            long lo = Integer.toUnsignedLong(buf.getInt(at + 4));
                            values.add(new BtfType.Enumerator(valueName, ((long) buf.getInt(at + 8) << 32) | lo));
                            at += 12;
                        }
                    }
                    types.add(new BtfType.Enum(name, sizeOrType, kindFlag, values));
                }
                case KIND_TYPEDEF -> types.add(new BtfType.Typedef(name, sizeOrType));
                case KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_TYPE_TAG ->
                    types.add(new BtfType.Modifier(name, kind, sizeOrType));
                case KIND_PTR -> types.add(new BtfType.Pointer(name, sizeOrType));
                case KIND_FUNC_PROTO -> {
                    types.add(new BtfType.Other(name, kind, 0));
                    at += 8 * vlen;
                }
                case KIND_VAR, KIND_DECL_TAG -> {
                    types.add(new BtfType.Other(name, kind, 0));
                    at += 4;
                }
                case KIND_DATASEC -> {
                    types.add(new BtfType.Other(name, kind, sizeOrType));
                    at += 12 * vlen;
                }
                case KIND_FWD, KIND_FUNC -> types.add(new BtfType.Other(name, kind, 0));
                case KIND_FLOAT -> types.add(new BtfType.Other(name, kind, sizeOrType));
                default -> throw new IllegalArgumentException("BTF kind " + kind + " (type " + types.size()
                    + ") is unknown");
            }
        }
        return new Btf(types);
    }

    /** Number of types, {@code void} included (valid ids are 0 .. count-1). */
    public int typeCount() {
        return types.size();
    }

    public BtfType type(int id) {
        if (id < 0 || id >= types.size()) {
            throw new IllegalArgumentException("no BTF type " + id + " (" + types.size() + " types)");
        }
        return types.get(id);
    }

    /** Skips typedefs and modifiers down to the type that gives the layout. */
    public BtfType resolve(int id) {
        BtfType type = type(id);
        for (int depth = 0; depth < 32; depth++) {
            if (type instanceof BtfType.Typedef t) {
                type = type(t.type());
            } else if (type instanceof BtfType.Modifier m) {
                type = type(m.type());
            } else {
                return type;
            }
        }
        throw new IllegalArgumentException("BTF type " + id + ": typedef chain too long");
    }

    /** The typedef names met while resolving {@code id}, outermost first (e.g. {@code [__be32, __u32]}). */
    public List<String> typedefNames(int id) {
        List<String> names = new ArrayList<>();
        BtfType type = type(id);
        for (int depth = 0; depth < 32; depth++) {
            if (type instanceof BtfType.Typedef t) {
                names.add(t.name());
                type = type(t.type());
            } else if (type instanceof BtfType.Modifier m) {
                type = type(m.type());
            } else {
                break;
            }
        }
        return names;
    }

    /** Size in bytes of a type (void, functions: 0). */
    public int sizeOf(int id) {
        BtfType type = resolve(id);
        if (type instanceof BtfType.Int i) {
            return i.size();
        } else if (type instanceof BtfType.Struct s) {
            return s.size();
        } else if (type instanceof BtfType.Enum e) {
            return e.size();
        } else if (type instanceof BtfType.Array a) {
            return Math.multiplyExact(sizeOf(a.element()), a.count());
        } else if (type instanceof BtfType.Pointer) {
            return 8;
        } else if (type instanceof BtfType.Other o) {
            return o.size();
        }
        return 0;
    }

    /** A C-like name for messages, e.g. {@code struct action}, {@code __u8[6]}, {@code __be32}. */
    public String describe(int id) {
        BtfType type = type(id);
        if (type instanceof BtfType.Typedef t) {
            return t.name();
        } else if (type instanceof BtfType.Modifier m) {
            return describe(m.type());
        } else if (type instanceof BtfType.Struct s) {
            return (s.union() ? "union " : "struct ") + (s.name().isEmpty() ? "<anon>" : s.name());
        } else if (type instanceof BtfType.Enum e) {
            return "enum " + (e.name().isEmpty() ? "<anon>" : e.name());
        } else if (type instanceof BtfType.Array a) {
            return describe(a.element()) + "[" + a.count() + "]";
        } else if (type instanceof BtfType.Pointer p) {
            return describe(p.type()) + " *";
        }
        return type.name().isEmpty() ? "void" : type.name();
    }

    private record Strings(byte[] raw, int start, int length) {
        String at(int offset) {
            if (offset < 0 || offset >= length) {
                return "";
            }
            int end = start + offset;
            while (end < start + length && raw[end] != 0) {
                end++;
            }
            return new String(raw, start + offset, end - start - offset, StandardCharsets.UTF_8);
        }
    }
}
