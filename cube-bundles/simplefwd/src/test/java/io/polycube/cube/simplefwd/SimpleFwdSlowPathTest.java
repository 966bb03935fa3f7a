package io.polycube.cube.simplefwd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.api.Direction;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.HookType;
import io.polycube.core.spi.PacketIn;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** simplefwd's slow path: a SLOWPATH packet leaves through the action's outport, or is dropped without one. */
class SimpleFwdSlowPathTest {
    private record Out(String port, Direction dir, byte[] frame) {
    }

    private static ConfigNode action(String in, String action, String out) {
        Map<String, String> leaves = out == null ? Map.of("inport", in, "action", action)
            : Map.of("inport", in, "action", action, "outport", out);
        return ConfigNode.of(leaves, Map.of(), Map.of(), Map.of());
    }

    @Test
    void slowPathForwardsToTheOutportOrDrops() throws Exception {
        List<Out> sent = new ArrayList<>();
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/classes/bpf/simplefwd.tc.o"));
             BpfObject object = spec.load()) {
            CubeContext context = new CubeContext() {
                @Override
                public String instanceName() {
                    return "s1";
                }

                @Override
                public HookType hook() {
                    return HookType.TC;
                }

                @Override
                public BpfObject dataplane() {
                    return object;
                }

                @Override
                public OptionalInt portIndex(String portName) {
                    return switch (portName) {
                        case "pa" -> OptionalInt.of(0);
                        case "pb" -> OptionalInt.of(1);
                        default -> OptionalInt.empty();
                    };
                }

                @Override
                public void sendPacketOut(String port, Direction dir, byte[] frame) {
                    sent.add(new Out(port, dir, frame));
                }

                @Override
                public java.util.Optional<io.polycube.core.spi.PortCounters> portCounters(String portName) {
                    return java.util.Optional.empty();
                }

                @Override
                public void reload(int index, io.polycube.core.spi.DataplaneCode code) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void log(io.polycube.core.spi.LogLevel level, String format, Object... args) {
                }

                @Override
                public Logger logger() {
                    return LoggerFactory.getLogger("test");
                }
            };
            SimpleFwd fwd = new SimpleFwd(context);
            fwd.configure(ConfigNode.of(Map.of(), Map.of(), Map.of(), Map.of("actions",
                List.of(action("pa", "SLOWPATH", "pb"), action("pb", "SLOWPATH", null)))));
            byte[] frame = new byte[60];
            frame[5] = 42;
            fwd.packetIn(PacketIn.of("pa", 0, new int[3], frame, 60));
            assertEquals(1, sent.size());
            assertEquals("pb", sent.get(0).port());
            assertEquals(Direction.EGRESS, sent.get(0).dir());
            assertArrayEquals(frame, sent.get(0).frame());
            fwd.packetIn(PacketIn.of("pb", 0, new int[3], frame, 60)); // no outport: dropped
            fwd.packetIn(PacketIn.of("pa", 0, new int[3], frame, 9000)); // truncated copy: dropped
            assertEquals(1, sent.size());
            fwd.configure(ConfigNode.of(Map.of(), Map.of(), Map.of(), Map.of("actions",
                List.of(action("pa", "FORWARD", "pb")))));
            fwd.packetIn(PacketIn.of("pa", 0, new int[3], frame, 60)); // no longer SLOWPATH
            assertTrue(sent.size() == 1);
        }
    }
}
