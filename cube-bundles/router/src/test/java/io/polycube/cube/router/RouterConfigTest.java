package io.polycube.cube.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What the router refuses beyond YANG, and what it accepts. */
class RouterConfigTest {

    private static ConfigNode leaves(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return ConfigNode.of(m, Map.of(), Map.of(), Map.of());
    }

    private static ConfigNode port(String name, String ip, String length, ConfigNode... secondary) {
        Map<String, String> m = new HashMap<>(Map.of("name", name));
        if (ip != null) {
            m.put("ip", ip);
            m.put("prefix-length", length);
        }
        return ConfigNode.of(m, Map.of(), Map.of(), Map.of("secondary", List.of(secondary)));
    }

    private static ConfigNode router(List<ConfigNode> ports, List<ConfigNode> routes, List<ConfigNode> arp) {
        return ConfigNode.of(Map.of("name", "r1"), Map.of(), Map.of(),
            Map.of("ports", ports, "route", routes, "arp-entry", arp));
    }

    private static RouterConfig parse(ConfigNode node) throws CubeException {
        Map<String, Integer> index = Map.of("p0", 0, "p1", 1, "p2", 2);
        return RouterConfig.parse(node, "r1", n -> index.containsKey(n) ? OptionalInt.of(index.get(n)) : OptionalInt.empty());
    }

    private static String refusal(ConfigNode node) {
        CubeException e = assertThrows(CubeException.class, () -> parse(node));
        assertEquals(CubeException.Kind.INVALID_VALUE, e.kind());
        return e.getMessage();
    }

    private static final List<ConfigNode> TWO_PORTS = List.of(port("p0", "10.0.1.1", "24"), port("p1", "10.0.2.1", "24"));

    @Test
    void acceptsPortsRoutesAndNeighbours() throws CubeException {
        RouterConfig c = parse(router(List.of(port("p0", "10.0.1.1", "24", leaves("ip", "10.0.3.1", "prefix-length", "24")),
            port("p1", "10.0.2.1", "24"), port("p2", null, null)),
            List.of(leaves("network", "0.0.0.0/0", "nexthop", "10.0.3.254"), leaves("network", "10.0.0.0/8", "nexthop", "10.0.2.9")),
            List.of(leaves("address", "10.0.1.50", "mac", "02:00:00:00:00:01"))));
        assertEquals(2, c.port("p0").orElseThrow().addresses().size());
        assertTrue(c.port("p2").orElseThrow().addresses().isEmpty());
        assertEquals(new RouterConfig.Route(0, 0, Ipv4.parse("10.0.3.254")), c.routes().get(0));
        assertEquals(List.of(Ipv4.parse("10.0.1.50")), c.staticNeighbours());
        assertArrayEquals(RouterConfig.derivedMac("r1", "p1"), c.port("p1").orElseThrow().mac(), "a stable MAC");
        assertEquals(2, c.port("p1").orElseThrow().mac()[0] & 3, "locally administered, unicast");
    }

    @Test
    void refusesOverlappingAddresses() {
        assertTrue(refusal(router(List.of(port("p0", "10.0.1.1", "24"), port("p1", "10.0.1.2", "25")), List.of(), List.of()))
            .contains("overlaps 10.0.1.1/24 of port p0"));
        assertTrue(refusal(router(List.of(port("p0", "10.0.1.1", "16"), port("p1", "10.0.200.1", "24")), List.of(), List.of()))
            .contains("overlaps"));
        assertTrue(refusal(router(List.of(port("p0", "10.0.1.1", "24", leaves("ip", "10.0.1.9", "prefix-length", "28"))),
            List.of(), List.of())).contains("overlaps"));
    }

    @Test
    void refusesAddressesThatAreNoHostAddress() {
        assertTrue(refusal(router(List.of(port("p0", "10.0.1.0", "24")), List.of(), List.of())).contains("network address"));
        assertTrue(refusal(router(List.of(port("p0", "10.0.1.255", "24")), List.of(), List.of())).contains("broadcast address"));
        assertTrue(refusal(router(List.of(port("p0", "224.0.0.1", "24")), List.of(), List.of())).contains("not a unicast"));
        assertTrue(refusal(router(List.of(port("p0", "127.0.0.1", "8")), List.of(), List.of())).contains("not a unicast"));
        assertTrue(refusal(router(List.of(port("p0", null, null, leaves("ip", "10.0.3.1", "prefix-length", "24"))),
            List.of(), List.of())).contains("no ip"));
    }

    @Test
    void refusesRoutesWhoseNextHopIsNotOnAConnectedSubnet() {
        assertTrue(refusal(router(TWO_PORTS, List.of(leaves("network", "10.9.0.0/16", "nexthop", "10.7.0.1")), List.of()))
            .contains("next hop 10.7.0.1 of route 10.9.0.0/16 is not on a connected subnet"));
        assertTrue(refusal(router(TWO_PORTS, List.of(leaves("network", "10.9.0.0/16", "nexthop", "10.0.1.1")), List.of()))
            .contains("own address"));
        assertTrue(refusal(router(TWO_PORTS, List.of(leaves("network", "10.9.0.1/16", "nexthop", "10.0.1.7")), List.of()))
            .contains("host bits"));
        assertTrue(refusal(router(TWO_PORTS, List.of(leaves("network", "10.0.1.128/25", "nexthop", "10.0.2.7")), List.of()))
            .contains("inside the connected subnet 10.0.1.0/24 of port p0"));
        assertTrue(refusal(router(TWO_PORTS, List.of(), List.of(leaves("address", "10.5.0.1", "mac", "02:00:00:00:00:01"))))
            .contains("not on a connected subnet"));
    }

    @Test
    void refusesAMulticastMac() {
        ConfigNode p = ConfigNode.of(Map.of("name", "p0", "ip", "10.0.1.1", "prefix-length", "24", "mac", "01:00:5e:00:00:01"),
            Map.of(), Map.of(), Map.of());
        assertTrue(refusal(router(List.of(p), List.of(), List.of())).contains("not a unicast address"));
    }
}
