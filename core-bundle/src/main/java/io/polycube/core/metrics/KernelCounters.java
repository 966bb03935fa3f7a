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
 * The counters the data path keeps in the kernel, for every live instance, read when scraped (one read
 * of each instance's per-CPU tables for all series): per port, and the slow-path copies lost. A deleted
 * instance or port is simply absent.
 */
final class KernelCounters implements MultiCollector {
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

    private static final String SLOWPATH_DROPS = "pcn_slowpath_drops";

    KernelCounters(Supplier<List<InstanceSample>> source) {
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
        CounterSnapshot.Builder drops = CounterSnapshot.builder().name(SLOWPATH_DROPS)
            .help("Slow-path copies the data path could not hand over (ring full); the packets are port drops too");
        for (InstanceSample sample : samples) {
            sample.slowPathDrops().ifPresent(value -> drops.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .value(unsigned(value)).labels(Labels.of("cube_type", sample.cubeType(), "instance", sample.instance()))
                .build()));
        }
        snapshots.add(drops.build());
        return new MetricSnapshots(snapshots);
    }

    private static double unsigned(long value) {
        return value >= 0 ? value : Double.parseDouble(Long.toUnsignedString(value));
    }

    @Override
    public List<String> getPrometheusNames() {
        List<String> names = new ArrayList<>(SERIES.stream().map(Series::name).toList());
        names.add(SLOWPATH_DROPS);
        return names;
    }
}
