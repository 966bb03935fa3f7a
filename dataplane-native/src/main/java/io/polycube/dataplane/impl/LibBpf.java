package io.polycube.dataplane.impl;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;

/**
 * JNA binding of the part of libbpf 1.x we use. Loaded by soname so the distribution's library is
 * used wherever it lives. libbpf 1.x returns {@code -errno} from int functions and sets
 * {@code errno} when a pointer function returns NULL.
 */
public interface LibBpf extends Library {
    LibBpf INSTANCE = Native.load("libbpf.so.1", LibBpf.class);

    /** {@code libbpf_print_fn_t}; {@code va_list} decays to a pointer on x86-64 and arm64. */
    interface PrintFn extends Callback {
        int invoke(int level, String format, Pointer vaList);
    }

    Pointer libbpf_set_print(PrintFn fn);

    int libbpf_strerror(int err, byte[] buf, long size);

    int libbpf_num_possible_cpus();

    // bpf_object
    Pointer bpf_object__open_file(String path, Pointer opts);

    Pointer bpf_object__open_mem(Pointer buf, long size, Pointer opts);

    int bpf_object__load(Pointer obj);

    void bpf_object__close(Pointer obj);

    String bpf_object__name(Pointer obj);

    Pointer bpf_object__btf(Pointer obj);

    Pointer bpf_object__next_program(Pointer obj, Pointer prev);

    Pointer bpf_object__next_map(Pointer obj, Pointer prev);

    // bpf_program
    String bpf_program__name(Pointer prog);

    int bpf_program__fd(Pointer prog);

    int bpf_program__type(Pointer prog);

    int bpf_program__set_log_buf(Pointer prog, Pointer buf, long size);

    // bpf_map
    String bpf_map__name(Pointer map);

    int bpf_map__fd(Pointer map);

    int bpf_map__type(Pointer map);

    int bpf_map__key_size(Pointer map);

    int bpf_map__value_size(Pointer map);

    int bpf_map__max_entries(Pointer map);

    int bpf_map__set_max_entries(Pointer map, int maxEntries);

    /** C {@code bool}: only the low byte of the return register is defined, so read a byte. */
    byte bpf_map__is_internal(Pointer map);

    Pointer bpf_map__initial_value(Pointer map, LongByReference size);

    int bpf_map__set_pin_path(Pointer map, String path);

    String bpf_map__pin_path(Pointer map);

    /** Makes the (unloaded) map use an existing kernel map; libbpf dups {@code fd}. */
    int bpf_map__reuse_fd(Pointer map, int fd);

    int bpf_map__btf_key_type_id(Pointer map);

    int bpf_map__btf_value_type_id(Pointer map);

    // btf
    int btf__find_by_name_kind(Pointer btf, String name, int kind);

    Pointer btf__type_by_id(Pointer btf, int id);

    String btf__name_by_offset(Pointer btf, int offset);

    /** The BTF blob in its raw form (libbpf owns the memory, valid while the object lives). */
    Pointer btf__raw_data(Pointer btf, com.sun.jna.ptr.IntByReference size);

    // fd-based syscall wrappers
    int bpf_map_lookup_elem(int fd, byte[] key, byte[] value);

    int bpf_map_update_elem(int fd, byte[] key, byte[] value, long flags);

    int bpf_map_delete_elem(int fd, byte[] key);

    int bpf_map_get_next_key(int fd, byte[] key, byte[] nextKey);

    int bpf_obj_pin(int fd, String path);

    /** A new fd of the object pinned at {@code path}; -1 with errno set. */
    int bpf_obj_get(String path);

    int bpf_prog_get_fd_by_id(int id);

    int bpf_xdp_query_id(int ifindex, int flags, com.sun.jna.ptr.IntByReference progId);

    int bpf_obj_get_info_by_fd(int fd, Memory info, Memory infoLen);

    int bpf_prog_test_run_opts(int progFd, Memory opts);

    // attach
    int bpf_xdp_attach(int ifindex, int progFd, int flags, Memory opts);

    int bpf_xdp_detach(int ifindex, int flags, Memory opts);

    int bpf_tc_hook_create(Memory hook);

    int bpf_tc_attach(Memory hook, Memory opts);

    int bpf_tc_detach(Memory hook, Memory opts);
}
