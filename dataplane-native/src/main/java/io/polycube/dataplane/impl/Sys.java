package io.polycube.dataplane.impl;

/** Machine facts read once. */
public final class Sys {
    private static final int POSSIBLE_CPUS = LibBpf.INSTANCE.libbpf_num_possible_cpus();
    private static final int PAGE_SIZE = LibC.INSTANCE.getpagesize();

    private Sys() {
    }

    /** Per-CPU maps carry one slot per possible (not online) CPU. */
    public static int possibleCpus() {
        if (POSSIBLE_CPUS <= 0) {
            throw new IllegalStateException("libbpf_num_possible_cpus failed: " + POSSIBLE_CPUS);
        }
        return POSSIBLE_CPUS;
    }

    public static int pageSize() {
        return PAGE_SIZE;
    }

    /**
     * The kernel's id of the program or link behind {@code fd} ({@code bpf_obj_get_info_by_fd}):
     * {@code struct bpf_prog_info} and {@code struct bpf_link_info} both start with {@code __u32 type,
     * __u32 id}, and the kernel copies only what fits, so 8 bytes are enough.
     */
    public static int objectId(int fd, String subject) throws io.polycube.dataplane.api.BpfException {
        try (com.sun.jna.Memory info = new com.sun.jna.Memory(8); com.sun.jna.Memory len = new com.sun.jna.Memory(4)) {
            info.clear();
            len.setInt(0, 8);
            Errors.check(LibBpf.INSTANCE.bpf_obj_get_info_by_fd(fd, info, len), "bpf_obj_get_info_by_fd", subject);
            return info.getInt(4);
        }
    }
}
