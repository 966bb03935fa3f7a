package io.polycube.dataplane.impl;

import com.sun.jna.Native;
import io.polycube.dataplane.api.BpfException;
import java.nio.charset.StandardCharsets;

/** Builds {@link BpfException}s whose message names the operation, the object and the errno. */
public final class Errors {
    private Errors() {
    }

    /** {@code libbpf_strerror} also knows libbpf's private error codes (4000+) and is thread-safe. */
    public static String describe(int errno) {
        byte[] buf = new byte[256];
        LibBpf.INSTANCE.libbpf_strerror(errno, buf, buf.length);
        return Native.toString(buf, StandardCharsets.UTF_8);
    }

    /** For libbpf int results: {@code ret} is {@code -errno}. */
    public static BpfException fromReturn(String operation, String subject, int ret) {
        return of(operation, subject, Math.abs(ret));
    }

    /** For NULL-returning libbpf calls and libc calls: errno is in the thread's last error. */
    public static BpfException fromErrno(String operation, String subject) {
        return of(operation, subject, Native.getLastError());
    }

    public static BpfException of(String operation, String subject, int errno) {
        return new BpfException(operation + "(" + subject + "): " + describe(errno) + " (errno " + errno + ")",
            errno);
    }

    /** For libc calls returning -1 with errno set: throws unless {@code ret >= 0}, else returns it. */
    public static int checkErrno(int ret, String operation, String subject) throws BpfException {
        if (ret < 0) {
            throw fromErrno(operation, subject);
        }
        return ret;
    }

    /** Throws unless {@code ret >= 0}; returns {@code ret} so fd results can be used inline. */
    public static int check(int ret, String operation, String subject) throws BpfException {
        if (ret < 0) {
            throw fromReturn(operation, subject, ret);
        }
        return ret;
    }
}
