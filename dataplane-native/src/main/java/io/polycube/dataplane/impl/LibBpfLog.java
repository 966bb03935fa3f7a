package io.polycube.dataplane.impl;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes libbpf's own messages to slf4j; installed once, before the first libbpf call that logs. */
public final class LibBpfLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.polycube.dataplane.libbpf");
    private static final int LIBBPF_WARN = 0;
    private static final int LIBBPF_INFO = 1;

    // libbpf keeps only the raw function pointer: without this strong reference the GC would free
    // the JNA trampoline and the next message would jump into freed memory.
    private static final LibBpf.PrintFn CALLBACK = LibBpfLog::print;

    static {
        LibBpf.INSTANCE.libbpf_set_print(CALLBACK);
    }

    private LibBpfLog() {
    }

    /** Idempotent; triggers the static initializer. */
    public static void install() {
        // nothing: the class initializer did the work
    }

    private static int print(int level, String format, Pointer vaList) {
        boolean enabled = switch (level) {
            case LIBBPF_WARN -> LOG.isWarnEnabled();
            case LIBBPF_INFO -> LOG.isInfoEnabled();
            default -> LOG.isDebugEnabled();
        };
        if (!enabled) {
            return 0;
        }
        // A va_list can be consumed only once, so format it in C exactly here.
        PointerByReference out = new PointerByReference();
        int n = LibC.INSTANCE.vasprintf(out, format, vaList);
        if (n < 0) {
            return 0;
        }
        Pointer p = out.getValue();
        String message;
        try {
            message = p.getString(0).stripTrailing();
        } finally {
            LibC.INSTANCE.free(p);
        }
        switch (level) {
            case LIBBPF_WARN -> LOG.warn(message);
            case LIBBPF_INFO -> LOG.info(message);
            default -> LOG.debug(message);
        }
        return n;
    }
}
