package io.polycube.core.restconf;

import static io.polycube.core.restconf.Fixture.assertError;
import static io.polycube.core.restconf.Fixture.json;
import static io.polycube.core.restconf.Fixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.polycube.core.model.FrameworkActions;
import io.polycube.core.model.FrameworkModel;
import io.polycube.core.model.Topology;
import io.polycube.core.restconf.library.RestconfMonitoring;
import io.polycube.core.restconf.library.YangLibrary;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendaylight.yangtools.yang.model.api.Module;

/** The YANG library, monitoring, schema downloads, operations and the pcn-polycubed actions through RestconfService. */
class DiscoveryTest {
    private static final String JSON = Fixture.JSON;

    private YangModels models;
    private Datastore datastore;
    private RestconfService service;
    private final List<List<InstanceChange>> applied = new ArrayList<>();
    private io.polycube.core.spi.CubeException failure;
    private Topology.Snapshot topology = new Topology.Snapshot(List.of(), List.of(), List.of());

    @BeforeEach
    void setUp() throws Exception {
        models = new YangModels();
        models.addModule("pcn-simplefwd", TestModels.module("pcn-simplefwd.yang"));
        models.addModule("pcn-protofilter", TestModels.module("pcn-protofilter.yang"));
        datastore = new Datastore(models.context(), changes -> {
            if (failure != null) {
                throw failure;
            }
            applied.add(changes);
        });
        service = new RestconfService(datastore, StateSource.NONE, new ComputedResources(models::source,
            List.of(new YangLibrary(), new RestconfMonitoring(), new FrameworkModel(() -> topology)),
            List.of(new FrameworkActions(datastore))));
    }

    private RestconfResponse send(String method, String path, String body) {
        return service.handle(method, path, Map.of(), body == null ? null : JSON, body);
    }

    private RestconfResponse get(String path) {
        return service.handle("GET", path, Map.of(), null, null);
    }

    private String config() {
        return ok(service.handle("GET", "/data", Map.of("content", "config"), null, null), 200).body();
    }

    @Test
    void yangLibraryListsEveryModuleOnce() {
        JsonObject library = json(ok(get("/data/ietf-yang-library:yang-library"), 200).body()).getAsJsonObject()
            .getAsJsonObject("ietf-yang-library:yang-library");
        JsonObject set = library.getAsJsonArray("module-set").get(0).getAsJsonObject();
        assertEquals("complete", set.get("name").getAsString());
        Map<String, JsonObject> implemented = byName(set.getAsJsonArray("module"));
        Map<String, JsonObject> importOnly = byName(set.getAsJsonArray("import-only-module"));
        Set<String> listed = new HashSet<>(implemented.keySet());
        listed.addAll(importOnly.keySet());
        Set<String> all = models.context().getModules().stream().map(Module::getName).collect(Collectors.toSet());
        assertEquals(all, listed);
        assertEquals(all.size(), implemented.size() + importOnly.size(), "each module once");
        assertTrue(all.containsAll(Set.of("pcn-simplefwd", "pcn-protofilter", "pcn-polycubed", "ietf-yang-library",
            "ietf-restconf-monitoring", "ietf-datastores", "pcn-base", "ietf-inet-types")), all::toString);
        JsonObject fwd = implemented.get("pcn-simplefwd");
        assertEquals("2026-11-27", fwd.get("revision").getAsString());
        assertEquals("urn:polycube:simplefwd", fwd.get("namespace").getAsString());
        assertEquals("/restconf/schema/pcn-simplefwd/2026-11-27", fwd.getAsJsonArray("location").get(0).getAsString());
        assertEquals("2019-01-04", implemented.get("ietf-yang-library").get("revision").getAsString());
        assertTrue(importOnly.containsKey("pcn-base"), "groupings only: import-only");
        assertTrue(importOnly.containsKey("ietf-inet-types"));
        assertEquals("complete", library.getAsJsonArray("schema").get(0).getAsJsonObject().get("name").getAsString());
        assertEquals(Set.of("ietf-datastores:running", "ietf-datastores:operational"),
            byName(library.getAsJsonArray("datastore")).keySet());
        assertFalse(library.get("content-id").getAsString().isEmpty());
    }

