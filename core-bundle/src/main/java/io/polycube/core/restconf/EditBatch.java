package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/**
 * Several RESTCONF-style edits (PATCH merges and DELETEs, each on its own api-path) applied as one
 * {@link Datastore#write} transaction: validated, applied to the data plane and committed together, or
 * not at all. For edits that span instances and must not half-apply, e.g. both ends of a cube-to-cube
 * link (the console's {@code connect}). Answers like {@link RestconfService#handle}: 204 or an RFC 8040
 * error report.
 */
public final class EditBatch {
    /** What an edit does to its target. */
    public enum Operation { MERGE, DELETE }

    /**
     * One edit.
     *
     * @param apiPath an RFC 8040 api-path after {@code /data}, e.g. {@code pcn-simplefwd:simplefwd=f/ports=p1}
     * @param body for MERGE, an RFC 7951 body naming the target as PATCH takes it; ignored for DELETE
     */
    public record Edit(Operation operation, String apiPath, String body) {
        public Edit {
            requireNonNull(operation);
            requireNonNull(apiPath);
        }
    }

    private EditBatch() {
    }

    /** Applies all edits in one transaction; the target of each must exist. */
    public static RestconfResponse apply(Datastore datastore, List<Edit> edits) {
        try {
            EffectiveModelContext context = datastore.context();
            List<ApiPath> targets = new ArrayList<>();
            List<NormalizedNode> nodes = new ArrayList<>();
            for (Edit edit : edits) {
                ApiPath target = ApiPaths.parse(context, edit.apiPath());
                if (target.isRoot()) {
                    throw new RestconfException(405, RestconfException.ErrorType.PROTOCOL, "operation-not-supported",
                        null, edit.operation() + " on the whole datastore is not supported");
                }
                targets.add(target);
                nodes.add(edit.operation() == Operation.MERGE
                    ? RestconfService.targetBody(context, target, edit.body() == null ? "" : edit.body()) : null);
            }
            datastore.write(mod -> {
                for (int i = 0; i < targets.size(); i++) {
                    ApiPath target = targets.get(i);
                    if (mod.readNode(target.path()).isEmpty()) {
                        throw RestconfService.missing(context, target.path());
                    }
                    if (nodes.get(i) == null) {
                        mod.delete(target.path());
                    } else {
                        mod.merge(target.path(), nodes.get(i));
                    }
                }
            });
            return new RestconfResponse(204, Map.of(), "");
        } catch (RestconfException e) {
            return new RestconfResponse(e.status(), Map.of("Content-Type", RestconfService.YANG_DATA_JSON),
                Errors.body(e));
        } catch (RuntimeException e) {
            RestconfException error = new RestconfException(500, RestconfException.ErrorType.APPLICATION,
                "operation-failed", null, "internal error: " + Errors.clean(e.getMessage()));
            return new RestconfResponse(500, Map.of("Content-Type", RestconfService.YANG_DATA_JSON), Errors.body(error));
        }
    }
}
