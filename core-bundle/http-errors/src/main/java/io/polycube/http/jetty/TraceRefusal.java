// SPDX-License-Identifier: Apache-2.0
// This file contains the Jetty handler that refuses TRACE with an RFC 8040 error body.
package io.polycube.http.jetty;

import io.polycube.http.errors.ErrorBodies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.AbstractHandler;

/**
 * TRACE would echo the request (credentials included). Pax Web's servlet handler refuses it before any
 * filter with a bare 405 whose body the context's error handler leaves empty (Jetty writes error pages for
 * GET, POST and HEAD only). Pax Web runs {@link Handler} services ranked above 0 before its contexts, so
 * this one answers first: 405 with an RFC 8040 body, nothing of the request echoed, whatever the path
 * and whether or not the client logged in (there is nothing to protect in a refusal).
 */
final class TraceRefusal extends AbstractHandler {
    private static final byte[] BODY = ErrorBodies.forStatus(405, "TRACE is not supported")
        .getBytes(StandardCharsets.UTF_8);
    private final JsonErrorHandlerInstaller errors;

    /** {@code errors}: given each server this handler joins (one Handler service: one Jetty restart at most). */
    TraceRefusal(JsonErrorHandlerInstaller errors) {
        this.errors = errors;
    }

    @Override
    public void setServer(Server server) {
        super.setServer(server);
        if (server != null) {
            errors.install(server);
        }
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (baseRequest.isHandled() || !"TRACE".equals(request.getMethod())) {
            return;
        }
        response.setStatus(405);
        response.setContentType(ErrorBodies.MEDIA_TYPE);
        response.setContentLength(BODY.length);
        response.getOutputStream().write(BODY);
        baseRequest.setHandled(true);
    }
}
