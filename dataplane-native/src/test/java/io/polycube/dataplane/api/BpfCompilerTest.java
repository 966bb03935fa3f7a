package io.polycube.dataplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Runtime compilation with the shipped headers and script, loaded into the kernel. */
class BpfCompilerTest {
    private static final String DROP_ALL = """
        #include <pcn/cube.h>
        static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
        {
            return RX_DROP;
        }
        """;

    @Test
    void headerListIsComplete() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/c/include/pcn"))) {
            assertEquals(files.map(p -> p.getFileName().toString()).sorted().toList(), BpfCompiler.HEADERS);
        }
    }

    @Test
    void compiledSourceLoadsAndRuns() throws Exception {
        for (String hook : List.of("PCN_HOOK_XDP", "PCN_HOOK_TC")) {
            byte[] elf = BpfCompiler.compile(DROP_ALL, List.of(hook, "PCN_UCUBE=5"));
            try (BpfObjectSpec spec = BpfObjectSpec.open(elf, "ucube"); BpfObject object = spec.load()) {
                assertTrue(object.programNames().contains("pcn_ucube"), object.programNames().toString());
            }
        }
    }

    @Test
    void aCompileErrorCarriesTheCompilerOutput() {
        CompileException e = assertThrows(CompileException.class,
            () -> BpfCompiler.compile(DROP_ALL.replace("return RX_DROP;", "return nonsense;"), List.of("PCN_HOOK_XDP")));
        assertTrue(e.getMessage().contains("nonsense"), e.getMessage());
        assertTrue(e.compilerOutput().contains("error"), e.compilerOutput());
        assertEquals(1, e.getMessage().lines().count());
    }
}
