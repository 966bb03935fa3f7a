package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The HTTP face of {@link RestconfService}; register it at {@code /restconf/*}. Every method,
 * PATCH and unknown ones included, goes through {@link #service}. Query parameters come from the raw
 * query string only: a form body is a body (415), never parameters.
 */
public final class RestconfServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final List<String> HEADERS = List.of("Content-Type", "Accept", "If-Match", "If-None-Match",
        "If-Modified-Since", "If-Unmodified-Since");

    private final transient RestconfService service;

    public RestconfServlet(RestconfService service) {
        this.service = requireNonNull(service);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        RestconfResponse answer = answer(req);
        resp.setStatus(answer.status());
        answer.headers().forEach((name, value) -> {
            if (name.equals("Content-Length")) {
                resp.setContentLength(Integer.parseInt(value));
            } else {
                resp.setHeader(name, value);
            }
        });
        if (!answer.body().isEmpty()) {
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }

    private RestconfResponse answer(HttpServletRequest req) {
        String method = req.getMethod();
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        String raw = req.getRequestURI();
        // Keep percent-encoding of list keys: take the undecoded path after the servlet path.
        String prefix = req.getContextPath() + req.getServletPath();
        if (raw != null && raw.startsWith(prefix)) {
            path = raw.substring(prefix.length());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : HEADERS) {
            List<String> values = req.getHeaders(name) == null ? List.of() : Collections.list(req.getHeaders(name));
            if (!values.isEmpty()) {
                headers.put(name, String.join(", ", values));
            }
        }
        try {
            Map<String, List<String>> query = RestconfRequest.parseQuery(req.getQueryString());
            String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return service.handle(new RestconfRequest(method, path, query, headers, body));
        } catch (RestconfException e) {
            return errorAnswer(e);
        } catch (IOException e) {
            // A cut-short or malformed (chunked) body: the client's fault, never a 500 or a container page.
            return errorAnswer(RestconfException.badRequest("malformed-message", null,
                "the request body could not be read completely"));
        }
    }

    private static RestconfResponse errorAnswer(RestconfException e) {
        return new RestconfResponse(e.status(), Map.of("Content-Type", RestconfService.YANG_DATA_JSON), Errors.body(e));
    }
}
