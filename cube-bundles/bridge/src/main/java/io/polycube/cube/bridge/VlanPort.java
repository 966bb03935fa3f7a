package io.polycube.cube.bridge;

import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;

/**
 * The VLANs of one port, as {@code struct vlan_port} of bridge.bpf.c holds them: {@code pvid} (untagged
 * frames belong to it and it leaves untagged; 0: none), {@code trunk}, and the member VLANs.
 */
record VlanPort(int pvid, boolean trunk, BitSet members) {
    static final int SIZE = 8 + 512;

    /** From a {@code ports} entry; INVALID_VALUE (400) for what YANG cannot refuse. */
    static VlanPort of(ConfigNode port) throws CubeException {
        String name = port.leaf("name").orElseThrow();
        BitSet members = new BitSet(4096);
        if (!port.leaf("mode").orElse("ACCESS").equals("TRUNK")) {
            if (!port.leafList("allowed-vlans").isEmpty() || port.leaf("native-vlan").isPresent()) {
                throw CubeException.invalid("port " + name + ": allowed-vlans and native-vlan are for TRUNK ports");
            }
            int vlan = Integer.parseInt(port.leaf("vlan").orElse("1"));
            members.set(vlan);
            return new VlanPort(vlan, false, members);
        }
        port.leafList("allowed-vlans").forEach(v -> members.set(Integer.parseInt(v)));
        int pvid = Integer.parseInt(port.leaf("native-vlan").orElse("0"));
        if (pvid != 0 && !members.get(pvid)) {
            throw CubeException.invalid("port " + name + ": native-vlan " + pvid + " is not in allowed-vlans");
        }
        return new VlanPort(pvid, true, members);
    }

    boolean isMember(int vlan) {
        return members.get(vlan);
    }

    boolean leavesTagged(int vlan) {
        return trunk && vlan != pvid;
    }

    byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder());
        b.putShort((short) pvid).putShort((short) (trunk ? 1 : 0)).putInt(0);
        long[] words = members.toLongArray();
        for (int i = 0; i < 64; i++) {
            b.putLong(i < words.length ? words[i] : 0);
        }
        return b.array();
    }
}
