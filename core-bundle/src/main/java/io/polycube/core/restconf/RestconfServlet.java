package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The HTTP face of {@link RestconfService}; register it at {@code /restconf/*}. Every method,
 * PATCH included, goes through {@link #service}.
 */
public final class RestconfServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient RestconfService service;

    public RestconfServlet(RestconfService service) {
        this.service = requireNonNull(service);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        String raw = req.getRequestURI();
        // Keep percent-encoding of list keys: take the undecoded path after the servlet path.
        String prefix = req.getContextPath() + req.getServletPath();
        if (raw != null && raw.startsWith(prefix)) {
            path = raw.substring(prefix.length());
        }
        Map<String, String> query = new LinkedHashMap<>();
        req.getParameterMap().forEach((k, v) -> query.put(k, v.length == 0 ? "" : v[0]));
        String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        RestconfResponse answer = service.handle(req.getMethod(), path, query, req.getContentType(), body);
        resp.setStatus(answer.status());
        answer.headers().forEach(resp::setHeader);
        if (!answer.body().isEmpty()) {
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }
}
