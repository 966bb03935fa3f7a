package io.polycube.core.metrics;

import io.polycube.core.spi.PortCounters;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The per-port counters of every live instance, read from the kernel when scraped (one read of each
 * instance's per-CPU table for all six series), so a deleted instance or port is simply absent.
 */
final class PortCollector implements MultiCollector {
    private record Series(String name, String help, ToLongFunction<PortCounters> value) {
    }

    private static final List<Series> SERIES = List.of(
        new Series("pcn_port_rx_packets", "Packets that entered the cube through the port", PortCounters::rxPackets),
        new Series("pcn_port_rx_bytes", "Bytes that entered the cube through the port", PortCounters::rxBytes),
        new Series("pcn_port_tx_packets", "Packets that left the cube through the port", PortCounters::txPackets),
        new Series("pcn_port_tx_bytes", "Bytes that left the cube through the port", PortCounters::txBytes),
        new Series("pcn_port_drop_packets", "Packets that entered through the port and were dropped by the cube",
            PortCounters::dropPackets),
        new Series("pcn_port_drop_bytes", "Bytes of the packets that entered through the port and were dropped",
            PortCounters::dropBytes));

    private final Supplier<List<InstanceSample>> source;

    PortCollector(Supplier<List<InstanceSample>> source) {
        this.source = source;
    }

    @Override
    public MetricSnapshots collect() {
        List<InstanceSample> samples = source.get();
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (Series series : SERIES) {
            CounterSnapshot.Builder builder = CounterSnapshot.builder().name(series.name()).help(series.help());
            for (InstanceSample sample : samples) {
                for (Map.Entry<String, PortCounters> port : sample.ports().entrySet()) {
                    // uint64 in the kernel; a double holds it exactly up to 2^53
                    builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .value(unsigned(series.value().applyAsLong(port.getValue())))
                        .labels(Labels.of("cube_type", sample.cubeType(), "instance", sample.instance(),
                            "port", port.getKey()))
                        .build());
                }
            }
            snapshots.add(builder.build());
        }
        return new MetricSnapshots(snapshots);
    }

    private static double unsigned(long value) {
        return value >= 0 ? value : Double.parseDouble(Long.toUnsignedString(value));
    }

    @Override
    public List<String> getPrometheusNames() {
        return SERIES.stream().map(Series::name).toList();
    }
}
