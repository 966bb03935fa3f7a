package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObjectSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The bench's own compiled eBPF objects (bench/src/main/c, packaged under bpf/). */
final class Objects {
    private Objects() {
    }

    static BpfObjectSpec open(String name) throws BpfException {
        try (InputStream in = Objects.class.getResourceAsStream("/bpf/" + name + ".bpf.o")) {
            if (in == null) {
                throw new IllegalStateException("bench object " + name + " not built");
            }
            return BpfObjectSpec.open(in.readAllBytes(), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
