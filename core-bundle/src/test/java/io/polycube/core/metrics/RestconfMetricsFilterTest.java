package io.polycube.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

/** The filter records the final status, also when the servlet behind it throws (plain proxies, no container). */
class RestconfMetricsFilterTest {
    private record Seen(String method, int status, long nanos) {
    }

    private final List<Seen> seen = new ArrayList<>();
    private final RestconfMetricsFilter filter = new RestconfMetricsFilter(new Metrics() {
        @Override
        public void restconfRequest(String method, int status, long nanos) {
            seen.add(new Seen(method, status, nanos));
        }
    });

    private static HttpServletRequest request(String method) {
        return (HttpServletRequest) Proxy.newProxyInstance(RestconfMetricsFilterTest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> m.getName().equals("getMethod") ? method : null);
    }

    /** A response whose status the chain sets; {@code committed} as the container would report it. */
    private static HttpServletResponse response(int[] status, boolean committed) {
        return (HttpServletResponse) Proxy.newProxyInstance(RestconfMetricsFilterTest.class.getClassLoader(),
            new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
                case "setStatus" -> {
                    status[0] = (Integer) args[0];
                    yield null;
                }
                case "getStatus" -> status[0];
                case "isCommitted" -> committed;
                default -> null;
            });
    }

    @Test
    void recordsTheStatusTheServletSet() throws Exception {
        int[] status = {200};
        FilterChain chain = (req, resp) -> ((HttpServletResponse) resp).setStatus(404);
        filter.doFilter(request("DELETE"), response(status, false), chain);
        assertEquals(1, seen.size());
        assertEquals("DELETE", seen.get(0).method());
        assertEquals(404, seen.get(0).status());
        assertTrue(seen.get(0).nanos() >= 0);
    }

    @Test
    void aThrowingServletIsCountedAsTheContainersFiveHundred() {
        int[] status = {200};
        FilterChain chain = (req, resp) -> {
            throw new ServletException("boom");
        };
        assertThrows(ServletException.class, () -> filter.doFilter(request("PATCH"), response(status, false), chain));
        assertEquals(List.of(500), seen.stream().map(Seen::status).toList());
    }

    @Test
    void aThrowAfterTheResponseWasCommittedKeepsItsStatus() {
        int[] status = {201};
        FilterChain chain = (req, resp) -> {
            throw new IllegalStateException("late");
        };
        assertThrows(IllegalStateException.class, () -> filter.doFilter(request("PUT"), response(status, true), chain));
        assertEquals(List.of(201), seen.stream().map(Seen::status).toList());
    }
}
