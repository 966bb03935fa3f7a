package io.polycube.core.metrics;

import io.polycube.core.spi.CubeException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The daemon's metrics in a Prometheus registry of its own (never the library's global one, so a
 * restarted component starts clean). Series of an instance go with the instance.
 */
public final class PrometheusMetrics implements Metrics {
    private static final double NANOS_PER_SECOND = 1e9;
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    private final Counter restconfRequests = counter("pcn_restconf_requests",
        "RESTCONF requests by method and final status code", "method", "status");
    private final Histogram restconfSeconds = histogram("pcn_restconf_request_duration_seconds",
        "RESTCONF request latency by method and final status code",
        new double[] {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}, "method", "status");
    private final Counter reloads = counter("pcn_ucube_reloads", "µCube reloads by result", "cube_type", "result");
    private final Histogram reloadSeconds = histogram("pcn_ucube_reload_duration_seconds",
        "µCube reload duration (compile, load, swap) by result",
        new double[] {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}, "cube_type", "result");
    private final Counter creates = counter("pcn_instance_creates", "Instance creations by result", "cube_type", "result");
    private final Histogram createSeconds = histogram("pcn_instance_create_duration_seconds",
        "Instance creation duration (load, configure, attach) by result",
        new double[] {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}, "cube_type", "result");
    private final Counter deletes = counter("pcn_instance_deletes", "Instance deletions", "cube_type");
    private final Histogram deleteSeconds = histogram("pcn_instance_delete_duration_seconds",
        "Instance deletion duration", new double[] {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}, "cube_type");
    private final Counter slowPathEvents = counter("pcn_slowpath_events",
        "packet_in records the slow path received from the instance's ring", "cube_type", "instance");
    private final Counter slowPathErrors = counter("pcn_slowpath_handler_errors",
        "packet_in records whose handler (CubeControl.packetIn) threw", "cube_type", "instance");
    private final Counter slowPathDrops = counter("pcn_slowpath_queue_drops",
        "packet_in records dropped because the cube type's slow-path queue was full (its handler is behind)",
        "cube_type", "instance");

    /** With JVM metrics (memory, threads, GC, process) when {@code jvm}. */
    public PrometheusMetrics(boolean jvm) {
        if (jvm) {
            JvmMetrics.builder().register(registry);
        }
    }

    /** Reads the instances' kernel counters from {@code source} at every scrape. */
    public void collectFrom(Supplier<List<InstanceSample>> source) {
        registry.register(new KernelCounters(source));
    }

    /** The text exposition format 0.0.4. */
    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** Collects everything now (kernel counters included) and writes it in the text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    @Override
    public <T> T instanceCreate(String cubeType, String instance, CubeCall<T> create) throws CubeException {
        long start = System.nanoTime();
        String result = "failed";
        try {
            T created = create.call();
            result = "ok";
            return created;
        } finally {
            if (!result.equals("ok")) {
                forget(cubeType, instance);
            }
            creates.labelValues(cubeType, result).inc();
            createSeconds.labelValues(cubeType, result).observe(seconds(start));
        }
    }

    @Override
    public void instanceDelete(String cubeType, String instance, Runnable delete) {
        long start = System.nanoTime();
        try {
            delete.run();
        } finally {
            // after the run: its slow-path handler has stopped, nothing re-creates the series
            forget(cubeType, instance);
            deletes.labelValues(cubeType).inc();
            deleteSeconds.labelValues(cubeType).observe(seconds(start));
        }
    }

    private void forget(String cubeType, String instance) {
        slowPathEvents.remove(cubeType, instance);
        slowPathErrors.remove(cubeType, instance);
        slowPathDrops.remove(cubeType, instance);
    }

    @Override
    public void reload(String cubeType, CubeCall<?> reload) throws CubeException {
        long start = System.nanoTime();
        ReloadResult result = ReloadResult.FAILED;
        try {
            reload.call();
            result = ReloadResult.OK;
        } catch (CubeException | RuntimeException e) {
            result = ReloadResult.of(e);
            throw e;
        } finally {
            reloads.labelValues(cubeType, result.label()).inc();
            reloadSeconds.labelValues(cubeType, result.label()).observe(seconds(start));
        }
    }

    @Override
    public Consumer<ByteBuffer> packetIns(String cubeType, String instance, Consumer<ByteBuffer> handler) {
        // the series exist (at 0) from the moment the instance listens
        slowPathEvents.initLabelValues(cubeType, instance);
        slowPathErrors.initLabelValues(cubeType, instance);
        return record -> {
            slowPathEvents.labelValues(cubeType, instance).inc();
            try {
                handler.accept(record);
            } catch (RuntimeException | Error e) {
                slowPathErrors.labelValues(cubeType, instance).inc();
                throw e;
            }
        };
    }

    @Override
    public Runnable slowPathDropped(String cubeType, String instance) {
        slowPathDrops.initLabelValues(cubeType, instance);
        var series = slowPathDrops.labelValues(cubeType, instance);
        return series::inc;
    }

    @Override
    public void restconfRequest(String method, int status, long nanos) {
        // hostile clients send any method name: keep the label set bounded
        String label = method != null && METHODS.contains(method) ? method : "OTHER";
        String code = Integer.toString(status);
        restconfRequests.labelValues(label, code).inc();
        restconfSeconds.labelValues(label, code).observe(nanos / NANOS_PER_SECOND);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / NANOS_PER_SECOND;
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    private Histogram histogram(String name, String help, double[] bounds, String... labels) {
        return Histogram.builder().name(name).help(help).labelNames(labels).classicOnly()
            .classicUpperBounds(bounds).withoutExemplars().register(registry);
    }
}
