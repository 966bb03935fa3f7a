package io.polycube.dataplane.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test fixtures: the compiled test objects and a small command runner. */
final class TestObjects {
    private TestObjects() {
    }

    static byte[] elf(String name) {
        try (InputStream in = TestObjects.class.getResourceAsStream("/bpf/" + name + ".bpf.o")) {
            if (in == null) {
                throw new IllegalStateException("test object " + name + " not built");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BpfObjectSpec spec(String name) throws BpfException {
        return BpfObjectSpec.open(elf(name), name);
    }

    /** A minimal Ethernet frame of {@code length} bytes. */
    static byte[] packet(int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < 12; i++) {
            p[i] = (byte) (i + 1);
        }
        p[12] = 0x08;
        return p;
    }

    static long u64(byte[] b) {
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static byte[] u64(long v) {
        return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static byte[] u32(int v) {
        return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** Runs a command, returns stdout+stderr; fails the test on a non-zero exit unless tolerated. */
    static String run(boolean mustSucceed, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timeout: " + String.join(" ", command));
            }
            if (mustSucceed && p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String run(String... command) {
        return run(true, command);
    }
}
