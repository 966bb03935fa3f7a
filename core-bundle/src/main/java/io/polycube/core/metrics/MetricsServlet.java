package io.polycube.core.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** {@code GET /metrics}: the Prometheus text format, collected at the request. */
final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient PrometheusMetrics metrics;

    MetricsServlet(PrometheusMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // rendered first, so that a failed collection is a clean 500 rather than a cut-off 200
        ByteArrayOutputStream text = new ByteArrayOutputStream(16 * 1024);
        metrics.write(text);
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(metrics.contentType());
        resp.setContentLength(text.size());
        text.writeTo(resp.getOutputStream());
    }
}
