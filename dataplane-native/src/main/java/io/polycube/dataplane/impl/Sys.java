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
}
