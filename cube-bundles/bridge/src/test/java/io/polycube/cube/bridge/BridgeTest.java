package io.polycube.cube.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.spi.CubeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeTest {
    @Test
    void portVlansAndWhatYangCannotRefuse() throws Exception {
        VlanPort access = VlanPort.of(BridgeDataPathTest.port("a", "ACCESS", "10", List.of(), null));
        assertTrue(access.isMember(10));
        assertFalse(access.isMember(20));
        assertFalse(access.leavesTagged(10));
        VlanPort trunk = VlanPort.of(BridgeDataPathTest.port("t", "TRUNK", "1", List.of("10", "20"), "20"));
        assertTrue(trunk.leavesTagged(10));
        assertFalse(trunk.leavesTagged(20), "native VLAN leaves untagged");
        assertFalse(trunk.isMember(1));
        CubeException notAllowed = assertThrows(CubeException.class,
            () -> VlanPort.of(BridgeDataPathTest.port("t", "TRUNK", "1", List.of("10"), "20")));
        assertTrue(notAllowed.getMessage().contains("native-vlan 20 is not in allowed-vlans"), notAllowed.getMessage());
        assertThrows(CubeException.class, () -> VlanPort.of(BridgeDataPathTest.port("a", "ACCESS", "10", List.of("10"), null)));
        assertEquals(VlanPort.SIZE, trunk.bytes().length);
    }

    @Test
    void slowPathCopiesAreTaggedPerPort() {
        byte[] a = {2, 0, 0, 0, 0, 0xa};
        byte[] b = {2, 0, 0, 0, 0, 0xb};
        byte[] bare = BridgeDataPathTest.frame(b, a);
        byte[] tagged = BridgeDataPathTest.tagged(b, a, 10);
        assertArrayEquals(tagged, Bridge.frame(bare, 10, true));
        assertArrayEquals(bare, Bridge.frame(tagged, 10, false));
        assertArrayEquals(tagged, Bridge.frame(BridgeDataPathTest.tagged(b, a, 30), 10, true), "the VLAN's tag");
    }
}
