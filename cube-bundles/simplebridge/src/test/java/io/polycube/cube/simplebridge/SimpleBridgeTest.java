package io.polycube.cube.simplebridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The flush action's address parsing. */
class SimpleBridgeTest {
    @Test
    void macAddressesParseOrAreRefused() {
        assertArrayEquals(new byte[] {2, 0, 0, 0, (byte) 0xab, (byte) 0xCD}, SimpleBridge.mac("02:00:00:00:ab:CD"));
        assertNull(SimpleBridge.mac("02:00"));
        assertNull(SimpleBridge.mac("02:00:00:00:00:0g"));
        assertNull(SimpleBridge.mac("02-00-00-00-00-01"));
    }
}
