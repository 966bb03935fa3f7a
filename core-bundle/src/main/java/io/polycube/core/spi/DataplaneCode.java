package io.polycube.core.spi;

import static java.util.Objects.requireNonNull;

/** Code for one µCube program: eBPF C source (compiled by the daemon with clang) or a compiled ELF object. */
public sealed interface DataplaneCode {

    /** C source defining {@code handle_rx(ctx, md)} on top of {@code #include <pcn/cube.h>}. */
    record Source(String text) implements DataplaneCode {
        public Source {
            requireNonNull(text);
        }
    }

    /** An ELF object built with the framework's headers for the instance's hook. */
    record Elf(byte[] bytes) implements DataplaneCode {
        public Elf {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }
}
