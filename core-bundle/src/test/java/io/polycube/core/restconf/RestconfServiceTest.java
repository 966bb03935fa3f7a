package io.polycube.core.restconf;

import static io.polycube.core.restconf.Fixture.assertError;
import static io.polycube.core.restconf.Fixture.json;
import static io.polycube.core.restconf.Fixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestconfServiceTest {
    private static final String FWD = "/data/pcn-simplefwd:simplefwd";
    private static final String FWD1 = "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\","
        + "\"ports\":[{\"name\":\"p1\",\"peer\":\"veth1\"}]}]}";

    private Fixture fx;

    @BeforeAll
    static void parseModels() throws Exception {
        TestModels.context();
    }

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture();
    }

    @Test
    void postCreatesInstanceAndReadsBackWithDefaults() {
        RestconfResponse created = ok(fx.send("POST", "/data", FWD1), 201);
        assertEquals("/restconf/data/pcn-simplefwd:simplefwd=fwd1", created.headers().get("Location"));

        RestconfResponse read = ok(fx.get(FWD + "=fwd1"), 200);
        assertEquals(Fixture.JSON, read.headers().get("Content-Type"));
        assertEquals(json("{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"type\":\"TC\",\"loglevel\":\"INFO\","
            + "\"ports\":[{\"name\":\"p1\",\"peer\":\"veth1\"}]}]}"), json(read.body()));
        assertEquals(json(FWD1), json(fx.get(FWD + "=fwd1", Map.of("with-defaults", "explicit")).body()));
        assertEquals(json("{\"pcn-simplefwd:peer\":\"veth1\"}"), json(ok(fx.get(FWD + "=fwd1/ports=p1/peer"), 200).body()));
        assertEquals(json("{\"pcn-simplefwd:type\":\"TC\"}"), json(ok(fx.get(FWD + "=fwd1/type"), 200).body()));
        assertError(fx.get(FWD + "=fwd1/type", Map.of("with-defaults", "explicit")), 404, "data-missing");
        assertEquals(json("{\"pcn-simplefwd:ports\":[{\"name\":\"p1\",\"peer\":\"veth1\"}]}"),
            json(fx.get(FWD + "=fwd1/ports=p1").body()));
        assertEquals(json("{\"ietf-restconf:data\":{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"type\":\"TC\",\"loglevel\":\"INFO\","
            + "\"ports\":[{\"name\":\"p1\",\"peer\":\"veth1\"}]}]}}"), json(fx.get("/data").body()));

        assertEquals(1, fx.applied.size());
        InstanceChange change = fx.applied.get(0).get(0);
        assertEquals("simplefwd", change.cubeType());
        assertEquals("fwd1", change.instanceName());
        assertEquals(Optional.empty(), change.before());
        ConfigNode after = change.after().orElseThrow();
        assertEquals(Optional.of("TC"), after.leaf("type"));
        assertEquals(Optional.of("veth1"), after.list("ports").get(0).leaf("peer"));
    }

    @Test
    void postChildUnderInstanceAndDefaultsOfActions() {
        ok(fx.send("POST", "/data", FWD1), 201);
        RestconfResponse created = ok(fx.send("POST", FWD + "=fwd1",
            "{\"pcn-simplefwd:actions\":[{\"inport\":\"p1\"}]}"), 201);
        assertEquals("/restconf/data/pcn-simplefwd:simplefwd=fwd1/actions=p1", created.headers().get("Location"));
        InstanceChange change = fx.applied.get(1).get(0);
        assertEquals(List.of(), change.before().orElseThrow().list("actions"));
        assertEquals(Optional.of("DROP"), change.after().orElseThrow().list("actions").get(0).leaf("action"));
        assertEquals(json("{\"pcn-simplefwd:actions\":[{\"inport\":\"p1\",\"action\":\"DROP\"}]}"),
            json(fx.get(FWD + "=fwd1/actions=p1").body()));
    }

    @Test
    void putCreatesThenReplaces() {
        ok(fx.send("PUT", FWD + "=fwd1", FWD1), 201);
        ok(fx.send("PUT", FWD + "=fwd1", "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"type\":\"XDP_SKB\"}]}"),
            204);
        assertEquals(json("{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"type\":\"XDP_SKB\",\"loglevel\":\"INFO\"}]}"),
            json(fx.get(FWD + "=fwd1").body()));
        InstanceChange replace = fx.applied.get(1).get(0);
        assertEquals(1, replace.before().orElseThrow().list("ports").size());
        assertEquals(Optional.of("TC"), replace.before().orElseThrow().leaf("type"));
        assertEquals(List.of(), replace.after().orElseThrow().list("ports"));
        assertEquals(Optional.of("XDP_SKB"), replace.after().orElseThrow().leaf("type"));
        // A leaf as PUT target.
        ok(fx.send("PUT", FWD + "=fwd1/type", "{\"pcn-simplefwd:type\":\"XDP_DRV\"}"), 204);
        assertEquals(json("{\"pcn-simplefwd:type\":\"XDP_DRV\"}"), json(fx.get(FWD + "=fwd1/type").body()));
    }

    @Test
    void patchMerges() {
        ok(fx.send("POST", "/data", FWD1), 201);
        ok(fx.send("PATCH", FWD + "=fwd1", "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"type\":\"XDP_DRV\","
            + "\"ports\":[{\"name\":\"p2\"}]}]}"), 204);
        RestconfResponse read = fx.get(FWD + "=fwd1/ports=p1");
        assertEquals(json("{\"pcn-simplefwd:ports\":[{\"name\":\"p1\",\"peer\":\"veth1\"}]}"), json(read.body()));
        ok(fx.get(FWD + "=fwd1/ports=p2"), 200);
        InstanceChange change = fx.applied.get(1).get(0);
        assertEquals(Optional.of("XDP_DRV"), change.after().orElseThrow().leaf("type"));
        assertEquals(2, change.after().orElseThrow().list("ports").size());
        // A PATCH that changes nothing reaches no cube.
        ok(fx.send("PATCH", FWD + "=fwd1/type", "{\"pcn-simplefwd:type\":\"XDP_DRV\"}"), 204);
        assertEquals(2, fx.applied.size());
    }

    @Test
    void deleteRemovesInstanceAndNestedNodes() {
        ok(fx.send("POST", "/data", FWD1), 201);
        ok(fx.send("DELETE", FWD + "=fwd1/ports=p1/peer", null), 204);
        assertEquals(json("{\"pcn-simplefwd:ports\":[{\"name\":\"p1\"}]}"), json(fx.get(FWD + "=fwd1/ports=p1").body()));
        ok(fx.send("DELETE", FWD + "=fwd1", null), 204);
        assertError(fx.get(FWD + "=fwd1"), 404, "data-missing");
        InstanceChange change = fx.applied.get(2).get(0);
        assertTrue(change.before().isPresent());
        assertEquals(Optional.empty(), change.after());
    }

    @Test
    void stateIsMergedByContent() {
        ok(fx.send("POST", "/data", FWD1), 201);
        fx.state.put("simplefwd/fwd1", ConfigNode.of(Map.of(), Map.of(), Map.of(),
            Map.of("ports", List.of(ConfigNode.of(Map.of("name", "p1", "status", "UP"), Map.of(), Map.of(), Map.of())))));
        assertEquals(json("{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"type\":\"TC\",\"loglevel\":\"INFO\","
            + "\"ports\":[{\"name\":\"p1\",\"peer\":\"veth1\",\"status\":\"UP\"}]}]}"), json(fx.get(FWD + "=fwd1").body()));
        assertEquals(json("{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"type\":\"TC\",\"loglevel\":\"INFO\","
            + "\"ports\":[{\"name\":\"p1\",\"peer\":\"veth1\"}]}]}"),
            json(fx.get(FWD + "=fwd1", Map.of("content", "config")).body()));
        assertEquals(json("{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\","
            + "\"ports\":[{\"name\":\"p1\",\"status\":\"UP\"}]}]}"),
            json(fx.get(FWD + "=fwd1", Map.of("content", "nonconfig")).body()));
        assertEquals(json("{\"pcn-simplefwd:status\":\"UP\"}"), json(fx.get(FWD + "=fwd1/ports=p1/status").body()));
        assertEquals(json("{\"ietf-restconf:data\":{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\","
            + "\"ports\":[{\"name\":\"p1\",\"status\":\"UP\"}]}]}}"),
            json(fx.get("/data", Map.of("content", "nonconfig")).body()));
    }

    @Test
    void keysArePercentDecodedAndMultiKeyListsWork() {
        ok(fx.send("POST", "/data", "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"color\":\"pcn-testkeys:red\","
            + "\"routes\":[{\"prefix\":\"10.0.0.1\",\"len\":24,\"via\":\"a/b,c\"}]}]}"), 201);
        assertEquals(json("{\"pcn-testkeys:routes\":[{\"prefix\":\"10.0.0.1\",\"len\":24,\"via\":\"a/b,c\"}]}"),
            json(ok(fx.get("/data/pcn-testkeys:testkeys=t1/routes=10%2E0.0.1,24"), 200).body()));
        ok(fx.get("/data/pcn-testkeys:testkeys=%74%31/routes=10.0.0.1,24/via"), 200);
        assertEquals(Optional.of("pcn-testkeys:red"), fx.applied.get(0).get(0).after().orElseThrow().leaf("color"));
        assertEquals(Optional.of("1500"), fx.applied.get(0).get(0).after().orElseThrow().leaf("mtu"));
        RestconfResponse created = ok(fx.send("POST", "/data/pcn-testkeys:testkeys=t1",
            "{\"pcn-testkeys:routes\":[{\"prefix\":\"10.0.0.2\",\"len\":8}]}"), 201);
        assertEquals("/restconf/data/pcn-testkeys:testkeys=t1/routes=10.0.0.2,8", created.headers().get("Location"));
    }

    @Test
    void wholeListWritesReportOneChangePerInstance() {
        ok(fx.send("POST", "/data", FWD1), 201);
        ok(fx.send("PUT", FWD, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd2\"},{\"name\":\"fwd3\"}]}"), 204);
        List<InstanceChange> changes = fx.applied.get(1);
        assertEquals(3, changes.size(), changes::toString);
        assertEquals(java.util.Set.of("fwd1", "fwd2", "fwd3"),
            changes.stream().map(InstanceChange::instanceName).collect(java.util.stream.Collectors.toSet()));
        ok(fx.send("DELETE", FWD, null), 204);
        assertEquals(2, fx.applied.get(2).size());
        assertTrue(fx.applied.get(2).stream().allMatch(change -> change.after().isEmpty()));
    }

    @Test
    void leafrefsAcrossInstancesAreCheckedOnDelete() {
        ok(fx.send("POST", "/data", "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\"}]}"), 201);
        ok(fx.send("POST", "/data", "{\"pcn-testkeys:testkeys\":[{\"name\":\"t2\",\"peer-instance\":\"t1\"}]}"), 201);
        var error = assertError(fx.send("DELETE", "/data/pcn-testkeys:testkeys=t1", null), 400, "invalid-value");
        assertEquals("/pcn-testkeys:testkeys[name='t2']/peer-instance", error.get("error-path").getAsString());
        ok(fx.get("/data/pcn-testkeys:testkeys=t1"), 200);
        ok(fx.send("DELETE", "/data/pcn-testkeys:testkeys=t2/peer-instance", null), 204);
        ok(fx.send("DELETE", "/data/pcn-testkeys:testkeys=t1", null), 204);
    }

    @Test
    void topLevelContainerIsNotAnInstance() {
        RestconfResponse created = ok(fx.send("POST", "/data", "{\"pcn-testkeys:testkeys-global\":{\"motd\":\"hi\"}}"),
            201);
        assertEquals("/restconf/data/pcn-testkeys:testkeys-global", created.headers().get("Location"));
        assertEquals(json("{\"pcn-testkeys:testkeys-global\":{\"motd\":\"hi\"}}"),
            json(ok(fx.get("/data/pcn-testkeys:testkeys-global"), 200).body()));
        ok(fx.send("PUT", "/data/pcn-testkeys:testkeys-global", "{\"pcn-testkeys:testkeys-global\":{\"motd\":\"ho\"}}"),
            204);
        assertEquals(json("{\"pcn-testkeys:motd\":\"ho\"}"),
            json(ok(fx.get("/data/pcn-testkeys:testkeys-global/motd"), 200).body()));
        assertEquals(List.of(), fx.applied);
    }

    @Test
    void rootResources() {
        assertEquals(json("{\"ietf-restconf:yang-library-version\":\"2019-01-04\"}"),
            json(ok(fx.get("/yang-library-version"), 200).body()));
        assertTrue(json(ok(fx.get(""), 200).body()).getAsJsonObject().has("ietf-restconf:restconf"));
        assertEquals(json("{\"ietf-restconf:data\":{}}"), json(ok(fx.get("/data"), 200).body()));
    }

    @Test
    void cubeExceptionsMapToStatusAndNothingIsCommitted() {
        ok(fx.send("POST", "/data", FWD1), 201);
        String before = fx.get("/data").body();
        String update = "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"type\":\"XDP_DRV\"}]}";
        Object[][] cases = {
            {CubeException.Kind.INVALID_VALUE, 400, "invalid-value"},
            {CubeException.Kind.CONFLICT, 409, "resource-denied"},
            {CubeException.Kind.OPERATION_FAILED, 500, "operation-failed"},
        };
        for (Object[] c : cases) {
            fx.failure = new CubeException((CubeException.Kind) c[0], "cube says no: " + c[0]);
            var error = assertError(fx.send("PATCH", FWD + "=fwd1", update), (int) c[1], (String) c[2]);
            assertEquals("application", error.get("error-type").getAsString());
            assertEquals("cube says no: " + c[0], error.get("error-message").getAsString());
            assertEquals(before, fx.get("/data").body());
        }
        fx.failure = null;
        ok(fx.send("PATCH", FWD + "=fwd1", update), 204);
    }

    @Test
    void unknownMethodAndRootWrites() {
        assertError(fx.send("TRACE", FWD, null), 405, "operation-not-supported");
        assertError(fx.send("get", FWD, null), 501, "operation-not-supported");
        assertError(fx.send("DELETE", "/data", null), 405, "operation-not-supported");
        assertError(fx.get("/nowhere"), 404, "invalid-value");
        assertEquals(200, fx.send("OPTIONS", "/data", null).status());
    }
}
