package io.polycube.core.restconf;

import static io.polycube.core.restconf.Fixture.assertError;
import static io.polycube.core.restconf.Fixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
                400, "invalid-value"));
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
}
