package io.polycube.dataplane.api;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.polycube.dataplane.impl.Errors;
import io.polycube.dataplane.impl.LibBpf;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-program verifier log buffers for one load. libbpf loads with log level 0 and, only if the
 * kernel rejects a program, retries it with level 1 into our buffer; so a non-empty buffer
 * identifies the rejected program.
 */
final class VerifierLogs implements AutoCloseable {
    private static final int LOG_SIZE = 4 << 20;

    private final Map<String, Pointer> programs;
    private final Map<String, Memory> buffers = new LinkedHashMap<>();

    VerifierLogs(Map<String, Pointer> programs) throws BpfException {
        this.programs = programs;
        try {
            for (Map.Entry<String, Pointer> e : programs.entrySet()) {
                Memory buf = new Memory(LOG_SIZE);
                buf.setByte(0, (byte) 0);
                buffers.put(e.getKey(), buf);
                Errors.check(LibBpf.INSTANCE.bpf_program__set_log_buf(e.getValue(), buf, LOG_SIZE),
                    "bpf_program__set_log_buf", e.getKey());
            }
        } catch (BpfException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The exception for a failed load: a VerifierException if some program has a log. */
    BpfException failure(String objectName, int ret) {
        for (Map.Entry<String, Memory> e : buffers.entrySet()) {
            String log = e.getValue().getString(0);
            if (!log.isBlank()) {
                return new VerifierException(e.getKey(), log, Math.abs(ret));
            }
        }
        return Errors.fromReturn("bpf_object__load", objectName, ret);
    }

    /** Detaches the buffers from libbpf before freeing them. */
    @Override
    public void close() {
        for (Map.Entry<String, Memory> e : buffers.entrySet()) {
            LibBpf.INSTANCE.bpf_program__set_log_buf(programs.get(e.getKey()), null, 0);
            e.getValue().close();
        }
        buffers.clear();
    }
}
