package io.polycube.cube.protofilter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packet fixtures for protofilter's transparent data path: with the next stage set to the kernel stack
 * (as the core does on a netdev no cube owns), listed IP protocols are dropped and the rest passes.
 */
class ProtoFilterDataPathTest {
    private static final int PEER_STACK = 3;

    private static BpfObject load(String hook) throws Exception {
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/classes/bpf/protofilter." + hook + ".o"))) {
            BpfObject object = spec.load();
            object.arrayMap("pcn_next").set(0, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder())
                .putShort((short) PEER_STACK).putShort((short) 0).putInt(0).array());
            return object;
        }
    }

    /** Ethernet + IPv4 with the given protocol number and 8 bytes of payload. */
    private static byte[] frame(int protocol) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8);
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 28).putShort((short) 1).putShort((short) 0)
            .put((byte) 64).put((byte) protocol).putShort((short) 0)
            .put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        return b.array();
    }

    private static int pass(String hook) {
        return hook.equals("xdp") ? 2 : 0;
    }

    private static int drop(String hook) {
        return hook.equals("xdp") ? 1 : 2;
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void listedProtocolsAreDroppedOthersPass(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            assertEquals(pass(hook), object.program("pcn_entry").testRun(frame(17), 1).retval(), "nothing listed yet");
            object.arrayMap("drop_protocol").set(17, ProtoFilter.flag(1));
            assertEquals(drop(hook), object.program("pcn_entry").testRun(frame(17), 1).retval(), "UDP listed");
            assertEquals(pass(hook), object.program("pcn_entry").testRun(frame(1), 1).retval(), "ICMP not listed");
            object.arrayMap("drop_protocol").set(17, ProtoFilter.flag(0));
            assertEquals(pass(hook), object.program("pcn_entry").testRun(frame(17), 1).retval(), "UDP unlisted again");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void withoutANextStageEverythingIsDropped(String hook) throws Exception {
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/classes/bpf/protofilter." + hook + ".o"));
             BpfObject object = spec.load()) {
            assertEquals(drop(hook), object.program("pcn_entry").testRun(frame(1), 1).retval());
        }
    }
}
