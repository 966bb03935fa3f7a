package io.polycube.core.metrics;

import java.io.IOException;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Counts every request to {@code /restconf/*} by method and final status, with its latency. A
 * servlet (or inner filter) that throws leaves the container to answer 500, so that is what is
 * counted unless the response was already committed with another status.
 */
final class RestconfMetricsFilter implements Filter {
    private final Metrics metrics;

    RestconfMetricsFilter(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse resp)) {
            chain.doFilter(request, response);
            return;
        }
        long start = System.nanoTime();
        boolean threw = true;
        try {
            chain.doFilter(request, response);
            threw = false;
        } finally {
            int status = threw && !resp.isCommitted() ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : resp.getStatus();
            metrics.restconfRequest(req.getMethod(), status, System.nanoTime() - start);
        }
    }
}
