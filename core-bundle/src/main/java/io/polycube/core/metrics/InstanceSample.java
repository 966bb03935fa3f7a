package io.polycube.core.metrics;

import static java.util.Objects.requireNonNull;

import io.polycube.core.spi.PortCounters;
import java.util.Map;

/** One live instance at scrape time: its ports' kernel counters, summed over CPUs. */
public record InstanceSample(String cubeType, String instance, Map<String, PortCounters> ports) {
    public InstanceSample {
        requireNonNull(cubeType);
        requireNonNull(instance);
        ports = Map.copyOf(ports);
    }
}
