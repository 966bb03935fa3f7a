package io.polycube.dataplane.impl;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** The few libc calls libbpf does not cover: mmap for ring buffers, poll, fd duplication, names, raw bpf(2). */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int MAP_SHARED = 1;
    short POLLIN = 1;
    Pointer MAP_FAILED = new Pointer(-1);

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, long length);

    int poll(Pointer fds, long nfds, int timeoutMs);

    /** x86_64 {@code SYS_bpf} (checked against the kernel headers). */
    long SYS_BPF = 321;

    /** {@code syscall(2)}; used for {@code bpf(2)} commands libbpf 1.1 has no wrapper for. */
    long syscall(long number, long cmd, Pointer attr, long size);

    int dup(int fd);

    /** {@code F_DUPFD_CLOEXEC}: a duplicate that child processes (clang, ip) do not inherit. */
    int F_DUPFD_CLOEXEC = 1030;

    int fcntl(int fd, int cmd, int arg);

    int close(int fd);

    int getpagesize();

    int if_nametoindex(String name);

    Pointer if_indextoname(int ifindex, byte[] buf);

    int vasprintf(PointerByReference out, String format, Pointer vaList);

    void free(Pointer p);
}
