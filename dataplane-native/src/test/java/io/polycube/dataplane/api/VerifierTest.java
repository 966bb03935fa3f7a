package io.polycube.dataplane.api;

import static io.polycube.dataplane.api.TestObjects.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class VerifierTest {
    @Test
    void rejectionCarriesTheLogAndLeaksNothing() throws Exception {
        long fdsBefore = openFds();
        BpfObjectSpec spec = spec("test_reject");
        VerifierException e = assertThrows(VerifierException.class, spec::load);
        spec.close();

        assertEquals("xdp_reject", e.programName());
        assertTrue(e.verifierLog().contains("invalid access to packet"), e.verifierLog());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("xdp_reject"), e.getMessage());
        assertTrue(e.errno() > 0);
        assertThrows(IllegalStateException.class, spec::load);

        assertEquals(fdsBefore, openFds(), "fds leaked by the failed load");
        assertFalse(TestObjects.run("bpftool", "prog", "show").contains("xdp_reject"));
    }

    @Test
    void summaryIsTheLastMeaningfulLine() {
        String log = "0: R1=ctx() R10=fp0\ninvalid access to packet, off=20\nR1 offset is outside of the packet\n"
            + "processed 3 insns (limit 1000000) max_states_per_insn 0\n\n";
        assertEquals("R1 offset is outside of the packet", VerifierException.summary(log));
        assertEquals("(empty verifier log)", VerifierException.summary(""));
    }

    /**
     * Open fds of eBPF objects (maps, programs, BTF): what a failed load could leak. Other fds come and
     * go with the JVM (class files, sockets, earlier tests' cleaners) and once made this count flaky.
     */
    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(VerifierTest::isBpfObject).count();
        }
    }

    private static boolean isBpfObject(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("anon_inode:bpf") || target.startsWith("anon_inode:btf");
        } catch (IOException e) {
            return false; // closed while listing
        }
    }
}
