package io.polycube.core.restconf.library;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.polycube.core.restconf.ComputedData;
import java.util.List;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/** RFC 8040 §9.1 {@code ietf-restconf-monitoring:restconf-state}: the capabilities this server supports. */
public final class RestconfMonitoring implements ComputedData {
    public static final String MODULE = "ietf-restconf-monitoring";

    /** RFC 8040 §9.1.2 basic mode: GET reports every default value unless with-defaults asks otherwise. */
    public static final String DEFAULTS = "urn:ietf:params:restconf:capability:defaults:1.0?basic-mode=report-all";

    /**
     * The optional query parameters (RFC 8040 §9.1.1) and YANG Patch (RFC 8072 §4) this server
     * implements. THE one list to adjust when one is added or removed. Not listed: filter and
     * replay (no event streams).
     */
    public static final List<String> OPTIONAL_CAPABILITIES = List.of(
        "urn:ietf:params:restconf:capability:depth:1.0",
        "urn:ietf:params:restconf:capability:fields:1.0",
        "urn:ietf:params:restconf:capability:with-defaults:1.0",
        "urn:ietf:params:restconf:capability:yang-patch:1.0");

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public JsonObject read(EffectiveModelContext context) {
        JsonArray list = new JsonArray();
        list.add(DEFAULTS);
        OPTIONAL_CAPABILITIES.forEach(list::add);
        JsonObject capabilities = new JsonObject();
        capabilities.add("capability", list);
        JsonObject state = new JsonObject();
        state.add("capabilities", capabilities);
        JsonObject top = new JsonObject();
        top.add(MODULE + ":restconf-state", state);
        return top;
    }
}
