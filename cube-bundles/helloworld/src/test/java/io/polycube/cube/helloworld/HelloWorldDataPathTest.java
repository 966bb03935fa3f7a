package io.polycube.cube.helloworld;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.TestRunResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packet fixtures (BPF_PROG_TEST_RUN) for helloworld's data path, XDP and TC builds: a frame enters on
 * the loopback device (ifindex 1, where test packets arrive), which is port 0; port 1's peer is lo too
 * (any device gives a redirect verdict). The {@code actions} slots are written as the core would.
 */
class HelloWorldDataPathTest {
    private static final int LO = 1;
    private static final int DROP = 0;
    private static final int SLOWPATH = 1;
    private static final int FORWARD = 2;
    private static final byte[] FRAME = new byte[60];

    static {
        byte[] header = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
        System.arraycopy(header, 0, FRAME, 0, header.length);
    }

    private static int verdict(String hook, String name) {
        boolean xdp = hook.equals("xdp");
        return switch (name) {
            case "pass" -> xdp ? 2 : 0;
            case "drop" -> xdp ? 1 : 2;
            default -> xdp ? 4 : 7; // redirect
        };
    }

    private static BpfObject load(String hook) throws Exception {
        BpfObject object;
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/classes/bpf/helloworld." + hook + ".o"))) {
            object = spec.load();
        }
        try {
            object.arrayMap("pcn_port_of_ifindex").set(LO, u32(1)); // lo is port 0
            object.arrayMap("pcn_ports").set(1, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder())
                .putShort((short) 1).putShort((short) 0).putInt(LO).array()); // port 1: netdev lo
            if (hook.equals("xdp")) {
                object.devMap("pcn_tx_devmap").set(1, LO);
            }
            return object;
        } catch (Exception | Error e) {
            object.close();
            throw e;
        }
    }

    private static byte[] action(int action, int outport) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(action).putInt(outport).array();
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void aPortWithoutActionDrops(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            assertEquals(verdict(hook, "drop"), object.program("pcn_entry").testRun(FRAME, 1).retval());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void forwardRedirectsTheUnchangedFrame(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            object.arrayMap("actions").set(0, action(FORWARD, 1));
            TestRunResult result = object.program("pcn_entry").testRun(FRAME, 1);
            assertEquals(verdict(hook, "redirect"), result.retval());
            assertArrayEquals(FRAME, result.dataOut());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void forwardNeverGoesBackOutOfTheInputPort(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            object.arrayMap("actions").set(0, action(FORWARD, 0));
            assertEquals(verdict(hook, "drop"), object.program("pcn_entry").testRun(FRAME, 1).retval());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void dropDrops(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            object.arrayMap("actions").set(0, action(DROP, 1));
            assertEquals(verdict(hook, "drop"), object.program("pcn_entry").testRun(FRAME, 1).retval());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void slowPathGetsACopyFromPortZero(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            object.arrayMap("actions").set(0, action(SLOWPATH, 0));
            object.program("pcn_entry").testRun(FRAME, 2);
            List<Integer> ports = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            object.ringBuffer("pcn_slowpath").poll(Duration.ofSeconds(1), record -> {
                ports.add(record.getShort() & 0xffff);
                record.getShort(); // reason
                record.getInt(); // wire length
                lengths.add(record.getInt());
            });
            assertEquals(List.of(0, 0), ports);
            assertEquals(List.of(FRAME.length, FRAME.length), lengths);
        }
    }
}
