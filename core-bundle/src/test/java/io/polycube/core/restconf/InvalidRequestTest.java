package io.polycube.core.restconf;

import static io.polycube.core.restconf.Fixture.assertError;
import static io.polycube.core.restconf.Fixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every invalid request gets its RFC 8040 error and leaves the datastore and the cubes untouched. */
class InvalidRequestTest {
    private static final String J = Fixture.JSON;
    private static final String FWD = "/data/pcn-simplefwd:simplefwd";
    private static final String TK = "/data/pcn-testkeys:testkeys";

    @BeforeAll
    static void parseModels() throws Exception {
        TestModels.context();
    }

    static Stream<Arguments> requests() {
        return Stream.of(
            Arguments.of("malformed JSON", "POST", "/data", J, "{\"pcn-simplefwd:simplefwd\":[{", 400,
                "malformed-message"),
            Arguments.of("two top-level members", "POST", "/data", J, "{\"pcn-simplefwd:simplefwd\":[],\"a:b\":1}", 400,
                "malformed-message"),
            Arguments.of("unknown leaf", "POST", "/data", J,
                "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd2\",\"colour\":\"red\"}]}", 400, "unknown-element"),
            Arguments.of("unknown module in body", "POST", "/data", J, "{\"pcn-nope:simplefwd\":[{\"name\":\"x\"}]}",
                400, "unknown-element"),
            Arguments.of("unknown module in URI", "GET", "/data/pcn-nope:simplefwd", null, null, 400,
                "unknown-element"),
            Arguments.of("bad enum", "PATCH", FWD + "=fwd1", J,
                "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"type\":\"FAST\"}]}", 400, "invalid-value"),
            Arguments.of("missing key", "POST", "/data", J, "{\"pcn-simplefwd:simplefwd\":[{\"type\":\"TC\"}]}", 400,
                "missing-element"),
            Arguments.of("missing mandatory", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"limits\":{}}]}", 400, "missing-element"),
            Arguments.of("key in body differs from URI", "PUT", FWD + "=fwd1", J,
                "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd9\"}]}", 400, "invalid-value"),
            Arguments.of("config-false leaf", "PATCH", FWD + "=fwd1/ports=p1", J,
                "{\"pcn-simplefwd:ports\":[{\"name\":\"p1\",\"status\":\"UP\"}]}", 400, "invalid-value"),
            Arguments.of("string for uint16", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":\"1400\"}]}", 400, "invalid-value"),
            Arguments.of("string for boolean", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"enabled\":\"true\"}]}", 400, "invalid-value"),
            Arguments.of("out of range", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":70000}]}", 400, "invalid-value"),
            Arguments.of("bad IPv4", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"address\":\"10.0.0.256\"}]}", 400, "invalid-value"),
            Arguments.of("pattern mismatch", "POST", "/data", J, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"9fwd\"}]}",
                400, "invalid-value"),
            Arguments.of("unqualified top-level member", "POST", "/data", J, "{\"simplefwd\":[{\"name\":\"fwd2\"}]}",
                400, "invalid-value"),
            Arguments.of("dangling leafref on create", "POST", FWD + "=fwd1", J,
                "{\"pcn-simplefwd:actions\":[{\"inport\":\"p9\"}]}", 400, "invalid-value"),
            Arguments.of("delete a referenced port", "DELETE", FWD + "=fwd1/ports=p2", null, null, 400,
                "invalid-value"),
            Arguments.of("dangling absolute leafref", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"peer-instance\":\"t9\"}]}", 400, "invalid-value"),
            Arguments.of("unsupported media type", "POST", "/data", "text/plain", "{}", 415, "invalid-value"),
            Arguments.of("unknown method", "TRACE", FWD, null, null, 405, "operation-not-supported"),
            Arguments.of("POST on existing", "POST", "/data", J, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\"}]}",
                409, "data-exists"),
            Arguments.of("DELETE missing", "DELETE", FWD + "=fwd9", null, null, 404, "data-missing"),
            Arguments.of("PATCH missing", "PATCH", FWD + "=fwd9", J, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd9\"}]}",
                404, "data-missing"),
            Arguments.of("PUT under missing parent", "PUT", FWD + "=fwd9/ports=p1", J,
                "{\"pcn-simplefwd:ports\":[{\"name\":\"p1\"}]}", 404, "data-missing"),
            Arguments.of("GET missing", "GET", FWD + "=fwd9", null, null, 404, "data-missing"),
            Arguments.of("wrong number of keys", "GET", TK + "=t1/routes=10.0.0.1", null, null, 400, "invalid-value"),
            Arguments.of("bad key value", "GET", TK + "=t1/routes=10.0.0.1,99", null, null, 400, "invalid-value"),
            Arguments.of("unknown node in URI", "GET", FWD + "=fwd1/nothing", null, null, 400, "unknown-element"),
            Arguments.of("list without keys in the middle", "GET", FWD + "/ports", null, null, 400, "missing-element"),
            Arguments.of("POST to a whole list", "POST", FWD, J, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"x\"}]}",
                405, "operation-not-supported"),
            Arguments.of("single quotes", "POST", "/data", J, "{'pcn-simplefwd:simplefwd':[{'name':'fwd2'}]}", 400,
                "malformed-message"),
            Arguments.of("comment", "POST", "/data", J, "{/* c */\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd2\"}]}",
                400, "malformed-message"),
            Arguments.of("unquoted value", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":t1}]}", 400, "malformed-message"),
            Arguments.of("trailing garbage", "POST", "/data", J, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd2\"}]} x",
                400, "malformed-message"),
            Arguments.of("duplicate member", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":1400,\"mtu\":1500}]}", 400,
                "malformed-message"),
            Arguments.of("duplicate list keys, the first invalid", "POST", "/data", J,
                "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd2\",\"type\":\"FAST\"},{\"name\":\"fwd2\"}]}", 400,
                "invalid-value"),
            Arguments.of("duplicate list keys in a sublist", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"rules\":[{\"id\":\"a\"},{\"id\":\"a\"}]}]}", 400,
                "invalid-value"),
            Arguments.of("duplicate leaf-list values", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"tags\":[\"x\",\"x\"]}]}", 400, "invalid-value"),
            Arguments.of("array for a scalar leaf", "PATCH", FWD + "=fwd1/actions=p1", J,
                "{\"pcn-simplefwd:actions\":[{\"inport\":\"p1\",\"outport\":[\"p2\"]}]}", 400, "invalid-value"),
            Arguments.of("number for a string key", "POST", "/data", J, "{\"pcn-testkeys:testkeys\":[{\"name\":1.5}]}",
                400, "invalid-value"),
            Arguments.of("nesting too deep", "POST", "/data", J, "[".repeat(100) + "]".repeat(100), 400,
                "malformed-message"),
            Arguments.of("unclosed deep nesting", "POST", "/data", J, "{\"a\":".repeat(5000), 400,
                "malformed-message"),
            Arguments.of("control character in a string", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"a-value\":\"x\\u0001\"}]}", 400, "invalid-value"),
            Arguments.of("lone surrogate in a string", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"tags\":[\"\\ud800\"]}]}", 400, "invalid-value"),
            Arguments.of("noncharacter in a member name", "PATCH", TK + "=t1", J,
                "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"\uFFFF\":1}]}", 400, "invalid-value"),
            Arguments.of("empty body", "POST", "/data", J, "", 400, "malformed-message"),
            Arguments.of("no Content-Type", "POST", "/data", null, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"x\"}]}",
                415, "invalid-value"),
            Arguments.of("form Content-Type", "PATCH", TK + "=t1", "application/x-www-form-urlencoded", "mtu=1400",
                415, "invalid-value"),
            Arguments.of("DELETE of a key leaf", "DELETE", TK + "=t1/name", null, null, 400, "invalid-value"),
            Arguments.of("PUT of a config-false leaf", "PUT", TK + "=t1/counter", J, "{\"pcn-testkeys:counter\":1}",
                405, "operation-not-supported"),
            Arguments.of("lower-case method", "patch", TK + "=t1", J, "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\"}]}",
                501, "operation-not-supported"),
            Arguments.of("leaf-list value in body differs from URI", "PUT", TK + "=t1/tags=a", J,
                "{\"pcn-testkeys:tags\":[\"b\"]}", 400, "invalid-value"),
            Arguments.of("PUT of the datastore without its wrapper", "PUT", "/data", J,
                "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\"}]}", 400, "malformed-message"));
    }

