// SPDX-License-Identifier: Apache-2.0
// This file contains a small JSON-over-HTTP client for RESTCONF tests against the container's HTTP port.
package io.polycube.osgi.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import static java.util.Objects.requireNonNull;

/** Requests against {@code http://127.0.0.1:<port>}; bodies are JSON strings (RFC 7951 for RESTCONF). */
public final class Http {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A response: status code and body text. */
    public record Response(int status, String body) {
        public Response {
            requireNonNull(body);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public Http(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    public URI base() {
        return base;
    }

    /** One request; {@code jsonBody} may be null (no body). Content-Type and Accept are {@code application/yang-data+json}. */
    public Response request(String method, String path, String jsonBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Accept", "application/yang-data+json")
                .method(method, jsonBody == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            builder.header("Content-Type", "application/yang-data+json");
        }
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A full response: status, headers (names lower case) and body. */
    public record Exchange(int status, java.util.Map<String, java.util.List<String>> headers, String body) {
        /** The first value of a header, or null. */
        public String header(String name) {
            java.util.List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /**
     * One request exactly as given: the method as spelled, only the given headers (none added), the
     * body (null: none).
     */
    public Exchange send(String method, String path, java.util.Map<String, String> headers, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            java.util.Map<String, java.util.List<String>> names = new java.util.TreeMap<>();
            response.headers().map().forEach((k, v) -> names.put(k.toLowerCase(java.util.Locale.ROOT), v));
            return new Exchange(response.statusCode(), names, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public Response get(String path) {
        return request("GET", path, null);
    }

    public Response post(String path, String jsonBody) {
        return request("POST", path, jsonBody);
    }

    public Response put(String path, String jsonBody) {
        return request("PUT", path, jsonBody);
    }

    public Response patch(String path, String jsonBody) {
        return request("PATCH", path, jsonBody);
    }

    public Response delete(String path) {
        return request("DELETE", path, null);
    }

    /** Retries {@code GET path} while the connection is refused (Pax Web starts asynchronously). */
    public Response awaitReachable(String path, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                return get(path);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof ConnectException) || Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            PcnTestSupport.sleep(200);
        }
    }
}
