package io.polycube.core.restconf;

import static io.polycube.core.restconf.Fixture.json;
import static io.polycube.core.restconf.Fixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 8072 YANG Patch on the real service: ordered edits, one transaction, per-edit status. */
class YangPatchTest {
    private static final String TK = "/data/pcn-testkeys:testkeys";
    private static final String PATCH = "application/yang-patch+json";

    private Fixture fx;

    @BeforeAll
    static void parseModels() throws Exception {
        TestModels.context();
    }

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture();
        ok(fx.send("POST", "/data", "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"rules\":[{\"id\":\"a\"}]}]}"), 201);
    }

    private RestconfResponse patch(String path, String body) {
        return fx.send("PATCH", path, Map.of("Content-Type", PATCH), body);
    }

    private static String edits(String... edits) {
        return "{\"ietf-yang-patch:yang-patch\":{\"patch-id\":\"p1\",\"edit\":[" + String.join(",", edits) + "]}}";
    }

    @Test
    void editsApplyInOrderInOneTransaction() {
        RestconfResponse done = patch(TK + "=t1", edits(
            "{\"edit-id\":\"1\",\"operation\":\"merge\",\"target\":\"/mtu\",\"value\":{\"pcn-testkeys:mtu\":1400}}",
            "{\"edit-id\":\"2\",\"operation\":\"create\",\"target\":\"/rules=c\","
                + "\"value\":{\"pcn-testkeys:rules\":[{\"id\":\"c\"}]}}",
            "{\"edit-id\":\"3\",\"operation\":\"insert\",\"target\":\"/rules=b\",\"where\":\"before\","
                + "\"point\":\"/rules=c\",\"value\":{\"pcn-testkeys:rules\":[{\"id\":\"b\"}]}}",
            "{\"edit-id\":\"4\",\"operation\":\"move\",\"target\":\"/rules=a\",\"where\":\"last\"}",
            "{\"edit-id\":\"5\",\"operation\":\"replace\",\"target\":\"/limits\","
                + "\"value\":{\"pcn-testkeys:limits\":{\"max\":3}}}",
            "{\"edit-id\":\"6\",\"operation\":\"remove\",\"target\":\"/address\"}"));
        assertEquals(200, done.status(), done::toString);
        assertEquals(json("{\"ietf-yang-patch:yang-patch-status\":{\"patch-id\":\"p1\",\"ok\":[null]}}"),
            json(done.body()));
        assertEquals(json("{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":1400,\"limits\":{\"max\":3},"
            + "\"rules\":[{\"id\":\"b\"},{\"id\":\"c\"},{\"id\":\"a\"}]}]}"),
            json(fx.get(TK + "=t1", Map.of("with-defaults", "explicit")).body()));
        RestconfResponse atRoot = patch("/data", edits("{\"edit-id\":\"x\",\"operation\":\"delete\","
            + "\"target\":\"/pcn-testkeys:testkeys=t1/rules=a\"}"));
        assertEquals(200, atRoot.status(), atRoot::toString);
    }

    @Test
    void aFailingEditIsNamedAndNothingChanges() {
        String before = fx.get("/data").body();
        RestconfResponse refused = patch(TK + "=t1", edits(
            "{\"edit-id\":\"1\",\"operation\":\"merge\",\"target\":\"/mtu\",\"value\":{\"pcn-testkeys:mtu\":1400}}",
            "{\"edit-id\":\"2\",\"operation\":\"create\",\"target\":\"/rules=a\","
                + "\"value\":{\"pcn-testkeys:rules\":[{\"id\":\"a\"}]}}"));
        assertEquals(409, refused.status(), refused::toString);
        var status = json(refused.body()).getAsJsonObject().getAsJsonObject("ietf-yang-patch:yang-patch-status");
        assertEquals("p1", status.get("patch-id").getAsString());
        var edit = status.getAsJsonObject("edit-status").getAsJsonArray("edit").get(0).getAsJsonObject();
        assertEquals("2", edit.get("edit-id").getAsString());
        assertEquals("data-exists", edit.getAsJsonObject("errors").getAsJsonArray("error").get(0).getAsJsonObject()
            .get("error-tag").getAsString());
        assertEquals(before, fx.get("/data").body());

        RestconfResponse invalid = patch(TK + "=t1", edits(
            "{\"edit-id\":\"1\",\"operation\":\"merge\",\"target\":\"/limits\",\"value\":{\"pcn-testkeys:limits\":{}}}"));
        assertEquals(400, invalid.status(), invalid::toString);
        assertEquals(before, fx.get("/data").body());

        for (String bad : new String[] {"{\"ietf-yang-patch:yang-patch\":{\"patch-id\":\"p\",\"edit\":[]}}",
                edits("{\"edit-id\":\"1\",\"operation\":\"frobnicate\",\"target\":\"/mtu\"}"),
                edits("{\"edit-id\":\"1\",\"operation\":\"merge\",\"target\":\"/mtu\"}"),
                edits("{\"edit-id\":\"1\",\"operation\":\"delete\",\"target\":\"/nothing\"}"),
                edits("{\"edit-id\":\"1\",\"operation\":\"remove\",\"target\":\"/mtu\"}",
                    "{\"edit-id\":\"1\",\"operation\":\"remove\",\"target\":\"/mtu\"}")}) {
            Fixture.assertError(patch(TK + "=t1", bad), 400, bad.contains("nothing") ? "unknown-element"
                : bad.contains("\"merge\"") ? "missing-element" : bad.contains("[]}") ? "malformed-message"
                : "invalid-value");
        }
        assertEquals(before, fx.get("/data").body());
    }

    /**
     * The data plane refuses one instance at commit (after every edit was applied to the tree): the answer
     * names the last edit that touched that instance, with the refusal's reason; a refusal naming no
     * instance stays a global error. Nothing is committed either way.
     */
    @Test
    void aDataPlaneRefusalIsTheStatusOfTheEditThatTouchedTheInstance() {
        String before = fx.get("/data").body();
        fx.failure = new ChangeRefused(new InstanceChange("testkeys", "t2", java.util.Optional.empty(),
            java.util.Optional.empty()), io.polycube.core.spi.CubeException.invalid("the verifier refused t2"));
        String body = edits(
            "{\"edit-id\":\"1\",\"operation\":\"merge\",\"target\":\"/pcn-testkeys:testkeys=t1/mtu\","
                + "\"value\":{\"pcn-testkeys:mtu\":1400}}",
            "{\"edit-id\":\"2\",\"operation\":\"create\",\"target\":\"/pcn-testkeys:testkeys=t2\","
                + "\"value\":{\"pcn-testkeys:testkeys\":[{\"name\":\"t2\"}]}}",
            "{\"edit-id\":\"3\",\"operation\":\"merge\",\"target\":\"/pcn-testkeys:testkeys=t1/mtu\","
                + "\"value\":{\"pcn-testkeys:mtu\":1300}}");
        RestconfResponse refused = patch("/data", body);
        assertEquals(400, refused.status(), refused::toString);
        var status = json(refused.body()).getAsJsonObject().getAsJsonObject("ietf-yang-patch:yang-patch-status");
        assertEquals(null, status.get("errors"), refused::toString);
        var edits = status.getAsJsonObject("edit-status").getAsJsonArray("edit");
        assertEquals(1, edits.size(), refused::toString);
        var edit = edits.get(0).getAsJsonObject();
        assertEquals("2", edit.get("edit-id").getAsString());
        var error = edit.getAsJsonObject("errors").getAsJsonArray("error").get(0).getAsJsonObject();
        assertEquals("invalid-value", error.get("error-tag").getAsString());
        assertEquals("/pcn-testkeys:testkeys[name='t2']", error.get("error-path").getAsString());
        assertEquals("the verifier refused t2", error.get("error-message").getAsString());
        assertEquals(before, fx.get("/data").body());

        fx.failure = io.polycube.core.spi.CubeException.invalid("no instance named");
        RestconfResponse global = patch("/data", body);
        assertEquals(400, global.status(), global::toString);
        var globalStatus = json(global.body()).getAsJsonObject().getAsJsonObject("ietf-yang-patch:yang-patch-status");
        assertEquals(null, globalStatus.get("edit-status"), global::toString);
        assertEquals("no instance named", globalStatus.getAsJsonObject("errors").getAsJsonArray("error").get(0)
            .getAsJsonObject().get("error-message").getAsString());
        assertEquals(before, fx.get("/data").body());
    }
}
