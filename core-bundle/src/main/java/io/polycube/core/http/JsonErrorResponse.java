// SPDX-License-Identifier: Apache-2.0
// This file contains the response wrapper that turns a servlet's sendError into an RFC 8040 body.
package io.polycube.core.http;

import io.polycube.http.errors.ErrorBodies;
import java.io.IOException;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;

/**
 * {@code sendError} writes an RFC 8040 body here, for every method. Jetty's error page dispatch serves
 * only GET, POST and HEAD: a PUT or DELETE to a path nobody serves got a 404 with an empty body.
 */
final class JsonErrorResponse extends HttpServletResponseWrapper {
    JsonErrorResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public void sendError(int status) throws IOException {
        sendError(status, null);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        if (isCommitted()) {
            throw new IllegalStateException("response already committed");
        }
        resetBuffer();
        ErrorBodies.send((HttpServletResponse) getResponse(), status, ErrorBodies.forStatus(status, message));
        flushBuffer();
    }
}