    @Test
    void modulesStateForRfc7895Clients() {
        JsonObject state = json(ok(get("/data/ietf-yang-library:modules-state"), 200).body()).getAsJsonObject()
            .getAsJsonObject("ietf-yang-library:modules-state");
        Map<String, JsonObject> modules = byName(state.getAsJsonArray("module"));
        assertEquals("implement", modules.get("pcn-protofilter").get("conformance-type").getAsString());
        assertEquals("import", modules.get("ietf-yang-types").get("conformance-type").getAsString());
        assertEquals("/restconf/schema/pcn-protofilter/2026-11-27", modules.get("pcn-protofilter").get("schema").getAsString());
        String library = json(get("/data/ietf-yang-library:yang-library").body()).getAsJsonObject()
            .getAsJsonObject("ietf-yang-library:yang-library").get("content-id").getAsString();
        assertEquals(library, state.get("module-set-id").getAsString());
    }

    @Test
    void subPathOfTheLibraryAndRootIncludesIt() {
        JsonObject entry = json(ok(get("/data/ietf-yang-library:yang-library/module-set=complete/module=pcn-simplefwd"),
            200).body()).getAsJsonObject();
        assertEquals("pcn-simplefwd", entry.getAsJsonArray("ietf-yang-library:module").get(0).getAsJsonObject()
            .get("name").getAsString());
        assertError(get("/data/ietf-yang-library:yang-library/module-set=complete/module=pcn-nothing"), 404,
            "data-missing");
        JsonObject root = json(ok(get("/data"), 200).body()).getAsJsonObject().getAsJsonObject("ietf-restconf:data");
        assertTrue(root.has("ietf-yang-library:yang-library") && root.has("ietf-restconf-monitoring:restconf-state"),
            root::toString);
        assertFalse(config().contains("yang-library"), "content=config holds no state");
    }

    @Test
    void libraryFollowsCubeModules() throws Exception {
        String before = get("/data/ietf-yang-library:yang-library").body();
        datastore.setContext(models.removeModule("pcn-protofilter"));
        String after = get("/data/ietf-yang-library:yang-library").body();
        assertTrue(before.contains("\"pcn-protofilter\"") && !after.contains("\"pcn-protofilter\""), after);
        assertNotEquals(contentId(before), contentId(after));
        assertError(get("/schema/pcn-protofilter/2026-11-27"), 404, "invalid-value");
    }

    @Test
    void schemaDownloadIsTheModuleText() throws Exception {
        RestconfResponse text = ok(get("/schema/pcn-simplefwd/2026-11-27"), 200);
        assertEquals("application/yang", text.headers().get("Content-Type"));
        assertEquals(Files.readString(TestModels.yangDir().resolve("pcn-simplefwd.yang")), text.body());
        assertEquals(text.body(), ok(get("/schema/pcn-simplefwd"), 200).body());
        assertTrue(ok(get("/schema/ietf-yang-library/2019-01-04"), 200).body().contains("module ietf-yang-library"));
        assertError(get("/schema/pcn-simplefwd/2020-01-01"), 404, "invalid-value");
        assertError(get("/schema/pcn-nothing"), 404, "invalid-value");
        assertError(get("/schema/pcn-simplefwd/not-a-date"), 404, "invalid-value");
        assertError(send("PUT", "/schema/pcn-simplefwd", "{}"), 405, "operation-not-supported");
    }

    @Test
    void monitoringAndOperations() {
        JsonArray capabilities = json(ok(get("/data/ietf-restconf-monitoring:restconf-state/capabilities"), 200)
            .body()).getAsJsonObject().getAsJsonObject("ietf-restconf-monitoring:capabilities")
            .getAsJsonArray("capability");
        List<String> expected = new ArrayList<>(List.of(RestconfMonitoring.DEFAULTS));
        expected.addAll(RestconfMonitoring.OPTIONAL_CAPABILITIES);
        assertEquals(Set.copyOf(expected), Set.copyOf(strings(capabilities)));
        assertEquals(expected.size(), capabilities.size());
        assertEquals("{\"ietf-restconf:operations\":{}}", ok(get("/operations"), 200).body());
        assertError(get("/operations/pcn-polycubed:connect"), 404, "invalid-value");
        assertError(send("PUT", "/data/ietf-restconf-monitoring:restconf-state", "{}"), 405, "operation-not-supported");
        assertError(send("DELETE", "/data/ietf-yang-library:yang-library", null), 405, "operation-not-supported");
    }

