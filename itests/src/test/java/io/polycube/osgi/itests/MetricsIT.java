// SPDX-License-Identifier: Apache-2.0
// This file contains the end-to-end test of the Prometheus endpoint: real traffic, RESTCONF and reloads, scraped over HTTP.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.polycube.core.api.Polycube;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.DataplaneCode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * One simplefwd between namespaces {@code <prefix>1} (10.202.0.1) and {@code <prefix>2} (10.202.0.2), scraped
 * at {@code /metrics}. The namespaces send nothing on their own (static ARP entries, IPv6 off), so every
 * packet the cube counts is one the test sent and the port counters can be compared exactly.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MetricsIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(MetricsIT.class);
    private static final String NS_A = PREFIX + "1";
    private static final String NS_B = PREFIX + "2";
    private static final String IP_A = "10.202.0.1";
    private static final String IP_B = "10.202.0.2";
    private static final String DATA = "/restconf/data";
    private static final String CUBE = DATA + "/pcn-simplefwd:simplefwd=mfwd";
    /** An ICMP echo frame of ping's default size: Ethernet 14 + IPv4 20 + ICMP 8 + 56 data bytes. */
    private static final int PING_FRAME = 98;

    @Override
    protected Option[] additionalOptions() {
        return sharedTopology(MetricsIT.class, PREFIX, "1", "2");
    }

    /** Two quiet namespaces: IPv6 off (no router or neighbour solicitations), each other's MAC static. */
    private static Netns[] quietPair() {
        Netns a = Netns.named(NS_A).addAddress(IP_A + "/24");
        Netns b = Netns.named(NS_B).addAddress(IP_B + "/24");
        for (Netns ns : List.of(a, b)) {
            Netns.runChecked("ip", "netns", "exec", ns.name(), "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
            Netns.runChecked("ip", "netns", "exec", ns.name(), "sysctl", "-qw", "net.ipv6.conf.eth0.disable_ipv6=1");
        }
        Netns.runChecked("ip", "-n", a.name(), "neigh", "replace", IP_B, "lladdr", b.mac(), "dev", "eth0", "nud", "permanent");
        Netns.runChecked("ip", "-n", b.name(), "neigh", "replace", IP_A, "lladdr", a.mac(), "dev", "eth0", "nud", "permanent");
        return new Netns[] {a, b};
    }

    private static String simplefwd(String actionA) {
        return "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"mfwd\",\"type\":\"TC\","
                + "\"ports\":[{\"name\":\"pa\",\"peer\":\"" + NS_A + "a\"},{\"name\":\"pb\",\"peer\":\"" + NS_B + "a\"}],"
                + "\"actions\":[{\"inport\":\"pa\",\"action\":\"" + actionA + "\",\"outport\":\"pb\"},"
                + "{\"inport\":\"pb\",\"action\":\"FORWARD\",\"outport\":\"pa\"}]}]}";
    }

    private String scrape() {
        Http.Response response = http().get("/metrics");
        assertEquals(response.body(), 200, response.status());
        return response.body();
    }

    /** The value of one sample ({@code name{labels}} exactly as the text format writes it); 0 when absent. */
    private static double sample(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String port(String name, String port) {
        return name + "{cube_type=\"simplefwd\",instance=\"mfwd\",port=\"" + port + "\"}";
    }

    private static String requests(String method, int status) {
        return "pcn_restconf_requests_total{method=\"" + method + "\",status=\"" + status + "\"}";
    }

    private static String reloads(String result) {
        return "pcn_ucube_reloads_total{cube_type=\"simplefwd\",result=\"" + result + "\"}";
    }

    private static void ping(Netns from, String ip, int count, int expectReceived) {
        Netns.Result result = from.ping(ip, count);
        assertContains(result.output(), count + " packets transmitted, " + expectReceived + " received");
    }

    @Test
    public void trafficSlowPathRestconfAndReloadsShowUpAndADeletedInstanceVanishes() throws Exception {
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        Netns[] pair = quietPair();
        Netns a = pair[0];
        try {
            String before = scrape();
            assertContains(before, "# TYPE pcn_restconf_requests_total counter");
            assertContains(before, "jvm_memory_used_bytes{area=\"heap\"}");

            // RESTCONF by status: 201, 204, 400, 404 (counted by the filter, whatever the servlet does)
            assertEquals(201, http().put(CUBE, simplefwd("FORWARD")).status());
            assertEquals(400, http().patch(CUBE, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"mfwd\",").status());
            assertEquals(404, http().get(DATA + "/pcn-simplefwd:simplefwd=nobody").status());
            assertEquals(404, http().delete(DATA + "/pcn-simplefwd:simplefwd=nobody").status());

            // exactly what was sent: 5 requests in on pa and out on pb, 5 replies in on pb and out on pa
            ping(a, IP_B, 5, 5);
            String counted = scrape();
            assertEquals(counted, 5, sample(counted, port("pcn_port_rx_packets_total", "pa")), 0);
            assertEquals(counted, 5, sample(counted, port("pcn_port_tx_packets_total", "pb")), 0);
            assertEquals(counted, 5, sample(counted, port("pcn_port_rx_packets_total", "pb")), 0);
            assertEquals(counted, 5, sample(counted, port("pcn_port_tx_packets_total", "pa")), 0);
            assertEquals(counted, 5 * PING_FRAME, sample(counted, port("pcn_port_rx_bytes_total", "pa")), 0);
            assertEquals(counted, 5 * PING_FRAME, sample(counted, port("pcn_port_tx_bytes_total", "pb")), 0);
            assertEquals(counted, 0, sample(counted, port("pcn_port_drop_packets_total", "pa")), 0);
            assertContains(counted, port("pcn_port_drop_packets_total", "pa") + " ");

            // 3 dropped on pa
            assertEquals(204, http().patch(CUBE + "/actions=pa",
                    "{\"pcn-simplefwd:actions\":[{\"inport\":\"pa\",\"action\":\"DROP\"}]}").status());
            a.ping(IP_B, 3);
            String dropped = scrape();
            assertEquals(dropped, 3, sample(dropped, port("pcn_port_drop_packets_total", "pa")), 0);
            assertEquals(dropped, 3 * PING_FRAME, sample(dropped, port("pcn_port_drop_bytes_total", "pa")), 0);
            assertEquals(dropped, 8, sample(dropped, port("pcn_port_rx_packets_total", "pa")), 0);

            // the slow path: 3 requests become 3 packet_in events of mfwd, sent on by simplefwd's Java code
            String slowSeries = "pcn_slowpath_events_total{cube_type=\"simplefwd\",instance=\"mfwd\"}";
            assertEquals(204, http().patch(CUBE + "/actions=pa",
                    "{\"pcn-simplefwd:actions\":[{\"inport\":\"pa\",\"action\":\"SLOWPATH\",\"outport\":\"pb\"}]}").status());
            double slowBefore = sample(scrape(), slowSeries);
            ping(a, IP_B, 3, 3);
            String slow = scrape();
            assertEquals(slow, 3, sample(slow, slowSeries) - slowBefore, 0);
            assertEquals(slow, 0, sample(slow,
                    "pcn_slowpath_handler_errors_total{cube_type=\"simplefwd\",instance=\"mfwd\"}"), 0);
            String lost = "pcn_slowpath_drops_total{cube_type=\"simplefwd\",instance=\"mfwd\"}";
            assertContains(slow, lost + " ");
            assertEquals(slow, 0, sample(slow, lost), 0);
            String queueDrops = "pcn_slowpath_queue_drops_total{cube_type=\"simplefwd\",instance=\"mfwd\"}";
            assertContains(slow, queueDrops + " ");
            assertEquals(slow, 0, sample(slow, queueDrops), 0);

            String afterRequests = scrape();
            assertEquals(afterRequests, 1, sample(afterRequests, requests("PUT", 201)) - sample(before, requests("PUT", 201)), 0);
            assertEquals(afterRequests, 2, sample(afterRequests, requests("PATCH", 204)) - sample(before, requests("PATCH", 204)), 0);
            assertEquals(afterRequests, 1, sample(afterRequests, requests("PATCH", 400)) - sample(before, requests("PATCH", 400)), 0);
            assertEquals(afterRequests, 1, sample(afterRequests, requests("GET", 404)) - sample(before, requests("GET", 404)), 0);
            assertEquals(afterRequests, 1, sample(afterRequests, requests("DELETE", 404)) - sample(before, requests("DELETE", 404)), 0);
            assertEquals(afterRequests, sample(afterRequests, requests("PATCH", 204)), sample(afterRequests,
                    "pcn_restconf_request_duration_seconds_count{method=\"PATCH\",status=\"204\"}"), 0);

            // reloads: one good SLAVE µCube, one that does not compile, one the verifier refuses
            Polycube polycube = assertServiceAvailable(Polycube.class);
            polycube.reload("mfwd", 1, new DataplaneCode.Source("#include <pcn/cube.h>\n"
                    + "static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)\n"
                    + "{ return RX_OK; }\n"));
            refused(polycube, "#include <pcn/cube.h>\nthis is not C;\n");
            refused(polycube, "#include <pcn/cube.h>\n"
                    + "static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)\n"
                    + "{ return ((unsigned char *)(long)ctx->data)[md->packet_len]; }\n");
            String reloaded = scrape();
            assertEquals(reloaded, 1, sample(reloaded, reloads("ok")) - sample(before, reloads("ok")), 0);
            assertEquals(reloaded, 1, sample(reloaded, reloads("compile_error")) - sample(before, reloads("compile_error")), 0);
            assertEquals(reloaded, 1, sample(reloaded, reloads("verifier_error")) - sample(before, reloads("verifier_error")), 0);
            assertTrue(reloaded, sample(reloaded,
                    "pcn_ucube_reload_duration_seconds_sum{cube_type=\"simplefwd\",result=\"ok\"}") > 0);
            assertEquals(reloaded, 1, sample(reloaded,
                    "pcn_instance_creates_total{cube_type=\"simplefwd\",result=\"ok\"}")
                    - sample(before, "pcn_instance_creates_total{cube_type=\"simplefwd\",result=\"ok\"}"), 0);
        } finally {
            http().delete(CUBE);
            for (Netns ns : pair) {
                ns.close();
            }
        }
        String gone = scrape();
        assertFalse(gone, gone.contains("instance=\"mfwd\""));
        assertTrue(gone, sample(gone, "pcn_instance_deletes_total{cube_type=\"simplefwd\"}") >= 1);
    }

    private static void refused(Polycube polycube, String source) {
        try {
            polycube.reload("mfwd", 0, new DataplaneCode.Source(source));
            fail("reload must be refused: " + source);
        } catch (CubeException expected) {
            // counted by result; the old program keeps running
        }
    }
}
