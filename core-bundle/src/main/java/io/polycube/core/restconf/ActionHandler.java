package io.polycube.core.restconf;

import java.util.Optional;

/** YANG 1.1 actions of one module, invoked by RFC 8040 §3.6 {@code POST /restconf/data/<path>/<action>}. */
public interface ActionHandler {
    /** The module whose actions this handles. */
    String module();

    /**
     * Invokes the action the api-path names, or answers empty if it names no action of this module.
     *
     * @param apiPath the api-path after {@code /data/}, still percent-encoded
     * @param contentType the request's Content-Type, or null
     * @param body the request body, possibly empty
     */
    Optional<RestconfResponse> invoke(String apiPath, String contentType, String body) throws RestconfException;
}
