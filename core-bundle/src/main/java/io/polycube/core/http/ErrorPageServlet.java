// SPDX-License-Identifier: Apache-2.0
// This file contains the whiteboard error page that turns the container's own 4xx/5xx answers into RFC 8040 bodies.
package io.polycube.core.http;

import io.polycube.http.errors.ErrorBodies;
import java.io.IOException;
import javax.servlet.RequestDispatcher;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * Error page of the default whiteboard context for every 4xx, 5xx and uncaught exception. The
 * {@link SecurityFilter} already answers {@code sendError} and exceptions in JSON for the requests it
 * sees; this covers the error dispatches it does not (Jetty dispatches GET, POST and HEAD only), e.g.
 * while the filter is being replaced. Answers that Jetty gives before any context (bad request line,
 * 505, 414, 431) go through {@code jetty.JsonErrorHandler}.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=pcn-error-page",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ERROR_PAGE + "=4xx",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ERROR_PAGE + "=5xx",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ERROR_PAGE + "=java.lang.Throwable"})
public final class ErrorPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value && value >= 400 ? value : 500;
        Object message = req.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String body = ErrorBodies.forStatus(status, message instanceof String text ? text : null);
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer();
        ErrorBodies.send(resp, status, body);
    }
}
