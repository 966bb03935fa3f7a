package io.polycube.core.shell;

import io.polycube.core.restconf.EditBatch;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/**
 * What the console needs of polycubed, registered by it as a service private to the core bundle: the live
 * model, the cube types and instances, and requests that go through the same transaction path as
 * RESTCONF (validation, the data plane, the commit), so a command fails like the same HTTP request would.
 */
public interface ControlPlane {

    /** An answer: the RESTCONF status and body (RFC 7951 data or an RFC 8040 error report). */
    record Reply(int status, String body) {
        public boolean ok() {
            return status < 300;
        }
    }

    /** The schema of everything polycubed serves now. */
    EffectiveModelContext model();

    /** Names of the registered cube types (module {@code pcn-<type>}, top-level list {@code <type>}). */
    Set<String> cubeTypes();

    /** Configured instances: instance name to cube type. */
    Map<String, String> instances();

    /**
     * One RESTCONF request on {@code /restconf/data}.
     *
     * @param apiPath the api-path after {@code /data/} (empty: the datastore), percent-encoded
     * @param query query parameters (e.g. {@code content=config})
     * @param body RFC 7951 JSON, or null
     */
    Reply request(String method, String apiPath, Map<String, String> query, String body);

    /** Several merges/deletes as one transaction (all or nothing). */
    Reply commit(List<EditBatch.Edit> edits);
}
