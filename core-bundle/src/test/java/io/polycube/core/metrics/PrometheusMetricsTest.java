package io.polycube.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.PortCounters;
import io.polycube.dataplane.api.CompileException;
import io.polycube.dataplane.api.VerifierException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The registry rendered in the text format with known values, parsed back and checked sample by sample. */
class PrometheusMetricsTest {
    private final List<InstanceSample> live = new CopyOnWriteArrayList<>();
    private final PrometheusMetrics metrics = new PrometheusMetrics(false);

    PrometheusMetricsTest() {
        metrics.collectFrom(() -> List.copyOf(live));
    }

    private Exposition scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return Exposition.parse(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void portCountersAreReadAtScrapeTimeAndLabelled() throws Exception {
        long big = (1L << 40) + 7;
        live.add(new InstanceSample("simplefwd", "fwd1", Map.of(
            "p1", new PortCounters(10, 1000, 9, 900, 1, 100),
            "p2", new PortCounters(big, 2, 3, 4, 5, 6)), OptionalLong.of(4)));
        live.add(new InstanceSample("protofilter", "pf1", Map.of(), OptionalLong.empty()));
        Exposition e = scrape();
        String[] p1 = {"cube_type", "simplefwd", "instance", "fwd1", "port", "p1"};
        assertEquals(10, e.get("pcn_port_rx_packets_total", p1));
        assertEquals(1000, e.get("pcn_port_rx_bytes_total", p1));
        assertEquals(9, e.get("pcn_port_tx_packets_total", p1));
        assertEquals(900, e.get("pcn_port_tx_bytes_total", p1));
        assertEquals(1, e.get("pcn_port_drop_packets_total", p1));
        assertEquals(100, e.get("pcn_port_drop_bytes_total", p1));
        assertEquals((double) big, e.get("pcn_port_rx_packets_total", "cube_type", "simplefwd", "instance", "fwd1",
            "port", "p2"));
        assertTrue(e.text().contains("# TYPE pcn_port_rx_packets_total counter"), e.text());
        assertEquals(4, e.get("pcn_slowpath_drops_total", "cube_type", "simplefwd", "instance", "fwd1"));
        assertTrue(e.value("pcn_slowpath_drops_total", "cube_type", "protofilter", "instance", "pf1").isEmpty(),
            "no counter in its program: no sample");

        // the next scrape reads again: new values, and a removed port is gone
        live.set(0, new InstanceSample("simplefwd", "fwd1", Map.of("p1", new PortCounters(11, 1100, 9, 900, 1, 100)),
            OptionalLong.of(4)));
        Exposition again = scrape();
        assertEquals(11, again.get("pcn_port_rx_packets_total", p1));
        assertTrue(again.value("pcn_port_rx_packets_total", "cube_type", "simplefwd", "instance", "fwd1", "port", "p2")
            .isEmpty());
    }

    @Test
    void slowPathEventsAndHandlerErrorsPerInstanceGoWithTheInstance() throws Exception {
        List<Integer> handled = new ArrayList<>();
        Consumer<ByteBuffer> handler = metrics.packetIns("simplefwd", "slow", record -> {
            if (record.get(0) == 13) {
                throw new IllegalStateException("cube bug");
            }
            handled.add((int) record.get(0));
        });
        String[] slow = {"cube_type", "simplefwd", "instance", "slow"};
        assertEquals(0, scrape().get("pcn_slowpath_events_total", slow), "present at 0 once listening");
        handler.accept(ByteBuffer.wrap(new byte[] {1}));
        handler.accept(ByteBuffer.wrap(new byte[] {2}));
        assertThrows(IllegalStateException.class, () -> handler.accept(ByteBuffer.wrap(new byte[] {13})));
        assertEquals(List.of(1, 2), handled);
        Exposition e = scrape();
        assertEquals(3, e.get("pcn_slowpath_events_total", slow));
        assertEquals(1, e.get("pcn_slowpath_handler_errors_total", slow));

        metrics.instanceDelete("simplefwd", "slow", () -> { });
        Exposition after = scrape();
        assertFalse(after.text().contains("instance=\"slow\""), after.text());
        assertEquals(1, after.get("pcn_instance_deletes_total", "cube_type", "simplefwd"));
        assertEquals(1, after.get("pcn_instance_delete_duration_seconds_count", "cube_type", "simplefwd"));
    }

    @Test
    void reloadsAreCountedByResultWithDurations() throws Exception {
        metrics.reload("simplefwd", () -> null);
        metrics.reload("simplefwd", () -> null);
        CubeException compile = new CubeException(CubeException.Kind.INVALID_VALUE, "clang failed",
            new CompileException("clang failed", "x.c:1: error"));
        assertThrows(CubeException.class, () -> metrics.reload("simplefwd", () -> {
            throw compile;
        }));
        CubeException verifier = new CubeException(CubeException.Kind.INVALID_VALUE, "verifier",
            new VerifierException("pcn_chain", "R1 invalid mem access", 13));
        assertThrows(CubeException.class, () -> metrics.reload("simplefwd", () -> {
            throw verifier;
        }));
        assertThrows(CubeException.class, () -> metrics.reload("simplefwd", () -> {
            throw CubeException.invalid("µCube index 64");
        }));
        Exposition e = scrape();
        assertEquals(2, e.get("pcn_ucube_reloads_total", "cube_type", "simplefwd", "result", "ok"));
        assertEquals(1, e.get("pcn_ucube_reloads_total", "cube_type", "simplefwd", "result", "compile_error"));
        assertEquals(1, e.get("pcn_ucube_reloads_total", "cube_type", "simplefwd", "result", "verifier_error"));
        assertEquals(1, e.get("pcn_ucube_reloads_total", "cube_type", "simplefwd", "result", "failed"));
        assertEquals(2, e.get("pcn_ucube_reload_duration_seconds_count", "cube_type", "simplefwd", "result", "ok"));
        assertEquals(2, e.get("pcn_ucube_reload_duration_seconds_bucket", "cube_type", "simplefwd", "result", "ok",
            "le", "+Inf"));
    }

    @Test
    void restconfRequestsByMethodAndStatusWithLatencyBuckets() throws Exception {
        metrics.restconfRequest("GET", 200, 2_000_000);      // 2 ms
        metrics.restconfRequest("GET", 200, 200_000_000);    // 200 ms
        metrics.restconfRequest("PUT", 201, 1_000_000);
        metrics.restconfRequest("POST", 400, 1_000_000);
        metrics.restconfRequest("get", 400, 1_000_000);       // not a method: one bounded label
        metrics.restconfRequest("BREW", 400, 1_000_000);
        Exposition e = scrape();
        assertEquals(2, e.get("pcn_restconf_requests_total", "method", "GET", "status", "200"));
        assertEquals(1, e.get("pcn_restconf_requests_total", "method", "PUT", "status", "201"));
        assertEquals(1, e.get("pcn_restconf_requests_total", "method", "POST", "status", "400"));
        assertEquals(2, e.get("pcn_restconf_requests_total", "method", "OTHER", "status", "400"));
        String[] get200 = {"method", "GET", "status", "200"};
        assertEquals(0.202, e.get("pcn_restconf_request_duration_seconds_sum", get200), 1e-9);
        assertEquals(1, e.get("pcn_restconf_request_duration_seconds_bucket", "method", "GET", "status", "200",
            "le", "0.0025"));
        assertEquals(1, e.get("pcn_restconf_request_duration_seconds_bucket", "method", "GET", "status", "200",
            "le", "0.1"));
        assertEquals(2, e.get("pcn_restconf_request_duration_seconds_bucket", "method", "GET", "status", "200",
            "le", "0.25"));
    }

    @Test
    void failedCreatesLeaveNoInstanceSeries() throws Exception {
        assertEquals("made", metrics.instanceCreate("simplefwd", "ok1", () -> {
            metrics.packetIns("simplefwd", "ok1", r -> { });
            return "made";
        }));
        assertThrows(CubeException.class, () -> metrics.instanceCreate("simplefwd", "bad1", () -> {
            metrics.packetIns("simplefwd", "bad1", r -> { });
            throw CubeException.invalid("no such netdev");
        }));
        Exposition e = scrape();
        assertEquals(1, e.get("pcn_instance_creates_total", "cube_type", "simplefwd", "result", "ok"));
        assertEquals(1, e.get("pcn_instance_creates_total", "cube_type", "simplefwd", "result", "failed"));
        assertEquals(1, e.get("pcn_instance_create_duration_seconds_count", "cube_type", "simplefwd", "result", "ok"));
        assertEquals(0, e.get("pcn_slowpath_events_total", "cube_type", "simplefwd", "instance", "ok1"));
        assertFalse(e.text().contains("bad1"), e.text());
    }

    @Test
    void jvmMetricsComeWithTheLibrary() throws Exception {
        PrometheusMetrics withJvm = new PrometheusMetrics(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        withJvm.write(out);
        Exposition e = Exposition.parse(out.toString(StandardCharsets.UTF_8));
        assertTrue(e.get("jvm_memory_used_bytes", "area", "heap") > 0);
        assertTrue(e.get("jvm_threads_current") > 0);
        assertTrue(e.text().contains("jvm_gc_collection_seconds_count{gc="), e.text());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", withJvm.contentType());
    }
}
