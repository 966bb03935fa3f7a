// SPDX-License-Identifier: Apache-2.0
// This file contains the RFC 8040 error bodies of the HTTP layer (before and around the RESTCONF servlet).
package io.polycube.http.errors;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletResponse;

/** {@code ietf-restconf:errors} bodies for statuses the HTTP layer produces itself. */
public final class ErrorBodies {
    public static final String MEDIA_TYPE = "application/yang-data+json";
    private static final int MAX_MESSAGE = 200;

    private ErrorBodies() {
    }

    /** One error; {@code message} is shown to the client as is, so never pass exception texts of 5xx. */
    public static String body(String errorType, String errorTag, String message) {
        JsonObject entry = new JsonObject();
        entry.addProperty("error-type", errorType);
        entry.addProperty("error-tag", errorTag);
        entry.addProperty("error-message", message);
        JsonArray list = new JsonArray();
        list.add(entry);
        JsonObject errors = new JsonObject();
        errors.add("error", list);
        JsonObject top = new JsonObject();
        top.add("ietf-restconf:errors", errors);
        return top.toString();
    }

    /** The body for a status the container decided (Jetty, an unserved path): RFC 8040 section 7 tags. */
    public static String forStatus(int status, String reason) {
        String message = status >= 500 || reason == null || reason.isBlank() ? defaultMessage(status) : clip(reason);
        return body("protocol", tagFor(status), message);
    }

    static String tagFor(int status) {
        return switch (status) {
            case 400 -> "malformed-message";
            case 401, 403 -> "access-denied";
            case 409 -> "in-use";
            case 412 -> "operation-failed";
            case 405, 501, 505 -> "operation-not-supported";
            case 413, 414, 431 -> "too-big";
            default -> status >= 500 ? "operation-failed" : "invalid-value";
        };
    }

    private static String defaultMessage(int status) {
        return switch (status) {
            case 400 -> "malformed request";
            case 401 -> "authentication required";
            case 403 -> "access denied";
            case 404 -> "no resource at this path";
            case 405 -> "method not allowed on this resource";
            case 413 -> "request body too large";
            case 414 -> "request URI too long";
            case 431 -> "request headers too large";
            case 505 -> "HTTP version not supported";
            default -> status >= 500 ? "internal error" : "request refused (HTTP " + status + ")";
        };
    }

    private static String clip(String reason) {
        String flat = reason.replaceAll("[\\p{Cntrl}]", " ").trim();
        return flat.length() <= MAX_MESSAGE ? flat : flat.substring(0, MAX_MESSAGE) + "...";
    }

    /** Sends status + body; the response must not be committed. */
    public static void send(HttpServletResponse response, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        // JSON is UTF-8 by definition (RFC 8259): bytes, no charset parameter
        response.setContentType(MEDIA_TYPE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
