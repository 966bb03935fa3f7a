package io.polycube.core.restconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.model.CubeActions;
import io.polycube.core.model.FrameworkActions;
import io.polycube.core.spi.CubeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cube-defined YANG actions (simplebridge's {@code flush}) reach the instance's control plane, or are refused. */
class CubeActionsTest {
    private static final String JSON = "application/yang-data+json";
    private static final String FLUSH = "/data/pcn-simplebridge:simplebridge=br1/flush";
    private final List<String> calls = new ArrayList<>();
    private RestconfService service;

    @BeforeEach
    void setUp() throws Exception {
        YangModels models = new YangModels();
        models.addModule("pcn-simplebridge", TestModels.module("pcn-simplebridge.yang"));
        Datastore datastore = new Datastore(models.context(), changes -> { });
        CubeActions.Invoker invoker = (type, instance, action, input) -> {
            if (input.leaf("address").orElse("").equals("02:00:00:00:00:ff")) {
                throw CubeException.invalid("refused by the cube");
            }
            calls.add(type + " " + instance + " " + action + " " + input.leaf("address").orElse("-"));
            return instance.equals("br1");
        };
        service = new RestconfService(datastore, StateSource.NONE, new ComputedResources(models::source, List.of(),
            List.of(new FrameworkActions(datastore), new CubeActions(datastore::context, invoker))));
    }

    private RestconfResponse post(String path, String body) {
        return service.handle("POST", path, Map.of(), body == null ? null : JSON, body);
    }

    @Test
    void anActionWithoutInputReachesTheInstance() {
        RestconfResponse r = post(FLUSH, null);
        assertEquals(204, r.status(), r.body());
        assertEquals(List.of("simplebridge br1 flush -"), calls);
    }

    @Test
    void inputLeavesArePassedOn() {
        RestconfResponse r = post(FLUSH, "{\"pcn-simplebridge:input\":{\"address\":\"02:00:00:00:00:0a\"}}");
        assertEquals(204, r.status(), r.body());
        assertEquals(List.of("simplebridge br1 flush 02:00:00:00:00:0a"), calls);
    }

    @Test
    void refusalsAreClientErrors() {
        assertEquals(404, post("/data/pcn-simplebridge:simplebridge=nobody/flush", null).status());
        RestconfResponse unknownLeaf = post(FLUSH, "{\"pcn-simplebridge:input\":{\"port\":\"p1\"}}");
        assertEquals(400, unknownLeaf.status());
        assertTrue(unknownLeaf.body().contains("unknown input leaf"), unknownLeaf.body());
        assertEquals(400, post(FLUSH, "{\"wrong:input\":{}}").status());
        RestconfResponse refused = post(FLUSH, "{\"pcn-simplebridge:input\":{\"address\":\"02:00:00:00:00:ff\"}}");
        assertEquals(400, refused.status());
        assertTrue(refused.body().contains("refused by the cube"), refused.body());
        assertEquals(400, post("/data/pcn-simplebridge:simplebridge=%zz/flush", null).status());
        assertEquals(List.of("simplebridge nobody flush -"), calls);
    }

    @Test
    void aPathThatNamesNoActionIsLeftToTheDatastore() {
        RestconfResponse r = post("/data/pcn-simplebridge:simplebridge=br1/nosuch", "{}");
        assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.body());
        assertTrue(calls.isEmpty());
    }
}
