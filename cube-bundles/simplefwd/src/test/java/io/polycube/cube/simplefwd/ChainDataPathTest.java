package io.polycube.cube.simplefwd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polycube.cube.simplefwd.SimpleFwd.Action;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.TestRunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packet fixtures for cube-to-cube redirects: two simplefwd objects share a patch panel (pinned in a
 * private bpffs directory, as the core does); the first forwards its port 0 to its port 1, whose peer is
 * port 3 of the second cube; slot 7 is what the core records in pcn_ports. Two ways in: CUBE, the second
 * cube's pcn_chain in the first cube's pcn_peer_progs[1] with the port in the metadata, and LINK, its
 * pcn_link_3, which knows the port without metadata. What the second cube does proves it ran, with
 * which input port.
 */
class ChainDataPathTest {
    private static final int LO = 1;
    private static final int SLOT = 7;
    private static final int PEER_PORT = 3;
    private static final byte[] FRAME = SimpleFwdDataPathTest.udpFrame();

    private Path pins;
    private BpfObject first;
    private BpfObject second;

    private BpfObject load(String hook) throws Exception {
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/classes/bpf/simplefwd." + hook + ".o"))) {
            return spec.pinMap("pcn_patch", pins.resolve("pcn_patch")).pinMap("pcn_md", pins.resolve("pcn_md")).load();
        }
    }

    @BeforeEach
    void pins() throws IOException {
        pins = Files.createDirectories(Path.of("/sys/fs/bpf", "pcns" + Integer.toHexString(
            ThreadLocalRandom.current().nextInt(0x100000, 0xffffff))));
    }

    @AfterEach
    void close() throws IOException {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        Files.deleteIfExists(pins.resolve("pcn_patch"));
        Files.deleteIfExists(pins.resolve("pcn_md"));
        Files.deleteIfExists(pins);
    }

    /** The two kinds of cube peer in pcn_ports, with the program each puts in pcn_peer_progs. */
    enum Way {
        CUBE(2, "pcn_chain"), LINK(4, "pcn_link_" + PEER_PORT);

        final int kind;
        final String program;

        Way(int kind, String program) {
            this.kind = kind;
            this.program = program;
        }
    }

    private void chain(String hook) throws Exception {
        chain(hook, Way.CUBE);
    }

    private void chain(String hook, Way way) throws Exception {
        first = load(hook);
        second = load(hook);
        first.arrayMap("pcn_port_of_ifindex").set(LO, SimpleFwdDataPathTest.u32(1));
        first.arrayMap("pcn_ports").set(1, SimpleFwdDataPathTest.port(way.kind, PEER_PORT, SLOT));
        first.progArray("pcn_peer_progs").set(1, second.program(way.program));
        first.arrayMap("actions").set(0, SimpleFwd.encode(Action.FORWARD, 1));
        second.progArray("pcn_patch").set(SLOT, second.program("pcn_chain"));
    }

    private static int drop(String hook) {
        return hook.equals("xdp") ? 1 : 2;
    }

    private static int redirect(String hook) {
        return hook.equals("xdp") ? 4 : 7;
    }

    @ParameterizedTest
    @CsvSource({"xdp, CUBE", "tc, CUBE", "xdp, LINK", "tc, LINK"})
    void theNextCubeRunsWithThePeerPortAsInputPort(String hook, Way way) throws Exception {
        chain(hook, way);
        // Second cube: input port 3 forwards to its port 4, a netdev; any other input port drops.
        second.arrayMap("actions").set(PEER_PORT, SimpleFwd.encode(Action.FORWARD, 4));
        second.arrayMap("pcn_ports").set(4, SimpleFwdDataPathTest.port(1, 0, LO));
        if (hook.equals("xdp")) {
            second.devMap("pcn_tx_devmap").set(4, LO);
        }
        TestRunResult result = first.program("pcn_entry").testRun(FRAME, 1);
        assertEquals(redirect(hook), result.retval());
        assertArrayEquals(FRAME, result.dataOut(), "the metadata must not leak into the frame");

        second.arrayMap("actions").set(PEER_PORT, SimpleFwd.encode(Action.DROP, 0));
        assertEquals(drop(hook), first.program("pcn_entry").testRun(FRAME, 1).retval());
    }

    @ParameterizedTest
    @CsvSource({"xdp, CUBE", "tc, CUBE", "xdp, LINK", "tc, LINK"})
    void theSlowPathOfTheNextCubeSeesThePeerPort(String hook, Way way) throws Exception {
        chain(hook, way);
        second.arrayMap("actions").set(PEER_PORT, SimpleFwd.encode(Action.SLOWPATH, 0));
        first.program("pcn_entry").testRun(FRAME, 1);
        List<Integer> ports = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        second.ringBuffer("pcn_slowpath").poll(Duration.ofSeconds(1), record -> {
            ports.add(record.getShort() & 0xffff);
            record.position(record.position() + 2 + 4);
            byte[] bytes = new byte[record.getInt()];
            record.position(record.position() + 12);
            record.get(bytes);
            frames.add(bytes);
        });
        assertEquals(List.of(PEER_PORT), ports);
        assertArrayEquals(FRAME, frames.get(0));
    }

    @ParameterizedTest
    @CsvSource({"xdp, CUBE", "tc, CUBE", "xdp, LINK", "tc, LINK"})
    void aMissingPeerProgramDrops(String hook, Way way) throws Exception {
        chain(hook, way);
        first.progArray("pcn_peer_progs").clear(1);
        assertEquals(drop(hook), first.program("pcn_entry").testRun(FRAME, 1).retval());
        // Counted as the sender's drop on its input port, not as a transmit on port 1.
        long[] in = SimpleFwdDataPathTest.stats(first, 0);
        long[] out = SimpleFwdDataPathTest.stats(first, 1);
        assertEquals(1, in[0], "rx packets of port 0");
        assertEquals(1, in[4], "drop packets of port 0");
        assertEquals(0, out[2], "tx packets of port 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void aLinkedHopCountsTxAtTheSenderAndRxAtTheReceiver(String hook) throws Exception {
        chain(hook, Way.LINK);
        second.arrayMap("actions").set(PEER_PORT, SimpleFwd.encode(Action.DROP, 0));
        first.program("pcn_entry").testRun(FRAME, 1);
        assertEquals(1, SimpleFwdDataPathTest.stats(first, 1)[2], "tx packets of the sender's port 1");
        assertEquals(FRAME.length, SimpleFwdDataPathTest.stats(first, 1)[3], "tx bytes of the sender's port 1");
        long[] in = SimpleFwdDataPathTest.stats(second, PEER_PORT);
        assertEquals(1, in[0], "rx packets of the receiver's port 3");
        assertEquals(FRAME.length, in[1], "rx bytes of the receiver's port 3");
        assertEquals(1, in[4], "drop packets of the receiver's port 3");
        assertEquals(0, SimpleFwdDataPathTest.stats(second, 0)[0], "nothing counted on the receiver's port 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void theChainEntryRefusesPacketsWithoutMetadata(String hook) throws Exception {
        chain(hook);
        second.arrayMap("actions").set(0, SimpleFwd.encode(Action.FORWARD, 4));
        second.arrayMap("pcn_ports").set(4, SimpleFwdDataPathTest.port(1, 0, LO));
        assertEquals(drop(hook), second.program("pcn_chain").testRun(FRAME, 1).retval());
    }
}