    @Test
    void frameworkStateFromTheTopology() {
        topology = new Topology.Snapshot(
            List.of(new Topology.CubeTypeInfo("protofilter", true, "io.polycube.cube.protofilter", "0.1.0"),
                new Topology.CubeTypeInfo("simplefwd", false, "io.polycube.cube.simplefwd", "0.1.0")),
            List.of(new Topology.CubeInfo("f1", "simplefwd", "TC", false, List.of(
                    new Topology.PortInfo("a", Optional.of("veth1"), true), new Topology.PortInfo("b", Optional.empty(), false)),
                    Optional.empty()),
                new Topology.CubeInfo("pf", "protofilter", "TC", true, List.of(),
                    Optional.of(new Topology.AttachmentInfo("f1:a", false, "first"))),
                new Topology.CubeInfo("pf2", "protofilter", "TC", true, List.of(),
                    Optional.of(new Topology.AttachmentInfo("veth9", true, "last")))),
            List.of(new Topology.ChainInfo("f1", "a", Optional.empty(), false, List.of("pf")),
                new Topology.ChainInfo("", "", Optional.of("veth9"), true, List.of("pf2"))));
        JsonObject state = json(ok(get("/data/pcn-polycubed:polycubed"), 200).body()).getAsJsonObject()
            .getAsJsonObject("pcn-polycubed:polycubed");
        JsonObject fwdType = byName(state.getAsJsonArray("cube-type")).get("simplefwd");
        assertEquals("0.1.0", fwdType.get("bundle-version").getAsString());
        assertEquals("2026-11-27", fwdType.get("revision").getAsString());
        assertEquals("pcn-simplefwd", fwdType.get("module").getAsString());
        JsonObject portA = byName(byName(state.getAsJsonArray("cube")).get("f1").getAsJsonArray("port")).get("a");
        assertEquals("UP", portA.get("status").getAsString());
        assertEquals("{\"direction\":\"INGRESS\",\"order\":0,\"cube\":\"pf\"}",
            portA.getAsJsonArray("transparent-cube").get(0).toString());
        Map<String, JsonObject> netdevs = byName(state.getAsJsonArray("netdev"));
        assertEquals("f1:a", netdevs.get("veth1").get("held-by").getAsString());
        assertEquals("port", netdevs.get("veth1").get("holder-kind").getAsString());
        assertEquals("pf2", netdevs.get("veth9").get("held-by").getAsString());
        assertEquals("transparent", netdevs.get("veth9").get("holder-kind").getAsString());
        assertEquals("f1:a", byName(state.getAsJsonArray("cube")).get("pf").getAsJsonObject("attachment")
            .get("parent").getAsString());
    }

    @Test
    void cubeTypesThatDidNotComeUpAreListedWithTheirReason() {
        topology = new Topology.Snapshot(List.of(), List.of(), List.of(), List.of(
            new Topology.CubeTypeFailure("io.example.BrokenType", "io.example.broken", "1.0.0",
                Topology.FailureKind.ACTIVATION_FAILED, "java.lang.IllegalStateException: no"),
            new Topology.CubeTypeFailure("io.example.Waiting", "io.example.broken", "1.0.0",
                Topology.FailureKind.UNSATISFIED, "waits for store")));
        JsonObject state = json(ok(get("/data/pcn-polycubed:polycubed"), 200).body()).getAsJsonObject()
            .getAsJsonObject("pcn-polycubed:polycubed");
        JsonArray failures = state.getAsJsonArray("cube-type-failure");
        assertEquals(2, failures.size());
        JsonObject broken = failures.get(0).getAsJsonObject();
        assertEquals("io.example.BrokenType", broken.get("component").getAsString());
        assertEquals("io.example.broken", broken.get("bundle").getAsString());
        assertEquals("activation-failed", broken.get("state").getAsString());
        assertEquals("java.lang.IllegalStateException: no", broken.get("reason").getAsString());
        assertEquals("unsatisfied", failures.get(1).getAsJsonObject().get("state").getAsString());
        // one entry, read by its key, as any list entry
        String one = ok(get("/data/pcn-polycubed:polycubed/cube-type-failure=io.example.Waiting"), 200).body();
        assertTrue(one.contains("\"reason\":\"waits for store\""), one);
    }

