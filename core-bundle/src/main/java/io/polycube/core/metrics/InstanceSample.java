package io.polycube.core.metrics;

import static java.util.Objects.requireNonNull;

import io.polycube.core.spi.PortCounters;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One live instance at scrape time, from its kernel counters summed over CPUs: its ports', and the
 * slow-path copies its data path lost (empty when its program has no such counter).
 */
public record InstanceSample(String cubeType, String instance, Map<String, PortCounters> ports,
        OptionalLong slowPathDrops) {
    public InstanceSample {
        requireNonNull(cubeType);
        requireNonNull(instance);
        ports = Map.copyOf(ports);
        requireNonNull(slowPathDrops);
    }
}
