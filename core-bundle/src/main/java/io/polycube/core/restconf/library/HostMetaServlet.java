package io.polycube.core.restconf.library;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * RFC 8040 §3.1 root discovery (RFC 6415 host-meta): {@code /.well-known/host-meta} as XRD and
 * {@code /.well-known/host-meta.json} as JRD, both naming {@code /restconf} as the RESTCONF root.
 */
public final class HostMetaServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    public static final String[] PATTERNS = {"/.well-known/host-meta", "/.well-known/host-meta.json"};

    static final String XRD = "<?xml version='1.0' encoding='UTF-8'?>\n"
        + "<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>\n"
        + "  <Link rel='restconf' href='/restconf'/>\n"
        + "</XRD>\n";
    static final String JRD = "{\"links\":[{\"rel\":\"restconf\",\"href\":\"/restconf\"}]}";

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean json = req.getRequestURI() != null && req.getRequestURI().endsWith(".json");
        String method = req.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            resp.setStatus(405);
            resp.setHeader("Allow", "GET, HEAD");
            return;
        }
        byte[] body = (json ? JRD : XRD).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType(json ? "application/json" : "application/xrd+xml");
        resp.setContentLength(body.length);
        if (method.equals("GET")) {
            resp.getOutputStream().write(body);
        }
    }
}