    static Stream<Arguments> queries() {
        return Stream.of(
            Arguments.of("unknown parameter", "GET", "/data", Map.of("colour", List.of("red")), Map.of(), 400,
                "invalid-value"),
            Arguments.of("repeated parameter", "GET", "/data", Map.of("depth", List.of("1", "2")), Map.of(), 400,
                "invalid-value"),
            Arguments.of("depth on DELETE", "DELETE", TK + "=t1", Map.of("depth", List.of("1")), Map.of(), 400,
                "invalid-value"),
            Arguments.of("content on PATCH", "PATCH", TK + "=t1", Map.of("content", List.of("config")),
                Map.of("Content-Type", J), 400, "invalid-value"),
            Arguments.of("depth 0", "GET", "/data", Map.of("depth", List.of("0")), Map.of(), 400, "invalid-value"),
            Arguments.of("depth too big", "GET", "/data", Map.of("depth", List.of("65536")), Map.of(), 400,
                "invalid-value"),
            Arguments.of("bad content", "GET", "/data", Map.of("content", List.of("some")), Map.of(), 400,
                "invalid-value"),
            Arguments.of("bad with-defaults", "GET", "/data", Map.of("with-defaults", List.of("all")), Map.of(), 400,
                "invalid-value"),
            Arguments.of("unknown node in fields", "GET", TK + "=t1", Map.of("fields", List.of("mtu;nothing")), Map.of(),
                400, "invalid-value"),
            Arguments.of("unbalanced fields", "GET", TK + "=t1", Map.of("fields", List.of("limits(max")), Map.of(), 400,
                "invalid-value"),
            Arguments.of("insert without point", "POST", "/data", Map.of("insert", List.of("before")),
                Map.of("Content-Type", J), 400, "invalid-value"),
            Arguments.of("Accept nothing we produce", "GET", "/data", Map.of(), Map.of("Accept", "text/html"), 406,
                "invalid-value"),
            Arguments.of("stale If-Match", "PATCH", TK + "=t1", Map.of(),
                Map.of("Content-Type", J, "If-Match", "\"0123\""), 412, "operation-failed"),
            Arguments.of("old If-Unmodified-Since", "DELETE", TK + "=t1", Map.of(),
                Map.of("If-Unmodified-Since", "Tue, 01 Jan 2019 00:00:00 GMT"), 412, "operation-failed"),
            Arguments.of("If-None-Match * on an existing resource", "PUT", TK + "=t1", Map.of(),
                Map.of("Content-Type", J, "If-None-Match", "*"), 412, "operation-failed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void rejectedByParametersOrHeaders(String what, String method, String path, Map<String, List<String>> query,
            Map<String, String> headers, int status, String tag) throws Exception {
        Fixture fx = new Fixture();
        ok(fx.send("POST", "/data", "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\"}]}"), 201);
        String before = fx.get("/data").body();
        String body = headers.containsKey("Content-Type") ? "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":1400}]}"
            : "";
        if (method.equals("POST")) {
            body = "{\"pcn-testkeys:testkeys\":[{\"name\":\"t2\"}]}";
        }

