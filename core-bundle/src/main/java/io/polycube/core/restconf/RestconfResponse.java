package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** What {@link RestconfService#handle} answers: an HTTP status, headers and a (possibly empty) body. */
public record RestconfResponse(int status, Map<String, String> headers, String body) {
    public RestconfResponse {
        headers = Map.copyOf(headers);
        requireNonNull(body);
    }
}