    private void twoForwardersAndAFilter() {
        ok(send("POST", "/data", "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"f1\",\"ports\":[{\"name\":\"a\"},{\"name\":\"b\"}]}]}"), 201);
        ok(send("POST", "/data", "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"f2\",\"ports\":[{\"name\":\"a\"},{\"name\":\"b\"}]}]}"), 201);
        ok(send("POST", "/data", "{\"pcn-protofilter:protofilter\":[{\"name\":\"pf\"}]}"), 201);
        applied.clear();
    }

    private String peer(String cube, String port) {
        RestconfResponse r = get("/data/pcn-simplefwd:simplefwd=" + cube + "/ports=" + port + "/peer");
        return r.status() == 404 ? null : json(r.body()).getAsJsonObject().get("pcn-simplefwd:peer").getAsString();
    }

    private static String input(String members) {
        return "{\"pcn-polycubed:input\":{" + members + "}}";
    }

    @Test
    void connectAndDisconnectEditTheConfiguration() {
        twoForwardersAndAFilter();
        String port = "/data/pcn-polycubed:polycubed/cube=f1/port=a/";
        ok(send("POST", port + "connect", input("\"peer\":\"f2:b\"")), 204);
        assertEquals("f2:b", peer("f1", "a"));
        assertEquals("f1:a", peer("f2", "b"));
        assertEquals(1, applied.size(), "one transaction for both ports");
        assertEquals(2, applied.get(0).size());
        ok(send("POST", port + "connect", input("\"peer\":\"veth7\"")), 204);
        assertEquals("veth7", peer("f1", "a"));
        assertEquals(null, peer("f2", "b"), "the old far end no longer names f1:a");
        ok(send("POST", port + "connect", input("\"peer\":\"f2:a\"")), 204);
        ok(send("POST", port + "disconnect", null), 204);
        assertEquals(null, peer("f1", "a"));
        assertEquals(null, peer("f2", "a"));
    }

    @Test
    void attachAndDetachATransparentCube() {
        twoForwardersAndAFilter();
        String pf = "/data/pcn-polycubed:polycubed/cube=pf/";
        ok(send("POST", pf + "attach", input("\"parent\":\"f1:b\",\"direction\":\"EGRESS\",\"position\":\"first\"")), 204);
        JsonObject entry = json(get("/data/pcn-protofilter:protofilter=pf").body()).getAsJsonObject()
            .getAsJsonArray("pcn-protofilter:protofilter").get(0).getAsJsonObject();
        assertEquals("f1:b", entry.get("parent").getAsString());
        assertEquals("EGRESS", entry.get("direction").getAsString());
        assertEquals("first", entry.get("position").getAsString());
        ok(send("POST", pf + "detach", null), 204);
        entry = json(get("/data/pcn-protofilter:protofilter=pf").body()).getAsJsonObject()
            .getAsJsonArray("pcn-protofilter:protofilter").get(0).getAsJsonObject();
        assertFalse(entry.has("parent"), entry::toString);
        assertEquals(2, applied.size());
    }

