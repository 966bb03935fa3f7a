package io.polycube.core.shell;

import static java.util.Objects.requireNonNull;

import io.polycube.core.restconf.Datastore;
import io.polycube.core.restconf.EditBatch;
import io.polycube.core.restconf.RestconfResponse;
import io.polycube.core.restconf.RestconfService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/** The {@link ControlPlane} over the RESTCONF service and the datastore it writes to. */
public final class RestconfControlPlane implements ControlPlane {
    private final RestconfService restconf;
    private final Datastore datastore;
    private final Supplier<Set<String>> cubeTypes;

    public RestconfControlPlane(RestconfService restconf, Datastore datastore, Supplier<Set<String>> cubeTypes) {
        this.restconf = requireNonNull(restconf);
        this.datastore = requireNonNull(datastore);
        this.cubeTypes = requireNonNull(cubeTypes);
    }

    @Override
    public EffectiveModelContext model() {
        return datastore.context();
    }

    @Override
    public Set<String> cubeTypes() {
        return Set.copyOf(cubeTypes.get());
    }

    /** Read from the datastore (not the live instances), so that it always agrees with the model and with GET. */
    @Override
    public Map<String, String> instances() {
        Map<String, String> all = new TreeMap<>();
        Set<String> types = cubeTypes();
        if (!(datastore.read(YangInstanceIdentifier.of()).orElse(null) instanceof ContainerNode root)) {
            return all;
        }
        for (DataContainerChild top : root.body()) {
            String type = top.name().getNodeType().getLocalName();
            if (top instanceof MapNode list && types.contains(type)) {
                for (MapEntryNode entry : list.body()) {
                    entry.name().values().stream().findFirst().ifPresent(name -> all.put(name.toString(), type));
                }
            }
        }
        return all;
    }

    @Override
    public Reply request(String method, String apiPath, Map<String, String> query, String body) {
        RestconfResponse response = restconf.handle(method, "/data" + (apiPath.isEmpty() ? "" : "/" + apiPath), query,
            body == null ? null : RestconfService.YANG_DATA_JSON, body);
        return new Reply(response.status(), response.body());
    }

    @Override
    public Reply commit(List<EditBatch.Edit> edits) {
        RestconfResponse response = EditBatch.apply(datastore, edits);
        return new Reply(response.status(), response.body());
    }
}
