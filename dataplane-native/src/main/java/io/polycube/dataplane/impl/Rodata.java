package io.polycube.dataplane.impl;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import io.polycube.dataplane.api.BpfException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a {@code const volatile} global in an opened object's {@code .rodata} image through BTF, so
 * constants are set by name before load instead of being pasted into C source.
 */
public final class Rodata {
    private static final int BTF_KIND_DATASEC = 15;
    private static final int BTF_TYPE_SIZE = 12;
    private static final int BTF_VAR_SECINFO_SIZE = 12;

    /** A variable's bytes inside the writable pre-load image of the {@code .rodata} map. */
    public record Variable(String name, Pointer image, int offset, int size) {
    }

    private Rodata() {
    }

    public static Variable find(Pointer obj, String objectName, String name) throws BpfException {
        LibBpf lib = LibBpf.INSTANCE;
        Pointer btf = lib.bpf_object__btf(obj);
        if (btf == null) {
            throw new BpfException("constant " + name + " in " + objectName + ": object has no BTF (compile with -g)");
        }
        int id = lib.btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
        if (id < 0) {
            throw new BpfException("constant " + name + " in " + objectName + ": object has no .rodata section");
        }
        Pointer sec = lib.btf__type_by_id(btf, id);
        int vlen = sec.getInt(4) & 0xffff;
        List<String> known = new ArrayList<>();
        for (int i = 0; i < vlen; i++) {
            long at = BTF_TYPE_SIZE + (long) i * BTF_VAR_SECINFO_SIZE;
            Pointer var = lib.btf__type_by_id(btf, sec.getInt(at));
            String varName = lib.btf__name_by_offset(btf, var.getInt(0));
            if (name.equals(varName)) {
                return new Variable(name, image(obj, objectName, name), sec.getInt(at + 4), sec.getInt(at + 8));
            }
            known.add(varName);
        }
        throw new BpfException("constant " + name + " in " + objectName + ": no such const volatile global; known: "
            + known);
    }

    private static Pointer image(Pointer obj, String objectName, String name) throws BpfException {
        LibBpf lib = LibBpf.INSTANCE;
        for (Pointer map = lib.bpf_object__next_map(obj, null); map != null; map = lib.bpf_object__next_map(obj, map)) {
            // libbpf names internal maps "<obj prefix>.rodata"
            if (lib.bpf_map__is_internal(map) != 0 && lib.bpf_map__name(map).endsWith(".rodata")) {
                Pointer image = lib.bpf_map__initial_value(map, new LongByReference());
                if (image != null) {
                    return image;
                }
            }
        }
        throw new BpfException("constant " + name + " in " + objectName + ": no .rodata map");
    }
}
