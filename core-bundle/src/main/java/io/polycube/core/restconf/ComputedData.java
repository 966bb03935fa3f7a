package io.polycube.core.restconf;

import com.google.gson.JsonObject;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/**
 * The config-false data of one module that is computed, not stored (the YANG library, RESTCONF
 * monitoring, the framework's own model). Served under {@code /restconf/data/<module>:...}.
 */
public interface ComputedData {
    /** The module whose top-level nodes this computes, e.g. {@code ietf-yang-library}. */
    String module();

    /** The module's top-level nodes as RFC 7951 members, e.g. {@code {"ietf-yang-library:yang-library": {...}}}. */
    JsonObject read(EffectiveModelContext context);
}
