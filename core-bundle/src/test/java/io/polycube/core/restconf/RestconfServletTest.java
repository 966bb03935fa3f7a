package io.polycube.core.restconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

/** The servlet only maps requests: checked with plain proxies of the servlet API, no container. */
class RestconfServletTest {
    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private static Answer call(RestconfServlet servlet, String method, String uri, String contentType, String body)
            throws Exception {
        return call(servlet, method, uri, null, contentType == null ? Map.of() : Map.of("Content-Type", contentType),
            body, false);
    }

    private static Answer call(RestconfServlet servlet, String method, String uri, String queryString,
            Map<String, String> requestHeaders, String body, boolean cutShort) throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        ServletInputStream input = new ServletInputStream() {
            @Override
            public int read() throws java.io.IOException {
                if (cutShort && in.available() == 0) {
                    throw new java.io.EOFException("early EOF");
                }
                return in.read();
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }
        };
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(RestconfServletTest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                case "getMethod" -> method;
                case "getRequestURI" -> uri;
                case "getContextPath" -> "";
                case "getServletPath" -> "/restconf";
                case "getPathInfo" -> java.net.URLDecoder.decode(uri.substring("/restconf".length()),
                    StandardCharsets.UTF_8);
                case "getParameterMap" -> throw new AssertionError("query parameters come from the raw query string");
                case "getParameter", "getParameterValues", "getParameterNames" ->
                    throw new AssertionError("query parameters come from the raw query string");
                case "getQueryString" -> queryString;
                case "getHeaders" -> java.util.Collections.enumeration(requestHeaders.containsKey((String) args[0])
                    ? java.util.List.of(requestHeaders.get((String) args[0])) : java.util.List.<String>of());
                case "getContentType" -> requestHeaders.get("Content-Type");
                case "getInputStream" -> input;
                default -> null;
            });
        int[] status = {0};
        Map<String, String> headers = new HashMap<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServletOutputStream output = new ServletOutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        };
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(RestconfServletTest.class.getClassLoader(),
            new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                switch (m.getName()) {
                    case "setStatus" -> status[0] = (Integer) args[0];
                    case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                    case "setContentLength" -> headers.put("Content-Length", String.valueOf(args[0]));
                    case "getOutputStream" -> {
                        return output;
                    }
                    default -> {
                    }
                }
                return null;
            });
        servlet.service(request, response);
        return new Answer(status[0], headers, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void mapsMethodsIncludingPatchAndKeepsPercentEncoding() throws Exception {
        RestconfServlet servlet = new RestconfServlet(new Fixture().service);
        String json = Fixture.JSON;
        assertEquals(201, call(servlet, "POST", "/restconf/data", json,
            "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"ports\":[{\"name\":\"p.1\"}]}]}").status());
        Answer patched = call(servlet, "PATCH", "/restconf/data/pcn-simplefwd:simplefwd=fwd1/ports=p%2E1", json,
            "{\"pcn-simplefwd:ports\":[{\"name\":\"p.1\",\"peer\":\"veth0\"}]}");
        assertEquals(204, patched.status(), patched::toString);
        Answer read = call(servlet, "GET", "/restconf/data/pcn-simplefwd:simplefwd=fwd1/ports=p.1/peer", null, "");
        assertEquals(200, read.status());
        assertEquals(json, read.headers().get("Content-Type"));
        assertEquals("{\"pcn-simplefwd:peer\":\"veth0\"}", read.body());
        Answer wrongType = call(servlet, "PUT", "/restconf/data/pcn-simplefwd:simplefwd=fwd1", "text/plain", "x");
        assertEquals(415, wrongType.status());
    }

    @Test
    void formBodyIsNotQueryParametersAndTheRawQueryIsStrict() throws Exception {
        RestconfServlet servlet = new RestconfServlet(new Fixture().service);
        String form = "application/x-www-form-urlencoded";
        Answer formPost = call(servlet, "POST", "/restconf/data", null, Map.of("Content-Type", form),
            "content=config", false);
        assertEquals(415, formPost.status(), formPost::toString);
        Answer noType = call(servlet, "POST", "/restconf/data", null, Map.of(),
            "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\"}]}", false);
        assertEquals(415, noType.status(), noType::toString);
        assertEquals(200, call(servlet, "GET", "/restconf/data", "content=config&depth=2", Map.of(), "", false)
            .status());
        assertEquals(400, call(servlet, "GET", "/restconf/data", "depth=1&depth=2", Map.of(), "", false).status());
        assertEquals(400, call(servlet, "GET", "/restconf/data", "colour=red", Map.of(), "", false).status());
        assertEquals(400, call(servlet, "GET", "/restconf/data", "depth=%zz", Map.of(), "", false).status());
        Answer lower = call(servlet, "get", "/restconf/data", null, Map.of(), "", false);
        assertEquals(501, lower.status());
        assertTrue(lower.body().contains("ietf-restconf:errors"));
        Answer cut = call(servlet, "POST", "/restconf/data", null, Map.of("Content-Type", Fixture.JSON),
            "{\"pcn-simplefwd:simplefwd\":[", true);
        assertEquals(400, cut.status(), cut::toString);
        assertTrue(cut.body().contains("malformed-message"));
    }

    @Test
    void headSendsTheHeadersOfGetWithoutBody() throws Exception {
        Fixture fx = new Fixture();
        RestconfServlet servlet = new RestconfServlet(fx.service);
        Fixture.ok(fx.send("POST", "/data", "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\"}]}"), 201);
        Answer get = call(servlet, "GET", "/restconf/data/pcn-simplefwd:simplefwd=fwd1", null, Map.of(), "", false);
        Answer head = call(servlet, "HEAD", "/restconf/data/pcn-simplefwd:simplefwd=fwd1", null, Map.of(), "", false);
        assertEquals(200, head.status());
        assertEquals("", head.body());
        assertEquals(get.headers(), head.headers());
        assertEquals(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length),
            head.headers().get("Content-Length"));
    }
}
