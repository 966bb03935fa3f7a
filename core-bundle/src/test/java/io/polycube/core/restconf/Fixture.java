package io.polycube.core.restconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A RESTCONF service over a fresh datastore, a recording applier and a map-backed state source. */
final class Fixture {
    static final String JSON = "application/yang-data+json";

    final List<List<InstanceChange>> applied = new ArrayList<>();
    final Map<String, ConfigNode> state = new HashMap<>();
    CubeException failure;
    final Datastore datastore;
    final RestconfService service;

    Fixture() throws YangModelException {
        datastore = new Datastore(TestModels.context(), changes -> {
            if (failure != null) {
                throw failure;
            }
            applied.add(changes);
        });
        service = new RestconfService(datastore,
            (cubeType, name) -> Optional.ofNullable(state.get(cubeType + "/" + name)));
    }

    RestconfResponse send(String method, String path, String body) {
        return service.handle(method, path, Map.of(), body == null ? null : JSON, body);
    }

    /** A request with exactly these headers (no query parameters). */
    RestconfResponse send(String method, String path, Map<String, String> headers, String body) {
        return service.handle(new RestconfRequest(method, path, Map.of(), headers, body));
    }

    RestconfResponse get(String path, Map<String, String> query) {
        return service.handle("GET", path, query, null, null);
    }

    RestconfResponse get(String path) {
        return get(path, Map.of());
    }

    /** A success, with the given status. */
    static RestconfResponse ok(RestconfResponse response, int status) {
        assertEquals(status, response.status(), response::toString);
        return response;
    }

    static JsonElement json(String text) {
        return JsonParser.parseString(text);
    }

    /** An RFC 8040 error report with the status and tag, and no trace of Java in it. */
    static JsonObject assertError(RestconfResponse response, int status, String tag) {
        assertEquals(status, response.status(), response::toString);
        assertEquals(JSON, response.headers().get("Content-Type"));
        JsonObject error = json(response.body()).getAsJsonObject().getAsJsonObject("ietf-restconf:errors")
            .getAsJsonArray("error").get(0).getAsJsonObject();
        assertEquals(tag, error.get("error-tag").getAsString(), response::toString);
        assertTrue(List.of("protocol", "application").contains(error.get("error-type").getAsString()));
        String message = error.get("error-message").getAsString();
        assertFalse(message.isBlank());
        for (String leak : List.of("Exception", "java.", "org.opendaylight", "\tat ", "urn:")) {
            assertFalse(response.body().contains(leak), () -> "leaks '" + leak + "': " + response.body());
        }
        return error;
    }
}
