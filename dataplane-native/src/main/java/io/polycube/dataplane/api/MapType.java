package io.polycube.dataplane.api;

/** {@code enum bpf_map_type}, by kernel value; {@link #UNKNOWN} for values newer than this list. */
public enum MapType {
    UNSPEC, HASH, ARRAY, PROG_ARRAY, PERF_EVENT_ARRAY, PERCPU_HASH, PERCPU_ARRAY, STACK_TRACE,
    CGROUP_ARRAY, LRU_HASH, LRU_PERCPU_HASH, LPM_TRIE, ARRAY_OF_MAPS, HASH_OF_MAPS, DEVMAP, SOCKMAP,
    CPUMAP, XSKMAP, SOCKHASH, CGROUP_STORAGE, REUSEPORT_SOCKARRAY, PERCPU_CGROUP_STORAGE, QUEUE, STACK,
    SK_STORAGE, DEVMAP_HASH, STRUCT_OPS, RINGBUF, INODE_STORAGE, TASK_STORAGE, BLOOM_FILTER,
    USER_RINGBUF, CGRP_STORAGE, ARENA, UNKNOWN;

    private static final MapType[] VALUES = values();

    /** Maps a kernel value; the constants above are declared in kernel order. */
    public static MapType of(int value) {
        return value >= 0 && value < UNKNOWN.ordinal() ? VALUES[value] : UNKNOWN;
    }

    /** Per-CPU maps hold one value per possible CPU, each padded to 8 bytes. */
    public boolean isPerCpu() {
        return this == PERCPU_HASH || this == PERCPU_ARRAY || this == LRU_PERCPU_HASH
            || this == PERCPU_CGROUP_STORAGE;
    }
}
