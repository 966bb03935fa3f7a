package io.polycube.core.restconf;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        ByteArrayInputStream in = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        ServletInputStream input = new ServletInputStream() {
            @Override
            public int read() {
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
                case "getParameterMap" -> Map.of();
                case "getContentType" -> contentType;
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
}
