package io.polycube.core.restconf;

import java.util.Map;

/** RFC 8040 RESTCONF over the datastore, without HTTP (skeleton). */
public final class RestconfService {
    public static final String YANG_DATA_JSON = "application/yang-data+json";

    public RestconfService(Datastore datastore, StateSource state) {
        throw new UnsupportedOperationException();
    }

    public RestconfResponse handle(String method, String pathAfterRestconf, Map<String, String> query,
            String contentType, String body) {
        throw new UnsupportedOperationException();
    }
}
