package io.polycube.core.spi;

/**
 * Counters of one port, summed over CPUs: packets and bytes received (entering the cube), sent
 * (leaving through the port) and dropped (entered on the port and dropped by the cube).
 */
public record PortCounters(long rxPackets, long rxBytes, long txPackets, long txBytes, long dropPackets,
        long dropBytes) {

    public static final PortCounters ZERO = new PortCounters(0, 0, 0, 0, 0, 0);

    public PortCounters minus(PortCounters other) {
        return new PortCounters(rxPackets - other.rxPackets, rxBytes - other.rxBytes, txPackets - other.txPackets,
            txBytes - other.txBytes, dropPackets - other.dropPackets, dropBytes - other.dropBytes);
    }

    public PortCounters plus(PortCounters other) {
        return new PortCounters(rxPackets + other.rxPackets, rxBytes + other.rxBytes, txPackets + other.txPackets,
            txBytes + other.txBytes, dropPackets + other.dropPackets, dropBytes + other.dropBytes);
    }
}
