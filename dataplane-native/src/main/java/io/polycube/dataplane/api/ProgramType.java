package io.polycube.dataplane.api;

/** {@code enum bpf_prog_type}, by kernel value; {@link #UNKNOWN} for values newer than this list. */
public enum ProgramType {
    UNSPEC, SOCKET_FILTER, KPROBE, SCHED_CLS, SCHED_ACT, TRACEPOINT, XDP, PERF_EVENT, CGROUP_SKB,
    CGROUP_SOCK, LWT_IN, LWT_OUT, LWT_XMIT, SOCK_OPS, SK_SKB, CGROUP_DEVICE, SK_MSG, RAW_TRACEPOINT,
    CGROUP_SOCK_ADDR, LWT_SEG6LOCAL, LIRC_MODE2, SK_REUSEPORT, FLOW_DISSECTOR, CGROUP_SYSCTL,
    RAW_TRACEPOINT_WRITABLE, CGROUP_SOCKOPT, TRACING, STRUCT_OPS, EXT, LSM, SK_LOOKUP, SYSCALL,
    NETFILTER, UNKNOWN;

    private static final ProgramType[] VALUES = values();

    /** Maps a kernel value; the constants above are declared in kernel order. */
    public static ProgramType of(int value) {
        return value >= 0 && value < UNKNOWN.ordinal() ? VALUES[value] : UNKNOWN;
    }
}
