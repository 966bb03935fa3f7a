package io.polycube.dataplane.api;

import java.util.List;

/**
 * One type of a {@link Btf} blob, as the kernel's {@code struct btf_type} describes it. Types refer
 * to each other by id ({@link Btf#type(int)}); id 0 is {@code void}. Kinds this project does not use
 * (functions, variables, sections, tags) are {@link Other}.
 */
public sealed interface BtfType {

    /** The type's name, empty for anonymous types. */
    String name();

    /** {@code BTF_KIND_INT}: {@code bits} wide; {@code bool} is an INT with the BOOL encoding. */
    record Int(String name, int size, boolean signed, boolean bool, int bits) implements BtfType {
    }

    /** {@code BTF_KIND_ARRAY}: {@code count} elements of type {@code element}. */
    record Array(String name, int element, int count) implements BtfType {
    }

    /** A member of a struct or union: byte offset, or a bitfield when {@code bitSize} is not 0. */
    record Member(String name, int type, int bitOffset, int bitSize) {
    }

    /** {@code BTF_KIND_STRUCT} or {@code BTF_KIND_UNION}. */
    record Struct(String name, int size, boolean union, List<Member> members) implements BtfType {
        public Struct {
            members = List.copyOf(members);
        }
    }

    /** An enumerator. */
    record Enumerator(String name, long value) {
    }

    /** {@code BTF_KIND_ENUM} or {@code BTF_KIND_ENUM64}. */
    record Enum(String name, int size, boolean signed, List<Enumerator> values) implements BtfType {
        public Enum {
            values = List.copyOf(values);
        }
    }

    /** {@code BTF_KIND_TYPEDEF}: the name matters (e.g. {@code __be32} says network byte order). */
    record Typedef(String name, int type) implements BtfType {
    }

    /** {@code const}, {@code volatile}, {@code restrict}, type tags: no effect on layout. */
    record Modifier(String name, int kind, int type) implements BtfType {
    }

    /** {@code BTF_KIND_PTR}. */
    record Pointer(String name, int type) implements BtfType {
    }

    /** Any other kind ({@code kind} is the kernel's {@code BTF_KIND_*} value); {@code size} 0 if it has none. */
    record Other(String name, int kind, int size) implements BtfType {
    }
}
