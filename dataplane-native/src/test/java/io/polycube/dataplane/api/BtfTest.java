package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The BTF of a loaded object, parsed from libbpf's raw blob: the maps' key and value types. */
class BtfTest {

    @Test
    void mapKeyAndValueTypesResolveToTheirCTypes() throws Exception {
        try (BpfObject object = spec("test_xdp").load()) {
            Btf btf = object.btf().orElseThrow();
            BpfMap hash = object.map("hash");
            assertTrue(hash.btfKeyTypeId() > 0 && hash.btfValueTypeId() > 0);
            assertEquals("__u32", btf.describe(hash.btfKeyTypeId()));
            assertEquals(List.of("__u32"), btf.typedefNames(hash.btfKeyTypeId()));
            BtfType.Int key = (BtfType.Int) btf.resolve(hash.btfKeyTypeId());
            assertEquals(4, key.size());
            assertEquals(false, key.signed());
            assertEquals(8, btf.sizeOf(hash.btfValueTypeId()));
            // The ring buffer declares no key/value types.
            assertEquals(0, object.map("events").btfKeyTypeId());
        }
    }

    @Test
    void structMembersCarryTheirBitOffsets() throws Exception {
        try (BpfObject object = spec("test_xdp").load()) {
            Btf btf = object.btf().orElseThrow();
            // A BTF-defined map is a variable of an anonymous struct: __uint(type, ...) etc. are its members.
            BtfType.Struct hashDef = null;
            for (int id = 1; id < btf.typeCount(); id++) {
                if (btf.type(id) instanceof BtfType.Struct s && s.name().isEmpty() && s.members().size() == 4
                        && s.members().get(2).name().equals("key")
                        && btf.describe(s.members().get(3).type()).equals("__u64 *")) {
                    hashDef = s;
                }
            }
            assertEquals(List.of("type", "max_entries", "key", "value"),
                hashDef.members().stream().map(BtfType.Member::name).toList());
            assertEquals(List.of(0, 64, 128, 192), hashDef.members().stream().map(BtfType.Member::bitOffset).toList());
            assertEquals(32, hashDef.size());
            assertEquals("__u32 *", btf.describe(hashDef.members().get(2).type()));
            // __uint(type, N) is "int (*)[N]": a pointer to an array of N ints.
            BtfType.Pointer type = (BtfType.Pointer) btf.resolve(hashDef.members().get(0).type());
            assertEquals(MapType.HASH.ordinal(), ((BtfType.Array) btf.resolve(type.type())).count());
        }
    }

    @Test
    void aBlobThatIsNotBtfIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Btf.parse(new byte[24]));
        assertThrows(IllegalArgumentException.class, () -> Btf.parse(new byte[3]));
    }
}
