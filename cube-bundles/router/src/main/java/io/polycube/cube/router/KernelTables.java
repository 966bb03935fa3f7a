package io.polycube.cube.router;

import io.polycube.core.spi.CubeException;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfMap;
import io.polycube.dataplane.api.BpfObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The three maps a router's addresses make, which no YANG list describes one to one: router_ports
 * (index -> MAC, primary address), own_addrs (every address -> port) and connected (subnet -> port, an
 * LPM trie). Each change writes only the difference; a kernel error puts back what was there.
 */
final class KernelTables {
    static final String[] MAPS = {"router_ports", "own_addrs", "connected"};
    private static final HexFormat HEX = HexFormat.of();

    /** Per map: hex key -> value, as last written. */
    private Map<String, Map<String, byte[]>> written = Map.of();

    void apply(BpfObject dataplane, RouterConfig config) throws CubeException {
        Map<String, Map<String, byte[]>> wanted = wanted(config);
        try {
            write(dataplane, written, wanted);
        } catch (BpfException e) {
            try {
                write(dataplane, wanted, written);
            } catch (BpfException again) {
                e.addSuppressed(again);
            }
            throw new CubeException(CubeException.Kind.OPERATION_FAILED, "router tables not written: " + e.getMessage(), e);
        }
        written = wanted;
    }

    static Map<String, Map<String, byte[]>> wanted(RouterConfig config) {
        Map<String, byte[]> ports = new HashMap<>();
        Map<String, byte[]> own = new HashMap<>();
        Map<String, byte[]> connected = new HashMap<>();
        for (RouterConfig.Port p : config.ports()) {
            int primary = p.addresses().isEmpty() ? 0 : p.addresses().get(0).ip();
            ports.put(HEX.formatHex(u32(p.index())), routerPort(p.mac(), primary));
            for (RouterConfig.Address a : p.addresses()) {
                own.put(HEX.formatHex(Ipv4.bytes(a.ip())), u32(p.index()));
                connected.put(HEX.formatHex(lpmKey(a.network(), a.prefixLength())), u32(p.index()));
            }
        }
        return Map.of(MAPS[0], ports, MAPS[1], own, MAPS[2], connected);
    }

    private static void write(BpfObject dataplane, Map<String, Map<String, byte[]>> from,
            Map<String, Map<String, byte[]>> to) throws BpfException {
        for (String name : MAPS) {
            BpfMap map = dataplane.map(name);
            Map<String, byte[]> old = from.getOrDefault(name, Map.of());
            Map<String, byte[]> now = to.getOrDefault(name, Map.of());
            for (String key : old.keySet()) {
                if (!now.containsKey(key)) {
                    if (name.equals("router_ports")) {
                        map.update(HEX.parseHex(key), new byte[map.valueSize()]); // an array slot is zeroed
                    } else {
                        map.delete(HEX.parseHex(key));
                    }
                }
            }
            for (Map.Entry<String, byte[]> e : now.entrySet()) {
                if (!java.util.Arrays.equals(e.getValue(), old.get(e.getKey()))) {
                    map.update(HEX.parseHex(e.getKey()), e.getValue());
                }
            }
        }
    }

    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    /** struct router_port { __u8 mac[6]; __u16 pad; __be32 ip; } */
    static byte[] routerPort(byte[] mac, int ip) {
        return ByteBuffer.allocate(12).put(mac).putShort((short) 0).put(Ipv4.bytes(ip)).array();
    }

    /** struct lpm_v4 { __u32 prefixlen; __be32 addr; } */
    static byte[] lpmKey(int network, int prefixLength) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(prefixLength).put(Ipv4.bytes(network)).array();
    }

    /** struct arp_entry { __u8 mac[6]; __u16 pad; __u32 port; } */
    static byte[] arpEntry(byte[] mac, int port) {
        return ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).put(mac).putShort((short) 0).putInt(port).array();
    }
}
