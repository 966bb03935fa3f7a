package io.polycube.cube.protofilter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polycube.dataplane.api.BpfMap;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packet fixtures for protofilter's source tables ({@code source_ipv4}, {@code source_ipv6}, LPM tries
 * written here in the layout the core's zero-code tables write: prefix length in host order, address in
 * network order, value the YANG enum value): the longest matching prefix decides, a miss passes.
 */
class SourcePrefixDataPathTest {
    private static final int PEER_STACK = 3;
    private static final int DROP = 1;
    private static final int PASS = 2;

    private static BpfObject load(String hook) throws Exception {
        try (BpfObjectSpec spec = BpfObjectSpec.open(Path.of("target/classes/bpf/protofilter." + hook + ".o"))) {
            BpfObject object = spec.load();
            object.arrayMap("pcn_next").set(0, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder())
                .putShort((short) PEER_STACK).putShort((short) 0).putInt(0).array());
            return object;
        }
    }

    private static void rule(BpfObject object, String prefix, int action) throws Exception {
        String[] parts = prefix.split("/");
        byte[] address = InetAddress.getByName(parts[0]).getAddress();
        byte[] key = ByteBuffer.allocate(4 + address.length).order(ByteOrder.nativeOrder())
            .putInt(Integer.parseInt(parts[1])).put(address).array();
        BpfMap map = object.map(address.length == 4 ? "source_ipv4" : "source_ipv6");
        map.update(key, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(action).array());
    }

    /** Ethernet + IPv4 (UDP) or IPv6 (next header UDP) from {@code source}, 8 bytes of payload. */
    private static byte[] frame(String source) throws Exception {
        byte[] address = InetAddress.getByName(source).getAddress();
        boolean v4 = address.length == 4;
        ByteBuffer b = ByteBuffer.allocate(14 + (v4 ? 20 : 40) + 8);
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) (v4 ? 0x0800 : 0x86dd));
        if (v4) {
            b.put((byte) 0x45).put((byte) 0).putShort((short) 28).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(address).put(new byte[] {10, 9, 9, 9});
        } else {
            b.putInt(0x60000000).putShort((short) 8).put((byte) 17).put((byte) 64).put(address)
                .put(InetAddress.getByName("fd00::9").getAddress());
        }
        return b.array();
    }

    private static int verdict(BpfObject object, String hook, String source) throws Exception {
        int retval = object.program("pcn_entry").testRun(frame(source), 1).retval();
        int pass = hook.equals("xdp") ? 2 : 0;
        int drop = hook.equals("xdp") ? 1 : 2;
        if (retval != pass && retval != drop) {
            throw new AssertionError("unexpected verdict " + retval);
        }
        return retval == drop ? DROP : PASS;
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void theLongestIpv4PrefixDecidesAndAMissPasses(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            assertEquals(PASS, verdict(object, hook, "10.1.2.3"), "empty table");
            rule(object, "10.0.0.0/8", DROP);
            rule(object, "10.1.0.0/16", PASS);
            rule(object, "10.1.2.0/24", DROP);
            rule(object, "192.0.2.7/32", DROP);
            assertEquals(DROP, verdict(object, hook, "10.200.0.1"), "/8 only");
            assertEquals(PASS, verdict(object, hook, "10.1.9.9"), "/16 beats /8");
            assertEquals(DROP, verdict(object, hook, "10.1.2.3"), "/24 beats /16");
            assertEquals(DROP, verdict(object, hook, "192.0.2.7"), "host route");
            assertEquals(PASS, verdict(object, hook, "192.0.2.8"), "miss");
            assertEquals(PASS, verdict(object, hook, "11.0.0.1"), "miss");
            assertEquals(PASS, verdict(object, hook, "fd00::1"), "IPv6 does not match IPv4 rules");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void theLongestIpv6PrefixDecidesAndAMissPasses(String hook) throws Exception {
        try (BpfObject object = load(hook)) {
            rule(object, "2001:db8::/32", DROP);
            rule(object, "2001:db8:1::/48", PASS);
            rule(object, "2001:db8:1:2::/64", DROP);
            assertEquals(DROP, verdict(object, hook, "2001:db8:ffff::1"), "/32 only");
            assertEquals(PASS, verdict(object, hook, "2001:db8:1:3::1"), "/48 beats /32");
            assertEquals(DROP, verdict(object, hook, "2001:db8:1:2::1"), "/64 beats /48");
            assertEquals(PASS, verdict(object, hook, "2001:db9::1"), "miss");
            assertEquals(PASS, verdict(object, hook, "10.0.0.1"), "IPv4 does not match IPv6 rules");
        }
    }
}
