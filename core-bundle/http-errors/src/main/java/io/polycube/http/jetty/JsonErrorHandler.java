// SPDX-License-Identifier: Apache-2.0
// This file contains Jetty's server-level error handler, writing RFC 8040 JSON instead of HTML pages.
package io.polycube.http.jetty;

import io.polycube.http.errors.ErrorBodies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Answers Jetty gives before any servlet context: a request line or header Jetty's parser refuses
 * ({@link #badMessageError}: 400 for CR/LF in the URL, 505 for {@code HTTP/1.2}, 414, 431) and errors
 * raised outside a context. Always JSON, whatever the client accepts; never a stack trace.
 */
public final class JsonErrorHandler extends ErrorHandler {
    public JsonErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        byte[] bytes = ErrorBodies.forStatus(code, message).getBytes(StandardCharsets.UTF_8);
        response.setContentType(ErrorBodies.MEDIA_TYPE);
        response.setContentLength(bytes.length);
        try {
            response.getOutputStream().write(bytes);
        } catch (IllegalStateException writerInUse) {
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(new String(bytes, StandardCharsets.UTF_8));
        }
        baseRequest.setHandled(true);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ErrorBodies.MEDIA_TYPE);
        return ByteBuffer.wrap(ErrorBodies.forStatus(status, reason).getBytes(StandardCharsets.UTF_8));
    }
}
