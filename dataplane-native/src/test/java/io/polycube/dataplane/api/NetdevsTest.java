package io.polycube.dataplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class NetdevsTest {
    @Test
    void loopbackBothWays() {
        int lo = Netdevs.ifindex("lo").orElseThrow();
        assertEquals(Optional.of("lo"), Netdevs.name(lo));
        assertEquals(OptionalInt.empty(), Netdevs.ifindex("pcn-no-such-dev"));
        assertEquals(Optional.empty(), Netdevs.name(0));
        assertEquals(Optional.empty(), Netdevs.name(Integer.MAX_VALUE));
    }
}
