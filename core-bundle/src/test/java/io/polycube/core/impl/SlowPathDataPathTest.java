package io.polycube.core.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.spi.PacketIn;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packet fixtures (BPF_PROG_TEST_RUN) for the slow path's data-path side: pcn_pkt_controller_md records
 * and the injector tail-calling into a cube. The test cube {@code tocontroller} sends every packet to the
 * slow path with reason 7 and md {in_port, 0xb, 0xc}. Patch panels are pinned under a unique bpffs dir.
 */
class SlowPathDataPathTest {
    private static final Path PINS = Path.of("/sys/fs/bpf", "pcnf" + Integer.toHexString(
        ThreadLocalRandom.current().nextInt(0x10000, 0xfffff)));
    private static final int LO = 1;
    private static final int SLOT = 5;
    private static final int XDP_DROP = 1;
    private static final int XDP_PASS = 2;
    private static final int TC_ACT_SHOT = 2;

    @AfterAll
    static void unpin() {
        Sh.tryRun("rm", "-rf", PINS.toString());
    }

    private static Path pin(String hook) {
        return PINS.resolve(hook).resolve(DataplaneLayout.MAP_PATCH);
    }

    private static BpfObject load(String file, String hook) throws Exception {
        Sh.run("mkdir", "-p", PINS.resolve(hook).toString());
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of(file))) {
            return DataplaneLayout.pinShared(spec, pin(hook)).load();
        }
    }

    private static BpfObject cube(String hook) throws Exception {
        return load("target/test-classes/bpf/tocontroller." + hook + ".o", hook);
    }

    private static BpfObject injector(String hook) throws Exception {
        return load("target/classes/bpf/injector." + hook + ".o", hook);
    }

    static byte[] frame(int length) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (i * 7 + 1);
        }
        f[12] = 0x08;
        f[13] = 0x00;
        return f;
    }

    /** struct pcn_inj_hdr + frame, as Injector writes it. */
    static byte[] injected(int family, int slot, int inPort, byte[] frame, int magic) {
        return ByteBuffer.allocate(DataplaneLayout.INJ_HEADER + frame.length).put(new byte[12])
            .putShort((short) DataplaneLayout.INJ_ETHERTYPE).putInt(magic).putShort((short) family)
            .putShort((short) inPort).putShort((short) slot).put(frame).array();
    }

    private static List<PacketIn> records(BpfObject cube) throws Exception {
        List<PacketIn> out = new ArrayList<>();
        cube.ringBuffer(DataplaneLayout.MAP_SLOWPATH).drain(r ->
            out.add(PacketIns.decode(r, i -> Optional.of("p" + i)).orElseThrow()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {60, 256, 257, 1514, 1600})
    void pktControllerMdCarriesPortReasonWordsAndBytes(int length) throws Exception {
        for (String hook : List.of("xdp", "tc")) {
            try (BpfObject cube = cube(hook)) {
                cube.arrayMap(DataplaneLayout.MAP_PORT_OF_IFINDEX).set(LO, DataplaneLayout.u32(3 + 1));
                byte[] frame = frame(length);
                int verdict = cube.program(DataplaneLayout.ENTRY_PROGRAM).testRun(frame, 2).retval();
                assertEquals(hook.equals("xdp") ? XDP_DROP : TC_ACT_SHOT, verdict, hook);
                List<PacketIn> got = records(cube);
                assertEquals(2, got.size(), hook);
                PacketIn p = got.get(0);
                assertEquals("p3", p.port());
                assertEquals(7, p.reason());
                assertEquals(3, p.metadata(0));
                assertEquals(0xb, p.metadata(1));
                assertEquals(0xc, p.metadata(2));
                assertEquals(length, p.wireLength());
                int captured = Math.min(length, DataplaneLayout.PKT_IN_MAX);
                assertEquals(captured, p.capturedLength());
                assertArrayEquals(java.util.Arrays.copyOf(frame, captured), p.packet(), hook + " " + length);
                assertEquals(length > DataplaneLayout.PKT_IN_MAX, p.truncated());
            }
        }
    }

    /** A ring nobody drains fills up: every copy that did not fit is counted in pcn_slowpath_drops and as a port drop. */
    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void aFullRingCountsTheCopiesItLost(String hook) throws Exception {
        int sent = 400;
        try (BpfObject cube = cube(hook)) {
            cube.arrayMap(DataplaneLayout.MAP_PORT_OF_IFINDEX).set(LO, DataplaneLayout.u32(3 + 1));
            assertEquals(java.util.OptionalLong.of(0), DataplaneLayout.slowPathDrops(cube));
            cube.program(DataplaneLayout.ENTRY_PROGRAM).testRun(frame(1514), sent);
            int kept = records(cube).size();
            long lost = DataplaneLayout.slowPathDrops(cube).orElseThrow();
            assertTrue(kept > 0 && lost > 0, "kept " + kept + ", lost " + lost);
            assertEquals(sent, kept + lost, "kept " + kept + ", lost " + lost);
            long portDrops = 0;
            for (byte[] cpu : cube.perCpuArrayMap(DataplaneLayout.MAP_PORT_STATS).get(0)) {
                portDrops += DataplaneLayout.portStats(cpu, 3).dropPackets();
            }
            assertEquals(lost, portDrops);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void injectorTailCallsTheSlotWithTheInputPort(String hook) throws Exception {
        int family = hook.equals("xdp") ? DataplaneLayout.INJ_FAMILY_XDP : DataplaneLayout.INJ_FAMILY_TC;
        try (BpfObject cube = cube(hook); BpfObject injector = injector(hook)) {
            cube.progArray(DataplaneLayout.MAP_PATCH).set(SLOT, cube.program(DataplaneLayout.CHAIN_PROGRAM));
            try {
                byte[] frame = frame(98);
                int verdict = injector.program(DataplaneLayout.INJECTOR_PROGRAM)
                    .testRun(injected(family, SLOT, 9, frame, DataplaneLayout.INJ_MAGIC), 1).retval();
                assertEquals(hook.equals("xdp") ? XDP_DROP : TC_ACT_SHOT, verdict); // tocontroller drops
                List<PacketIn> got = records(cube);
                assertEquals(1, got.size());
                assertEquals("p9", got.get(0).port());
                assertEquals(9, got.get(0).metadata(0));
                assertArrayEquals(frame, got.get(0).packet(), "the header is stripped, the frame intact");
            } finally {
                cube.progArray(DataplaneLayout.MAP_PATCH).clear(SLOT);
            }
        }
    }

    /** XDP passes what is not an XDP injection up to TC; TC drops what is not a TC injection: nothing reaches the stack. */
    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void foreignFramesNeverReachACube(String hook) throws Exception {
        int family = hook.equals("xdp") ? DataplaneLayout.INJ_FAMILY_XDP : DataplaneLayout.INJ_FAMILY_TC;
        int other = hook.equals("xdp") ? DataplaneLayout.INJ_FAMILY_TC : DataplaneLayout.INJ_FAMILY_XDP;
        int rejected = hook.equals("xdp") ? XDP_PASS : TC_ACT_SHOT;
        try (BpfObject cube = cube(hook); BpfObject injector = injector(hook)) {
            cube.progArray(DataplaneLayout.MAP_PATCH).set(SLOT, cube.program(DataplaneLayout.CHAIN_PROGRAM));
            try {
                var program = injector.program(DataplaneLayout.INJECTOR_PROGRAM);
                assertEquals(rejected, program.testRun(frame(98), 1).retval(), "plain frame");
                assertEquals(rejected, program.testRun(injected(family, SLOT, 1, frame(98), 0x12345678), 1).retval(),
                    "bad magic");
                assertEquals(rejected, program.testRun(injected(other, SLOT, 1, frame(98), DataplaneLayout.INJ_MAGIC),
                    1).retval(), "other family");
                assertTrue(records(cube).isEmpty());
                int drop = hook.equals("xdp") ? XDP_DROP : TC_ACT_SHOT;
                assertEquals(drop, program.testRun(injected(family, SLOT + 1, 1, frame(98), DataplaneLayout.INJ_MAGIC),
                    1).retval(), "empty slot");
            } finally {
                cube.progArray(DataplaneLayout.MAP_PATCH).clear(SLOT);
            }
        }
    }
}