    @Test
    void invalidActionsChangeNothing() {
        twoForwardersAndAFilter();
        ok(send("POST", "/data/pcn-polycubed:polycubed/cube=f1/port=a/connect", input("\"peer\":\"f2:a\"")), 204);
        applied.clear();
        String before = config();
        String base = "/data/pcn-polycubed:polycubed/";
        Object[][] bad = {
            {base + "cube=nope/port=a/connect", input("\"peer\":\"veth1\""), 404, "data-missing"},
            {base + "cube=f1/port=zz/connect", input("\"peer\":\"veth1\""), 404, "data-missing"},
            {base + "cube=f1/port=b/connect", input("\"peer\":\"nope:a\""), 400, "invalid-value"},
            {base + "cube=f1/port=b/connect", input("\"peer\":\"f2:zz\""), 400, "invalid-value"},
            {base + "cube=f1/port=b/connect", input("\"peer\":\"f1:b\""), 400, "invalid-value"},
            {base + "cube=f1/port=b/connect", input("\"peer\":\"bad name!\""), 400, "invalid-value"},
            {base + "cube=f1/port=b/connect", input("\"peer\":7"), 400, "invalid-value"},
            {base + "cube=f1/port=b/connect", input("\"peer\":\"x\",\"speed\":\"1\""), 400, "unknown-element"},
            {base + "cube=f1/port=b/connect", input(""), 400, "missing-element"},
            {base + "cube=f1/port=b/connect", null, 400, "missing-element"},
            {base + "cube=f1/port=b/connect", "{\"peer\":\"x\"}", 400, "malformed-message"},
            {base + "cube=f1/port=b/connect", "{'pcn-polycubed:input':{}}", 400, "malformed-message"},
            {base + "cube=f1/port=b/connect", input("\"peer\":\"veth1\"") + "x", 400, "malformed-message"},
            {base + "cube=pf/port=b/connect", input("\"peer\":\"veth1\""), 400, "invalid-value"},
            {base + "cube=f1/attach", input("\"parent\":\"veth1\""), 400, "invalid-value"},
            {base + "cube=pf/attach", input("\"parent\":\"f1:a\",\"position\":\"middle\""), 400, "invalid-value"},
            {base + "cube=pf/attach", input("\"parent\":\"f1:a\",\"direction\":\"UP\""), 400, "invalid-value"},
            {base + "cube=pf/attach", input("\"parent\":\"f9:a\""), 400, "invalid-value"},
            {base + "cube=pf/attach", input("\"parent\":\"f1:q\""), 400, "invalid-value"},
            {base + "cube=nope/detach", null, 404, "data-missing"},
            {base + "cube=f1/connect", input("\"peer\":\"veth1\""), 400, "unknown-element"},
            {base + "cube=f1/port=a/disconnect", input("\"peer\":\"veth1\""), 400, "unknown-element"},
        };
        for (Object[] request : bad) {
            RestconfResponse response = send("POST", (String) request[0], (String) request[1]);
            assertError(response, (Integer) request[2], (String) request[3]);
            assertEquals(before, config(), () -> "changed by " + request[0] + " " + request[1]);
        }
        RestconfResponse form = service.handle("POST", base + "cube=f1/port=b/connect", Map.of(),
            "application/x-www-form-urlencoded", "peer=veth1");
        assertError(form, 415, "invalid-value");
        assertTrue(applied.isEmpty(), applied::toString);
    }

    @Test
    void aChangeTheDataPlaneRefusesLeavesTheConfiguration() {
        twoForwardersAndAFilter();
        String before = config();
        failure = io.polycube.core.spi.CubeException.invalid("port a: peer netdev 'veth1' does not exist");
        RestconfResponse response = send("POST", "/data/pcn-polycubed:polycubed/cube=f1/port=a/connect",
            input("\"peer\":\"f2:a\""));
        assertTrue(assertError(response, 400, "invalid-value").get("error-message").getAsString().contains("veth1"));
        assertEquals(before, config());
        failure = new io.polycube.core.spi.CubeException(io.polycube.core.spi.CubeException.Kind.CONFLICT, "taken");
        assertError(send("POST", "/data/pcn-polycubed:polycubed/cube=pf/attach", input("\"parent\":\"f1:a\"")),
            409, "resource-denied");
        assertEquals(before, config());
    }

    private static Map<String, JsonObject> byName(JsonArray list) {
        Map<String, JsonObject> map = new java.util.LinkedHashMap<>();
        for (JsonElement element : list) {
            map.put(element.getAsJsonObject().get("name").getAsString(), element.getAsJsonObject());
        }
        return map;
    }

    private static List<String> strings(JsonArray array) {
        List<String> list = new ArrayList<>();
        array.forEach(e -> list.add(e.getAsString()));
        return list;
    }

    private static String contentId(String library) {
        return json(library).getAsJsonObject().getAsJsonObject("ietf-yang-library:yang-library").get("content-id")
            .getAsString();
    }
}
