package io.polycube.dataplane.api;

import static java.util.Objects.requireNonNull;

/** clang refused eBPF C source; {@link #compilerOutput()} holds everything it printed. */
public final class CompileException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String compilerOutput;

    public CompileException(String summary, String compilerOutput) {
        super(requireNonNull(summary), 0);
        this.compilerOutput = requireNonNull(compilerOutput);
    }

    public String compilerOutput() {
        return compilerOutput;
    }
}
