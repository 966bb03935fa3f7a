// SPDX-License-Identifier: Apache-2.0
// This file contains a small JSON-over-HTTP client for RESTCONF tests against the container's HTTP port.
package io.polycube.osgi.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import static java.util.Objects.requireNonNull;

/**
 * Requests against {@code http://127.0.0.1:<port>}; bodies are JSON strings (RFC 7951 for RESTCONF).
 * Every request carries HTTP Basic credentials, the development admin {@code karaf}/{@code karaf} unless
 * {@link #withCredentials} or {@link #withoutCredentials} says otherwise.
 */
public final class Http {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    public static final String ADMIN_USER = "karaf";
    public static final String ADMIN_PASSWORD = "karaf";

    /** A response: status code, body text and headers (names in lower case). */
    public record Response(int status, String body, Map<String, List<String>> headers) {
        public Response {
            requireNonNull(body);
            Map<String, List<String>> lower = new java.util.HashMap<>();
            headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            headers = Map.copyOf(lower);
        }

        public Response(int status, String body) {
            this(status, body, Map.of());
        }

        /** The first value of a header, or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final HttpClient client;
    private final URI base;
    private final String authorization;
    private final Duration timeout;

    public Http(int port) {
        this(URI.create("http://127.0.0.1:" + port), HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
            basic(ADMIN_USER, ADMIN_PASSWORD));
    }

    private Http(URI base, HttpClient client, String authorization) {
        this(base, client, authorization, TIMEOUT);
    }

    private Http(URI base, HttpClient client, String authorization, Duration timeout) {
        this.base = base;
        this.client = client;
        this.authorization = authorization;
        this.timeout = timeout;
    }

    /** The same server and transport, as another user. */
    public Http withCredentials(String user, String password) {
        return new Http(base, client, basic(user, password), timeout);
    }

    /** The same server and transport, sending no Authorization header. */
    public Http withoutCredentials() {
        return new Http(base, client, null, timeout);
    }

    /**
     * The same, giving up on a request after {@code limit} (a readiness probe: Pax Web's restart window can
     * accept a connection and never answer it).
     */
    public Http withTimeout(Duration limit) {
        return new Http(base, client, authorization, limit);
    }

    /** {@code https://127.0.0.1:<port>} trusting what {@code ssl} trusts, as the admin. */
    public static Http https(int port, SSLContext ssl) {
        return new Http(URI.create("https://127.0.0.1:" + port), HttpClient.newBuilder().sslContext(ssl)
            .connectTimeout(Duration.ofSeconds(5)).build(), basic(ADMIN_USER, ADMIN_PASSWORD));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code request} as is (bytes of a raw HTTP/1.1 exchange, ISO-8859-1) over a new plain socket and
     * returns everything the server sent until it closed or went quiet for 5 s. With {@code halfClose}, the
     * sending side is shut down after the request (a body cut short).
     */
    public String raw(String request, boolean halfClose) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5000);
            // Written by another thread: the server may answer (and stop reading) before a large body is sent.
            Thread writer = new Thread(() -> {
                try {
                    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                    if (halfClose) {
                        socket.shutdownOutput();
                    }
                } catch (IOException refusedMidway) {
                    // the server closed after answering: what it answered is the result
                }
            }, "pcn-itest-raw-writer");
            writer.setDaemon(true);
            writer.start();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) != -1; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException quiet) {
                // a kept-alive connection: what came so far is the answer
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("raw request failed", e);
        }
    }

    /** The {@code Authorization} header value this client sends (null: none), for raw requests. */
    public String authorization() {
        return authorization;
    }

    public URI base() {
        return base;
    }

    /** One request; {@code jsonBody} may be null (no body). Content-Type and Accept are {@code application/yang-data+json}. */
    public Response request(String method, String path, String jsonBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Accept", "application/yang-data+json")
                .method(method, jsonBody == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            builder.header("Content-Type", "application/yang-data+json");
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers().map());
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
     * One request exactly as given: the method as spelled, only the given headers plus this client's
     * credentials (unless the given headers carry their own Authorization), the body (null: none).
     */
    public Exchange send(String method, String path, java.util.Map<String, String> headers, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        if (authorization != null && headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
            builder.header("Authorization", authorization);
        }
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
