package io.polycube.cube.simplefwd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.cube.simplefwd.SimpleFwd.Action;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * simplefwd traces every packet with pcn_log_pkt() at TRACE: with the loglevel constant at TRACE the
 * record reaches pcn_log_ring; at INFO the verifier removes the call (a smaller program, no record).
 */
class LogDataPathTest {
    private static final int TRACE = 6;
    private static final int INFO = 4;
    private static final byte[] FRAME = SimpleFwdDataPathTest.udpFrame();

    private static BpfObject load(String hook, int level) throws Exception {
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/classes/bpf/simplefwd." + hook + ".o"))) {
            BpfObject object = spec.setConstant("pcn_log_level", level).load();
            object.arrayMap("pcn_port_of_ifindex").set(1, le(4, 1));
            object.arrayMap("actions").set(0, SimpleFwd.encode(Action.DROP, 0));
            return object;
        }
    }

    private static List<ByteBuffer> records(BpfObject object) throws Exception {
        List<ByteBuffer> records = new ArrayList<>();
        object.ringBuffer("pcn_log_ring").poll(Duration.ofMillis(200), r -> {
            ByteBuffer copy = ByteBuffer.allocate(r.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            copy.put(r).flip();
            records.add(copy);
        });
        return records;
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void atTraceEveryPacketIsLoggedWithItsHeaders(String hook) throws Exception {
        try (BpfObject object = load(hook, TRACE)) {
            object.program("pcn_entry").testRun(FRAME, 2);
            List<ByteBuffer> records = records(object);
            assertEquals(2, records.size());
            ByteBuffer r = records.get(0);
            assertEquals(TRACE, r.getInt());
            int formatLength = r.getInt();
            long[] args = new long[6];
            for (int i = 0; i < 6; i++) {
                args[i] = r.getLong();
            }
            byte[] format = new byte[formatLength - 1];
            r.get(format);
            assertEquals("in %P: %M > %M, %I > %I", new String(format, StandardCharsets.US_ASCII));
            assertEquals(0, args[0], "input port index");
            assertEquals(0x0100000AL, args[3], "10.0.0.1 as loaded by a little-endian CPU");
            assertEquals(0x0200000AL, args[4]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void belowTheLevelTheCallIsNotInTheProgram(String hook) throws Exception {
        try (BpfObject info = load(hook, INFO); BpfObject trace = load(hook, TRACE)) {
            info.program("pcn_entry").testRun(FRAME, 2);
            assertEquals(0, records(info).size());
            int infoSize = xlatedBytes(info.program("pcn_entry").id());
            int traceSize = xlatedBytes(trace.program("pcn_entry").id());
            assertTrue(infoSize + 200 < traceSize, "INFO " + infoSize + " B vs TRACE " + traceSize + " B");
        }
    }

    private static int xlatedBytes(int id) throws Exception {
        Process p = new ProcessBuilder("bpftool", "prog", "show", "id", Integer.toString(id)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("xlated (\\d+)B").matcher(out);
        assertTrue(m.find(), out);
        return Integer.parseInt(m.group(1));
    }

    private static byte[] le(int size, int value) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        return size == 4 ? b.putInt(value).array() : b.putShort((short) value).array();
    }
}