        assertError(fx.service.handle(new RestconfRequest(method, path, query, headers, body)), status, tag);

        assertEquals(before, fx.get("/data").body(), "datastore changed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void rejected(String what, String method, String path, String contentType, String body, int status, String tag)
            throws Exception {
        Fixture fx = new Fixture();
        ok(fx.send("POST", "/data", "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"ports\":[{\"name\":\"p1\"},"
            + "{\"name\":\"p2\"}],\"actions\":[{\"inport\":\"p1\",\"action\":\"FORWARD\",\"outport\":\"p2\"}]}]}"), 201);
        ok(fx.send("POST", "/data", "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\"}]}"), 201);
        String before = fx.get("/data").body();
        int calls = fx.applied.size();

        assertError(fx.service.handle(method, path, Map.of(), contentType, body), status, tag);

        assertEquals(before, fx.get("/data").body(), "datastore changed");
        assertEquals(calls, fx.applied.size(), "applier called");
    }

    /** yangtools' words name the value only: the message says which leaf of the body it was. */
    @org.junit.jupiter.api.Test
    void aValueOutOfRangeIsPlaced() throws Exception {
        Fixture fx = new Fixture();
        ok(fx.send("POST", "/data", "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\"}]}"), 201);
        RestconfResponse response = fx.service.handle("PATCH", TK + "=t1", Map.of(), J,
            "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":70000}]}");
        assertError(response, 400, "invalid-value");
        String body = response.body();
        org.junit.jupiter.api.Assertions.assertTrue(body.contains("70000") && body.contains("(at pcn-testkeys:testkeys[0].mtu)"),
            body);
    }
}
