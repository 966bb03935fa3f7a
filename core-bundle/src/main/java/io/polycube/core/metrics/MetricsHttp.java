package io.polycube.core.metrics;

import java.util.Dictionary;
import java.util.Hashtable;
import javax.servlet.Filter;
import javax.servlet.Servlet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * Publishes the metrics to the HTTP whiteboard (default context): the servlet at {@code /metrics} and
 * the RESTCONF request filter on {@code /restconf/*}. Closing withdraws both; never throws.
 */
public final class MetricsHttp implements AutoCloseable {
    /**
     * The filter's ranking: high, so it is the outermost filter on {@code /restconf/*} and also counts
     * what filters inside it answer (an authentication filter's 401, a body limit's 413).
     */
    static final int FILTER_RANKING = 1000;

    private final ServiceRegistration<Servlet> servlet;
    private final ServiceRegistration<Filter> filter;

    private MetricsHttp(ServiceRegistration<Servlet> servlet, ServiceRegistration<Filter> filter) {
        this.servlet = servlet;
        this.filter = filter;
    }

    public static MetricsHttp publish(BundleContext context, PrometheusMetrics metrics) {
        Dictionary<String, Object> servletProps = new Hashtable<>();
        servletProps.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, "/metrics");
        servletProps.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "pcn-metrics");
        ServiceRegistration<Servlet> servlet = context.registerService(Servlet.class, new MetricsServlet(metrics),
            servletProps);
        Dictionary<String, Object> filterProps = new Hashtable<>();
        filterProps.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN, "/restconf/*");
        filterProps.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME, "pcn-restconf-metrics");
        filterProps.put(Constants.SERVICE_RANKING, FILTER_RANKING);
        try {
            return new MetricsHttp(servlet, context.registerService(Filter.class, new RestconfMetricsFilter(metrics),
                filterProps));
        } catch (RuntimeException e) {
            servlet.unregister();
            throw e;
        }
    }

    @Override
    public void close() {
        for (ServiceRegistration<?> registration : new ServiceRegistration<?>[] {filter, servlet}) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework has unregistered it
            }
        }
    }
}
