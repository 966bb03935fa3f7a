package io.polycube.core.restconf;

import static io.polycube.core.restconf.Fixture.assertError;
import static io.polycube.core.restconf.Fixture.json;
import static io.polycube.core.restconf.Fixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 8040 protocol features on the real service: query parameters, entity tags, datastore writes, HTTP details. */
class ProtocolTest {
    private static final String J = Fixture.JSON;
    private static final String TK = "/data/pcn-testkeys:testkeys";
    private static final String T1 = "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":1400,\"enabled\":true,"
        + "\"limits\":{\"max\":5},\"tags\":[\"a\",\"b\"],\"routes\":[{\"prefix\":\"10.0.0.0\",\"len\":8,\"via\":\"x\"}]}]}";

    private Fixture fx;

    @BeforeAll
    static void parseModels() throws Exception {
        TestModels.context();
    }

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture();
        ok(fx.send("POST", "/data", T1), 201);
    }

    private RestconfResponse send(String method, String path, Map<String, String> query, Map<String, String> headers,
            String body) {
        Map<String, List<String>> multi = new java.util.LinkedHashMap<>();
        query.forEach((k, v) -> multi.put(k, List.of(v)));
        return fx.service.handle(new RestconfRequest(method, path, multi, headers, body));
    }

    @Test
    void depthCutsTheTreeAtTheGivenLevel() {
        assertEquals(json("{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\"}]}"),
            json(ok(fx.get(TK + "=t1", Map.of("depth", "1")), 200).body()));
        assertEquals(json("{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":1400,\"enabled\":true,"
            + "\"limits\":{},\"tags\":[\"a\",\"b\"],\"routes\":[{\"prefix\":\"10.0.0.0\",\"len\":8}]}]}"),
            json(fx.get(TK + "=t1", Map.of("depth", "2", "with-defaults", "explicit")).body()));
        assertEquals(json(T1), json(fx.get(TK + "=t1", Map.of("depth", "unbounded", "with-defaults", "explicit"))
            .body()));
        assertEquals(json("{\"ietf-restconf:data\":{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\"}]}}"),
            json(fx.get("/data", Map.of("depth", "1")).body()));
    }

    @Test
    void fieldsSelectsNodesAndKeepsKeys() {
        assertEquals(json("{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":1400,\"limits\":{\"max\":5}}]}"),
            json(ok(fx.get(TK + "=t1", Map.of("fields", "mtu;limits(max)")), 200).body()));
        assertEquals(json("{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"routes\":[{\"prefix\":\"10.0.0.0\",\"len\":8,"
            + "\"via\":\"x\"}]}]}"), json(fx.get(TK + "=t1", Map.of("fields", "routes/via")).body()));
        assertEquals(json("{\"ietf-restconf:data\":{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"enabled\":true}]}}"),
            json(fx.get("/data", Map.of("fields", "pcn-testkeys:testkeys(enabled)")).body()));
    }

    @Test
    void withDefaultsAllFourModes() {
        ok(fx.send("PATCH", TK + "=t1", "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":1500,"
            + "\"rules\":[{\"id\":\"r1\"}]}]}"), 204);
        String all = fx.get(TK + "=t1/rules=r1", Map.of("with-defaults", "report-all")).body();
        assertEquals(json("{\"pcn-testkeys:rules\":[{\"id\":\"r1\",\"verdict\":\"drop\"}]}"), json(all));
        assertEquals(json("{\"pcn-testkeys:rules\":[{\"id\":\"r1\"}]}"),
            json(fx.get(TK + "=t1/rules=r1", Map.of("with-defaults", "explicit")).body()));
        // mtu was set to its default value: explicit keeps it, trim drops it.
        assertEquals(json("{\"pcn-testkeys:mtu\":1500}"),
            json(fx.get(TK + "=t1/mtu", Map.of("with-defaults", "explicit")).body()));
        assertFalse(fx.get(TK + "=t1", Map.of("with-defaults", "trim")).body().contains("mtu"));
        assertEquals(json("{\"pcn-testkeys:rules\":[{\"id\":\"r1\",\"verdict\":\"drop\",\"@verdict\":"
            + "{\"ietf-netconf-with-defaults:default\":true}}]}"),
            json(fx.get(TK + "=t1/rules=r1", Map.of("with-defaults", "report-all-tagged")).body()));
    }

    @Test
    void entityTagsFollowTheResourceAndItsDescendantsOnly() {
        ok(fx.send("POST", "/data", "{\"pcn-testkeys:testkeys\":[{\"name\":\"t2\"}]}"), 201);
        RestconfResponse t1 = ok(fx.get(TK + "=t1"), 200);
        String tag = t1.headers().get("ETag");
        assertNotNull(tag);
        assertTrue(tag.startsWith("\"") && tag.endsWith("\""));
        assertNotNull(t1.headers().get("Last-Modified"));
        String root = fx.get("/data").headers().get("ETag");

        ok(fx.send("PATCH", TK + "=t2", "{\"pcn-testkeys:testkeys\":[{\"name\":\"t2\",\"mtu\":1000}]}"), 204);
        assertEquals(tag, fx.get(TK + "=t1").headers().get("ETag"), "an unrelated change moved the tag");
        assertNotEquals(root, fx.get("/data").headers().get("ETag"));

        ok(fx.send("PATCH", TK + "=t1/limits", "{\"pcn-testkeys:limits\":{\"max\":6}}"), 204);
        String changed = fx.get(TK + "=t1").headers().get("ETag");
        assertNotEquals(tag, changed, "a descendant's change must move the tag");

        assertEquals(304, send("GET", TK + "=t1", Map.of(), Map.of("If-None-Match", changed), "").status());
        assertEquals(200, send("GET", TK + "=t1", Map.of(), Map.of("If-None-Match", tag), "").status());
        String mtu = "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":1300}]}";
        assertError(send("PATCH", TK + "=t1", Map.of(), Map.of("Content-Type", J, "If-Match", tag), mtu), 412,
            "operation-failed");
        RestconfResponse done = send("PATCH", TK + "=t1", Map.of(), Map.of("Content-Type", J, "If-Match", changed),
            mtu);
        assertEquals(204, done.status(), done::toString);
        assertEquals(fx.get(TK + "=t1").headers().get("ETag"), done.headers().get("ETag"));
        String future = Preconditions.HttpDates.format(java.time.Instant.now().plusSeconds(60));
        assertEquals(304, send("GET", TK + "=t1", Map.of(), Map.of("If-Modified-Since", future), "").status());
        assertEquals(204, send("DELETE", TK + "=t2", Map.of(), Map.of("If-Unmodified-Since", future), "").status());
    }

    @Test
    void putAndPatchOfTheDatastore() {
        String replacement = "{\"ietf-restconf:data\":{\"pcn-testkeys:testkeys\":[{\"name\":\"t3\"}],"
            + "\"pcn-testkeys:testkeys-global\":{\"motd\":\"hi\"}}}";
        ok(send("PUT", "/data", Map.of(), Map.of("Content-Type", J), replacement), 204);
        assertEquals(json("{\"ietf-restconf:data\":{\"pcn-testkeys:testkeys\":[{\"name\":\"t3\"}],"
            + "\"pcn-testkeys:testkeys-global\":{\"motd\":\"hi\"}}}"),
            json(fx.get("/data", Map.of("with-defaults", "explicit")).body()));
        ok(send("PATCH", "/data", Map.of(), Map.of("Content-Type", J),
            "{\"ietf-restconf:data\":{\"pcn-testkeys:testkeys\":[{\"name\":\"t4\"}]}}"), 204);
        assertEquals(2, json(fx.get(TK, Map.of("with-defaults", "explicit")).body()).getAsJsonObject()
            .getAsJsonArray("pcn-testkeys:testkeys").size());
        ok(fx.get(TK + "=t4"), 200);
        // One transaction: an invalid second top-level node leaves everything as it was.
        String before = fx.get("/data").body();
        assertError(send("PUT", "/data", Map.of(), Map.of("Content-Type", J), "{\"ietf-restconf:data\":{"
            + "\"pcn-testkeys:testkeys\":[{\"name\":\"t5\"}],\"pcn-testkeys:testkeys-global\":{\"motd\":5}}}"), 400,
            "invalid-value");
        assertEquals(before, fx.get("/data").body());
    }

    @Test
    void leafListValues() {
        assertEquals(json("{\"pcn-testkeys:tags\":[\"a\"]}"), json(ok(fx.get(TK + "=t1/tags=a"), 200).body()));
        ok(fx.send("POST", TK + "=t1", "{\"pcn-testkeys:tags\":[\"c\"]}"), 201);
        assertError(fx.send("POST", TK + "=t1", "{\"pcn-testkeys:tags\":[\"c\"]}"), 409, "data-exists");
        ok(fx.send("PUT", TK + "=t1/tags=d", "{\"pcn-testkeys:tags\":[\"d\"]}"), 201);
        ok(fx.send("DELETE", TK + "=t1/tags=a", null), 204);
        assertEquals(json("{\"pcn-testkeys:tags\":[\"b\",\"c\",\"d\"]}"), json(fx.get(TK + "=t1/tags").body()));
        assertError(fx.get(TK + "=t1/tags=zz"), 404, "data-missing");
    }

    @Test
    void allowAcceptPatchHeadAndNegotiation() {
        RestconfResponse options = ok(fx.send("OPTIONS", TK + "=t1", null), 200);
        assertEquals("GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE", options.headers().get("Allow"));
        assertTrue(options.headers().get("Accept-Patch").contains(J));
        assertEquals("GET, HEAD, OPTIONS", fx.send("OPTIONS", TK + "=t1/counter", null).headers().get("Allow"));
        assertEquals("GET, HEAD, OPTIONS", fx.send("OPTIONS", TK + "=t1/name", null).headers().get("Allow"));
        assertEquals("GET, HEAD, OPTIONS, PUT, PATCH, DELETE", fx.send("OPTIONS", TK + "=t1/mtu", null).headers()
            .get("Allow"));
        assertEquals("GET, HEAD, OPTIONS, PUT, POST, PATCH", fx.send("OPTIONS", "/data", null).headers().get("Allow"));
        RestconfResponse refused = fx.send("DELETE", "/data", null);
        assertEquals(405, refused.status());
        assertFalse(refused.headers().get("Allow").contains("DELETE"));

        RestconfResponse get = fx.get(TK + "=t1");
        RestconfResponse head = fx.send("HEAD", TK + "=t1", null);
        assertEquals(200, head.status());
        assertEquals("", head.body());
        assertEquals(get.headers().get("ETag"), head.headers().get("ETag"));
        assertEquals(String.valueOf(get.body().length()), head.headers().get("Content-Length"));

        assertEquals(200, send("GET", TK + "=t1", Map.of(), Map.of("Accept", "text/html;q=0.9, */*;q=0.1"), "")
            .status());
        assertEquals(200, send("GET", TK + "=t1", Map.of(), Map.of("Accept", "application/json"), "").status());
        assertEquals(406, send("GET", TK + "=t1", Map.of(), Map.of("Accept", "application/yang-data+json;q=0, "
            + "text/plain"), "").status());
    }

    @Test
    void messagesNeverShowLibraryInternals() {
        RestconfResponse bad = fx.send("POST", "/data", "{\"pcn-testkeys:testkeys\":[{\"name\":\"t9\",}]}");
        assertError(bad, 400, "malformed-message");
        assertFalse(bad.body().contains("setLenient"), bad.body());
        assertFalse(bad.body().contains("%n"), bad.body());
        assertFalse(bad.body().contains("Troubleshooting"), bad.body());
    }

    @Test
    void insertAndPointOrderUserOrderedListsAndLeafLists() {
        String rules = TK + "=t1/rules";
        ok(fx.send("POST", TK + "=t1", "{\"pcn-testkeys:rules\":[{\"id\":\"b\"}]}"), 201);
        ok(send("POST", TK + "=t1", Map.of("insert", "first"), Map.of("Content-Type", J),
            "{\"pcn-testkeys:rules\":[{\"id\":\"a\"}]}"), 201);
        ok(send("POST", TK + "=t1", Map.of("insert", "last"), Map.of("Content-Type", J),
            "{\"pcn-testkeys:rules\":[{\"id\":\"d\"}]}"), 201);
        ok(send("POST", TK + "=t1", Map.of("insert", "after", "point", "pcn-testkeys:testkeys=t1/rules=b"),
            Map.of("Content-Type", J), "{\"pcn-testkeys:rules\":[{\"id\":\"c\"}]}"), 201);
        assertEquals(json("{\"pcn-testkeys:rules\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"},{\"id\":\"d\"}]}"),
            json(fx.get(rules, Map.of("with-defaults", "explicit")).body()));
        // PUT with insert moves an existing entry.
        ok(send("PUT", rules + "=d", Map.of("insert", "before", "point", "/pcn-testkeys:testkeys=t1/rules=a"),
            Map.of("Content-Type", J), "{\"pcn-testkeys:rules\":[{\"id\":\"d\"}]}"), 204);
        assertEquals(json("{\"pcn-testkeys:rules\":[{\"id\":\"d\"},{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]}"),
            json(fx.get(rules, Map.of("with-defaults", "explicit")).body()));

        ok(fx.send("POST", TK + "=t1", "{\"pcn-testkeys:steps\":[\"two\"]}"), 201);
        ok(send("POST", TK + "=t1", Map.of("insert", "before", "point", "pcn-testkeys:testkeys=t1/steps=two"),
            Map.of("Content-Type", J), "{\"pcn-testkeys:steps\":[\"one\"]}"), 201);
        assertEquals(json("{\"pcn-testkeys:steps\":[\"one\",\"two\"]}"), json(fx.get(TK + "=t1/steps").body()));

        String before = fx.get("/data").body();
        assertError(send("POST", TK + "=t1", Map.of("insert", "first"), Map.of("Content-Type", J),
            "{\"pcn-testkeys:tags\":[\"z\"]}"), 400, "invalid-value");
        assertError(send("POST", TK + "=t1", Map.of("insert", "after", "point", "pcn-testkeys:testkeys=t1/rules=zz"),
            Map.of("Content-Type", J), "{\"pcn-testkeys:rules\":[{\"id\":\"e\"}]}"), 400, "invalid-value");
        assertError(send("POST", TK + "=t1", Map.of("insert", "after", "point", "pcn-testkeys:testkeys=t1/steps=one"),
            Map.of("Content-Type", J), "{\"pcn-testkeys:rules\":[{\"id\":\"e\"}]}"), 400, "invalid-value");
        assertEquals(before, fx.get("/data").body());
    }

    @Test
    void insertOnATopLevelContainerIsRefused() {
        String before = fx.get("/data").body();
        assertError(send("PUT", "/data/pcn-testkeys:testkeys-global", Map.of("insert", "first"),
            Map.of("Content-Type", J), "{\"pcn-testkeys:testkeys-global\":{\"motd\":\"hi\"}}"), 400, "invalid-value");
        assertEquals(before, fx.get("/data").body());
    }
}
