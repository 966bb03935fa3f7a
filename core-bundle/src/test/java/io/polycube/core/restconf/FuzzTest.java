package io.polycube.core.restconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.polycube.core.model.FrameworkActions;
import io.polycube.core.model.FrameworkModel;
import io.polycube.core.model.Topology;
import io.polycube.core.restconf.library.RestconfMonitoring;
import io.polycube.core.restconf.library.YangLibrary;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A seeded mutation fuzzer over the real service and models: valid requests of every kind, mutated
 * (bytes, JSON types, duplicates, nesting, paths, parameters, headers, methods). Whatever comes in, the
 * answer is never a 5xx, every error is an RFC 8040 (or RFC 8072) error report, and a refused request
 * (or a read) leaves the configuration byte for byte as it was and never reaches the cubes. Replay a
 * failure with {@code -Dpcn.fuzz.seed=S}; {@code -Dpcn.fuzz.count=N} runs more (bounded by time).
 */
class FuzzTest {
    private static final long SEED = Long.getLong("pcn.fuzz.seed", 7L);
    private static final int COUNT = Integer.getInteger("pcn.fuzz.count", 3000);
    private static final long BUDGET_NANOS = Long.getLong("pcn.fuzz.seconds", 20L) * 1_000_000_000L;
    /** A fresh datastore this often, so that the corpus keeps finding the entries it names. */
    private static final int RESET_EVERY = 150;

    private static final String J = "application/yang-data+json";
    private static final String X = "application/yang-data+xml";
    private static final String YP = "application/yang-patch+json";
    private static final String TK = "/data/pcn-testkeys:testkeys";
    private static final String FWD = "/data/pcn-simplefwd:simplefwd";
    private static final String NS = "urn:polycube:testkeys";
    private static final String SETUP = "{\"ietf-restconf:data\":{"
        + "\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"ports\":[{\"name\":\"p1\"},{\"name\":\"p2\"}],"
        + "\"actions\":[{\"inport\":\"p1\",\"action\":\"FORWARD\",\"outport\":\"p2\"}]},"
        + "{\"name\":\"fwd2\",\"ports\":[{\"name\":\"a\"}]}],"
        + "\"pcn-protofilter:protofilter\":[{\"name\":\"pf\"}],"
        + "\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":1400,\"enabled\":true,\"address\":\"10.0.0.1\","
        + "\"limits\":{\"max\":5},\"a-value\":\"x\",\"tags\":[\"a\",\"b\"],\"steps\":[\"s1\",\"s2\"],"
        + "\"rules\":[{\"id\":\"a\"},{\"id\":\"b\",\"verdict\":\"pass\"}],"
        + "\"routes\":[{\"prefix\":\"10.0.0.0\",\"len\":8,\"via\":\"x\"}]},{\"name\":\"t2\",\"peer-instance\":\"t1\"}],"
        + "\"pcn-testkeys:testkeys-global\":{\"motd\":\"hi\"}}}";

    /** One request, mutable while it is being mutated. */
    private static final class Req {
        String method;
        String path;
        final Map<String, List<String>> query = new LinkedHashMap<>();
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String body;

        Req(String method, String path, String contentType, String body) {
            this.method = method;
            this.path = path;
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
            this.body = body == null ? "" : body;
        }

        Req param(String name, String value) {
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        Req header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Req copy() {
            Req copy = new Req(method, path, null, body);
            query.forEach((k, v) -> copy.query.put(k, new ArrayList<>(v)));
            copy.headers.putAll(headers);
            return copy;
        }

        RestconfRequest toRequest() {
            return new RestconfRequest(method, path, query, headers, body);
        }

        @Override
        public String toString() {
            return "method=" + quote(method) + " path=" + quote(path) + " query=" + query + " headers=" + headers
                + " body=" + quote(body.length() > 4000 ? body.substring(0, 4000) + "...(" + body.length() + " chars)"
                : body);
        }
    }

    private static List<Req> corpus() {
        List<Req> c = new ArrayList<>();
        c.add(new Req("GET", "/data", null, null));
        c.add(new Req("GET", "/data", null, null).param("depth", "2").param("with-defaults", "report-all"));
        c.add(new Req("GET", TK + "=t1", null, null).param("fields", "mtu;limits(max);routes/via"));
        c.add(new Req("GET", TK + "=t1/tags=a", null, null));
        c.add(new Req("GET", TK + "=t1/routes=10.0.0.0,8", null, null).param("content", "config"));
        c.add(new Req("GET", FWD + "=fwd1/ports=p1", null, null).header("Accept", X));
        c.add(new Req("HEAD", TK + "=t1/mtu", null, null).header("If-None-Match", "\"x\""));
        c.add(new Req("OPTIONS", TK + "=t1", null, null));
        c.add(new Req("GET", "/data/ietf-yang-library:yang-library", null, null));
        c.add(new Req("GET", "/data/pcn-polycubed:polycubed", null, null));
        c.add(new Req("GET", "/operations", null, null));
        c.add(new Req("GET", "", null, null));
        c.add(new Req("POST", "/data", J, "{\"pcn-testkeys:testkeys\":[{\"name\":\"t3\",\"mtu\":1300,"
            + "\"color\":\"pcn-testkeys:red\",\"b-value\":-4,\"tags\":[\"x\"]}]}"));
        c.add(new Req("POST", "/data", J, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd3\",\"type\":\"TC\","
            + "\"ports\":[{\"name\":\"q\"}]}]}"));
        c.add(new Req("POST", TK + "=t1", J, "{\"pcn-testkeys:rules\":[{\"id\":\"c\",\"verdict\":\"x\"}]}")
            .param("insert", "before").param("point", TK + "=t1/rules=b"));
        c.add(new Req("POST", TK + "=t1", J, "{\"pcn-testkeys:steps\":[\"s0\"]}").param("insert", "first"));
        c.add(new Req("POST", FWD + "=fwd1", J, "{\"pcn-simplefwd:actions\":[{\"inport\":\"p2\",\"action\":\"DROP\"}]}"));
        c.add(new Req("PUT", TK + "=t1", J, "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":9000,"
            + "\"limits\":{\"max\":1},\"routes\":[{\"prefix\":\"10.1.0.0\",\"len\":16}]}]}"));
        c.add(new Req("PUT", TK + "=t1/mtu", J, "{\"pcn-testkeys:mtu\":1280}").header("If-Match", "*"));
        c.add(new Req("PUT", TK + "=t1/tags=z", J, "{\"pcn-testkeys:tags\":[\"z\"]}"));
        c.add(new Req("PUT", TK + "=t1/rules=z", J, "{\"pcn-testkeys:rules\":[{\"id\":\"z\"}]}")
            .param("insert", "after").param("point", TK + "=t1/rules=a"));
        c.add(new Req("PUT", TK + "=t1/limits", J, "{\"pcn-testkeys:limits\":{\"max\":4294967295}}"));
        c.add(new Req("PUT", "/data/pcn-testkeys:testkeys-global", J, "{\"pcn-testkeys:testkeys-global\":{\"motd\":\"é\"}}"));
        c.add(new Req("PUT", "/data", J, SETUP));
        c.add(new Req("PATCH", "/data", J, "{\"ietf-restconf:data\":{\"pcn-testkeys:testkeys\":[{\"name\":\"t4\"}]}}"));
        c.add(new Req("PATCH", TK + "=t1", J, "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"enabled\":false,"
            + "\"address\":\"192.168.1.1\",\"peer-instance\":\"t2\",\"rules\":[{\"id\":\"q\"}]}]}"));
        c.add(new Req("PATCH", FWD + "=fwd1/actions=p1", J, "{\"pcn-simplefwd:actions\":[{\"inport\":\"p1\","
            + "\"action\":\"SLOWPATH\"}]}"));
        c.add(new Req("PATCH", TK + "=t1", YP, "{\"ietf-yang-patch:yang-patch\":{\"patch-id\":\"p1\",\"edit\":["
            + "{\"edit-id\":\"1\",\"operation\":\"merge\",\"target\":\"/mtu\",\"value\":{\"pcn-testkeys:mtu\":1400}},"
            + "{\"edit-id\":\"2\",\"operation\":\"create\",\"target\":\"/rules=c\",\"value\":{\"pcn-testkeys:rules\":"
            + "[{\"id\":\"c\"}]}},{\"edit-id\":\"3\",\"operation\":\"insert\",\"target\":\"/rules=d\",\"where\":\"before\","
            + "\"point\":\"/rules=a\",\"value\":{\"pcn-testkeys:rules\":[{\"id\":\"d\"}]}},"
            + "{\"edit-id\":\"4\",\"operation\":\"move\",\"target\":\"/rules=a\",\"where\":\"last\"},"
            + "{\"edit-id\":\"5\",\"operation\":\"remove\",\"target\":\"/address\"}]}}"));
        c.add(new Req("PATCH", "/data", YP, "{\"ietf-yang-patch:yang-patch\":{\"patch-id\":\"p2\",\"edit\":["
            + "{\"edit-id\":\"x\",\"operation\":\"delete\",\"target\":\"/pcn-testkeys:testkeys=t2\"}]}}"));
        c.add(new Req("DELETE", TK + "=t2", null, null));
        c.add(new Req("DELETE", TK + "=t1/tags=b", null, null));
        c.add(new Req("DELETE", TK + "=t1/routes=10.0.0.0,8", null, null).header("If-Match", "*"));
        c.add(new Req("DELETE", FWD + "=fwd1/actions=p1", null, null));
        c.add(new Req("PUT", TK + "=t1/mtu", X, "<mtu xmlns=\"" + NS + "\">1300</mtu>"));
        c.add(new Req("PATCH", TK + "=t1", X, "<testkeys xmlns=\"" + NS + "\"><name>t1</name><enabled>true</enabled>"
            + "<tags>q</tags></testkeys>"));
        c.add(new Req("POST", "/data", X, "<testkeys xmlns=\"" + NS + "\"><name>t5</name><mtu>100</mtu></testkeys>"));
        c.add(new Req("POST", "/data/pcn-polycubed:polycubed/cube=fwd1/port=p1/connect", J,
            "{\"pcn-polycubed:input\":{\"peer\":\"fwd2:a\"}}"));
        c.add(new Req("POST", "/data/pcn-polycubed:polycubed/cube=pf/attach", J,
            "{\"pcn-polycubed:input\":{\"parent\":\"fwd1:p2\",\"direction\":\"EGRESS\",\"position\":\"first\"}}"));
        c.add(new Req("POST", "/data/pcn-polycubed:polycubed/cube=fwd1/port=p1/disconnect", null, null));
        return c;
    }

    private static final String[] STRINGS = {"", "x", "t1", "t2", "p1", "p2", "fwd1", "a", "10.0.0.1", "10.0.0.256",
        "FORWARD", "DROP", "pcn-testkeys:red", "red", "a,b", "ü€😀", "\u0000\u0001\u001f", "\uD800", "\u202e",
        "1400", "true", "null", "../x", "%2F", "fwd1:p1", "x".repeat(5000), " ", "\t\n"};
    private static final String[] NUMBERS = {"0", "-0", "-1", "1.5", "68", "9000", "9001", "65536", "4294967296",
        "1e400", "-1e-400", "123456789012345678901234567890", "0.0000001", "2147483648", "-2147483649", "1E2"};
    private static final String[] JUNK = {"{", "}", "[", "]", "\"", ",", ":", "null", "\u0000", "\uD800", "é", "\n",
        "'", "/*", "//", "1e999", "\\", "\\u", "\\uZZZZ", "<", ">", "&", "<!--", "]]>", "<![CDATA[", "&e;", "\uFEFF"};
    private static final String[] PATH_JUNK = {"%", "%G1", "%2", "%00", "%2F", "%2C", "/", "//", "=", ",", ":", "..",
        "é", " ", "\n", "\r\n", "?", "#", "[", "]", "%25", "%C3%28", "%FF", "%E2%82", "*", "\u0000", "=%", ";"};
    private static final String[] SEGMENTS = {"/mtu", "/nothing", "/pcn-testkeys:name", "/ports", "=x", "/rules=a/id",
        "/tags", "/limits/max", "/counter", "/routes=1.2.3.4,9", "=t1,t2", "/pcn-simplefwd:ports=p1", "/connect",
        "/pcn-nope:x", "=", "/name"};
    private static final String[] PARAMS = {"depth", "content", "fields", "with-defaults", "insert", "point", "filter",
        "start-time", "stop-time", "x", "", "depth ", "DEPTH", "odl-pretty-print"};
    private static final String[] VALUES = {"1", "0", "-1", "3", "65535", "65536", "unbounded", "config", "nonconfig",
        "all", "mtu;limits(max)", "limits(max", "routes/via", "(", ")", ";", "report-all", "report-all-tagged", "trim",
        "explicit", "first", "last", "before", "after", TK + "=t1/rules=a", "pcn-testkeys:testkeys=t1/rules=a", "",
        "/data/pcn-testkeys:testkeys=t1/steps=s1", "%", "é", "99999999999999999999"};
    private static final String[] TYPES = {J, X, YP, "application/yang-patch+xml", "application/json",
        "application/xml", "text/plain", "", "application/yang-data+json; charset=utf-8", "application/yang-data+json;;",
        "*/*", "application/", "garbage", "application/yang-data+json; charset=latin1", "APPLICATION/YANG-DATA+JSON",
        "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"};
    private static final String[] ACCEPTS = {J, X, "text/html", "*/*", "*/*;q=0", "application/*", ",", "q=1",
        "application/yang-data+xml;q=0.9, application/yang-data+json;q=abc", "application/xml", "", "text/*",
        "application/yang-data+json;q=0", "image/png, */*;q=0.1"};
    private static final String[] CONDITIONS = {"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"};
    private static final String[] CONDITION_VALUES = {"*", "\"0123\"", "garbage", "W/\"x\"", "\"", "", "\"a\", *",
        "Tue, 01 Jan 2019 00:00:00 GMT", "Thu, 01 Jan 2099 00:00:00 GMT", "Mon, 32 Foo 2020 99:99:99 GMT", ","};
    private static final String[] METHODS = {"GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "get", "Put",
        "TRACE", "CONNECT", "", " GET", "PUT\r\n", "FOO", "PROPFIND"};

    private static final List<String> KNOWN_METHODS = List.of("GET", "HEAD", "PUT", "POST", "PATCH", "DELETE",
        "OPTIONS");

    private Datastore datastore;
    private RestconfService service;
    private int applied;

    private static YangModels models;

    private void reset() throws Exception {
        if (models == null) {
            models = new YangModels();
            models.addModule("pcn-simplefwd", TestModels.module("pcn-simplefwd.yang"));
            models.addModule("pcn-protofilter", TestModels.module("pcn-protofilter.yang"));
            models.addModule("pcn-testkeys", TestModels.testModule("pcn-testkeys.yang"));
        }
        datastore = new Datastore(models.context(), changes -> applied++);
        Topology.Snapshot topology = new Topology.Snapshot(List.of(), List.of(), List.of());
        service = new RestconfService(datastore, StateSource.NONE, new ComputedResources(models::source,
            List.of(new YangLibrary(), new RestconfMonitoring(), new FrameworkModel(() -> topology)),
            List.of(new FrameworkActions(datastore))));
        RestconfResponse setup = service.handle(new Req("PUT", "/data", J, SETUP).toRequest());
        assertEquals(204, setup.status(), setup::toString);
    }

    private String config() {
        RestconfResponse read = service.handle(new Req("GET", "/data", null, null).param("content", "config")
            .param("with-defaults", "explicit").toRequest());
        assertEquals(200, read.status(), read::toString);
        return read.body();
    }

    @Test
    @Timeout(120)
    void noMalformedRequestGetsA5xxANonRfcErrorOrChangesAnything() throws Exception {
        List<Req> corpus = corpus();
        Random random = new Random(SEED);
        long start = System.nanoTime();
        int ran = 0;
        int refused = 0;
        int accepted = 0;
        List<String> history = new ArrayList<>();
        String before = null;
        for (int index = 0; index < COUNT && System.nanoTime() - start < BUDGET_NANOS; index++) {
            if (index % RESET_EVERY == 0) {
                reset();
                history.clear();
                before = null;
            }
            Req request = corpus.get(random.nextInt(corpus.size())).copy();
            // About one in ten stays valid, so the state moves on and the mutants meet it.
            int mutations = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(3);
            List<String> applied = new ArrayList<>();
            for (int m = 0; m < mutations; m++) {
                applied.add(mutate(request, random));
            }
            if (before == null) {
                before = config();
            }
            int calls = this.applied;
            String where = "seed " + SEED + ", request #" + index + " (after the reset at #"
                + (index / RESET_EVERY * RESET_EVERY) + "), mutations " + applied + ": " + request;
            RestconfResponse response;
            try {
                response = service.handle(request.toRequest());
            } catch (RuntimeException e) {
                throw new AssertionError("threw at " + where, e);
            }
            String answer = where + "\n  -> " + response + "\n  accepted writes since the reset:\n    "
                + String.join("\n    ", history);
            // The one 5xx allowed: 501 for a method this server does not know (RFC 9110 §9.1), with its error body.
            boolean unknownMethod = response.status() == 501 && !KNOWN_METHODS.contains(request.method);
            assertTrue(response.status() >= 200 && response.status() < 500 || unknownMethod, () -> "status " + answer);
            boolean read = List.of("GET", "HEAD", "OPTIONS").contains(request.method);
            String after = config();
            if (response.status() >= 400) {
                refused++;
                checkErrorBody(request, response, answer);
                assertEquals(before, after, () -> "refused but changed the configuration: " + answer);
                assertEquals(calls, this.applied, () -> "refused but reached the cubes: " + answer);
            } else {
                accepted++;
                if (read) {
                    assertEquals(before, after, () -> "a read changed the configuration: " + answer);
                    checkReadable(response, answer);
                } else {
                    history.add("#" + index + " " + request + " -> " + response.status());
                    // What was accepted is valid YANG data: it can be read back in both encodings.
                    checkReadable(service.handle(new Req("GET", "/data", null, null).header("Accept", X)
                        .toRequest()), answer);
                }
            }
            before = after;
            ran++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "FuzzTest: seed %d, %d requests (%d refused, %d accepted) in %.1f s%n", SEED,
            ran, refused, accepted, seconds);
        assertTrue(ran >= Math.min(COUNT, 300), "only " + ran + " requests ran in the time budget");
        assertTrue(refused > ran / 4 && accepted > ran / 20, "mutants too tame or too wild: " + refused + "/" + ran);
    }

    private static void checkErrorBody(Req request, RestconfResponse response, String answer) {
        String type = response.headers().get("Content-Type");
        if (request.method.equals("HEAD")) {
            assertEquals("", response.body(), () -> "HEAD with a body: " + answer);
            return;
        }
        for (String leak : List.of("Exception", "java.", "org.opendaylight", "\tat ")) {
            assertTrue(!response.body().contains(leak), () -> "leaks '" + leak + "': " + answer);
        }
        if (X.equals(type)) {
            checkXmlError(response.body(), answer);
            return;
        }
        assertEquals(J, type, () -> "error Content-Type: " + answer);
        JsonObject top;
        try {
            JsonReader reader = new JsonReader(new StringReader(response.body()));
            reader.setStrictness(Strictness.STRICT);
            top = new Gson().getAdapter(JsonElement.class).read(reader).getAsJsonObject();
            assertEquals(JsonToken.END_DOCUMENT, reader.peek());
        } catch (Exception | AssertionError e) {
            throw new AssertionError("error body is not JSON: " + answer, e);
        }
        JsonObject errors;
        if (top.has("ietf-yang-patch:yang-patch-status")) {
            JsonObject status = top.getAsJsonObject("ietf-yang-patch:yang-patch-status");
            errors = status.has("errors") ? status.getAsJsonObject("errors")
                : status.getAsJsonObject("edit-status").getAsJsonArray("edit").get(0).getAsJsonObject()
                    .getAsJsonObject("errors");
        } else {
            assertEquals(1, top.size(), () -> "error body: " + answer);
            errors = top.getAsJsonObject("ietf-restconf:errors");
        }
        assertTrue(errors != null, () -> "no errors in the error body: " + answer);
        JsonObject error = errors.getAsJsonArray("error").get(0).getAsJsonObject();
        assertTrue(List.of("transport", "rpc", "protocol", "application").contains(
            error.get("error-type").getAsString()), () -> "error-type: " + answer);
        assertTrue(!error.get("error-tag").getAsString().isBlank(), () -> "error-tag: " + answer);
    }

    /** A 200 with a body carries well-formed JSON or XML, as its Content-Type says. */
    private static void checkReadable(RestconfResponse response, String answer) {
        if (response.status() != 200 || response.body().isEmpty()) {
            return;
        }
        try {
            if (X.equals(response.headers().get("Content-Type"))) {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                factory.newDocumentBuilder().parse(new ByteArrayInputStream(
                    response.body().getBytes(StandardCharsets.UTF_8)));
            } else {
                JsonReader reader = new JsonReader(new StringReader(response.body()));
                reader.setStrictness(Strictness.STRICT);
                new Gson().getAdapter(JsonElement.class).read(reader);
                assertEquals(JsonToken.END_DOCUMENT, reader.peek());
            }
        } catch (Exception | AssertionError e) {
            throw new AssertionError("unreadable answer " + response + " at " + answer, e);
        }
    }

    private static void checkXmlError(String body, String answer) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
            assertEquals("errors", root.getLocalName());
            assertEquals("urn:ietf:params:xml:ns:yang:ietf-restconf", root.getNamespaceURI());
            Element error = (Element) root.getElementsByTagNameNS("*", "error").item(0);
            assertTrue(!text(error, "error-type").isBlank() && !text(error, "error-tag").isBlank());
        } catch (Exception | AssertionError e) {
            throw new AssertionError("XML error body is not an RFC 8040 error report: " + answer, e);
        }
    }

    private static String text(Element parent, String name) {
        Node node = parent.getElementsByTagNameNS("*", name).item(0);
        return node == null ? "" : node.getTextContent();
    }

    private static String mutate(Req r, Random random) {
        int kind = random.nextInt(20);
        switch (kind) {
            case 0 -> r.body = flip(r.body, random);
            case 1 -> r.body = insert(r.body, pick(JUNK, random), random);
            case 2 -> r.body = delete(r.body, random);
            case 3 -> r.body = r.body.substring(0, r.body.isEmpty() ? 0 : random.nextInt(r.body.length()));
            case 4, 5 -> r.body = mutateJson(r.body, random, 0);
            case 6 -> r.body = mutateJson(r.body, random, 1);
            case 7 -> r.body = mutateJson(r.body, random, 2);
            case 8 -> r.body = nest(r.body, random);
            case 9 -> r.path = insert(r.path, pick(PATH_JUNK, random), random);
            case 10 -> r.path = replaceKey(r.path, random);
            case 11 -> r.path = r.path + pick(SEGMENTS, random);
            case 12 -> r.path = r.path.substring(0, r.path.isEmpty() ? 0 : random.nextInt(r.path.length()));
            case 13 -> r.param(pick(PARAMS, random), pick(VALUES, random));
            case 14 -> {
                if (!r.query.isEmpty()) {
                    String name = r.query.keySet().iterator().next();
                    r.param(name, random.nextBoolean() ? r.query.get(name).get(0) : pick(VALUES, random));
                } else {
                    r.param("depth", "1").param("depth", "1");
                }
            }
            case 15 -> {
                if (random.nextBoolean()) {
                    r.headers.remove("Content-Type");
                } else {
                    r.header("Content-Type", pick(TYPES, random));
                }
            }
            case 16 -> r.header("Accept", pick(ACCEPTS, random));
            case 17 -> r.header(pick(CONDITIONS, random), pick(CONDITION_VALUES, random));
            case 18 -> r.method = random.nextBoolean() ? pick(METHODS, random)
                : random.nextBoolean() ? r.method.toLowerCase(Locale.ROOT) : r.method + " ";
            default -> r.body = r.body.replaceFirst("\\d+", pick(NUMBERS, random));
        }
        return Integer.toString(kind);
    }

    private static String pick(String[] values, Random random) {
        return values[random.nextInt(values.length)];
    }

    private static String flip(String text, Random random) {
        if (text.isEmpty()) {
            return text;
        }
        char[] chars = text.toCharArray();
        int at = random.nextInt(chars.length);
        chars[at] = (char) (chars[at] ^ (1 << random.nextInt(8)));
        return new String(chars);
    }

    private static String insert(String text, String what, Random random) {
        int at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + what + text.substring(at);
    }

    private static String delete(String text, Random random) {
        if (text.isEmpty()) {
            return text;
        }
        int from = random.nextInt(text.length());
        int to = Math.min(text.length(), from + 1 + random.nextInt(8));
        return text.substring(0, from) + text.substring(to);
    }

    private static String nest(String body, Random random) {
        int depth = 1 + random.nextInt(random.nextBoolean() ? 80 : 3000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        boolean closed = random.nextBoolean();
        String inner = body.isEmpty() ? "1" : body;
        return open.repeat(depth) + inner + (closed ? close.repeat(depth) : "");
    }

    private static String replaceKey(String path, Random random) {
        int eq = path.lastIndexOf('=');
        String value = random.nextBoolean() ? pick(STRINGS, random) : pick(NUMBERS, random);
        if (value.length() > 100) {
            value = value.substring(0, 100);
        }
        if (eq < 0) {
            return path + "=" + value;
        }
        int end = path.indexOf('/', eq);
        return path.substring(0, eq + 1) + value + (end < 0 ? "" : path.substring(end));
    }

    /** A place in a JSON tree that can be replaced or removed. */
    private record Slot(JsonElement value, Consumer<JsonElement> replace, Runnable remove, Runnable duplicate) {
    }

    /** 0: swap a value's type; 1: remove a member or element; 2: duplicate one (a member textually). */
    private static String mutateJson(String body, Random random, int how) {
        if (body.chars().filter(c -> c == '[' || c == '{').count() > 300) {
            return flip(body, random); // this walk is recursive; the service's own depth bound is tested by nest()
        }
        JsonElement tree;
        try {
            tree = JsonParser.parseString(body);
        } catch (RuntimeException e) {
            return flip(body, random);
        }
        if (tree == null || tree.isJsonNull()) {
            return body;
        }
        List<Slot> slots = new ArrayList<>();
        collect(tree, slots);
        if (slots.isEmpty()) {
            return body;
        }
        Slot slot = slots.get(random.nextInt(slots.size()));
        String duplicate = null;
        switch (how) {
            case 0 -> slot.replace().accept(swap(slot.value(), random));
            case 1 -> slot.remove().run();
            default -> {
                if (slot.duplicate() != null) {
                    slot.duplicate().run();
                } else {
                    duplicate = "dup";
                }
            }
        }
        StringBuilder out = new StringBuilder();
        write(tree, out, duplicate == null ? null : slot.value(), random);
        return out.toString();
    }

    private static void collect(JsonElement element, List<Slot> slots) {
        if (element.isJsonObject()) {
            JsonObject object = element.getAsJsonObject();
            for (String name : new ArrayList<>(object.keySet())) {
                JsonElement child = object.get(name);
                slots.add(new Slot(child, value -> object.add(name, value), () -> object.remove(name), null));
                collect(child, slots);
            }
        } else if (element.isJsonArray()) {
            JsonArray array = element.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                int index = i;
                JsonElement child = array.get(i);
                slots.add(new Slot(child, value -> array.set(index, value), () -> array.remove(index),
                    () -> array.add(child.deepCopy())));
                collect(child, slots);
            }
        }
    }

    private static JsonElement swap(JsonElement old, Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> new JsonPrimitive(pick(STRINGS, random));
            case 1 -> new JsonPrimitive(new BigDecimal(pick(NUMBERS, random)));
            case 2 -> new JsonPrimitive(new BigInteger("9".repeat(1 + random.nextInt(60))));
            case 3 -> new JsonPrimitive(random.nextBoolean());
            case 4 -> JsonNull.INSTANCE;
            case 5 -> new JsonArray();
            case 6 -> {
                JsonArray array = new JsonArray();
                array.add(old.deepCopy());
                yield array;
            }
            case 7 -> new JsonObject();
            default -> {
                JsonObject object = new JsonObject();
                object.add(random.nextBoolean() ? "x" : "pcn-testkeys:mtu", old.deepCopy());
                yield object;
            }
        };
    }

    /** Writes JSON; the member whose value is {@code twice} is written twice (the second time changed). */
    private static void write(JsonElement element, StringBuilder out, JsonElement twice, Random random) {
        if (element.isJsonObject()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonElement> member : element.getAsJsonObject().entrySet()) {
                int copies = member.getValue() == twice ? 2 : 1;
                for (int copy = 0; copy < copies; copy++) {
                    out.append(first ? "" : ",");
                    first = false;
                    out.append(quote(member.getKey())).append(':');
                    write(copy == 1 && random.nextBoolean() ? swap(member.getValue(), random) : member.getValue(), out,
                        twice, random);
                }
            }
            out.append('}');
        } else if (element.isJsonArray()) {
            out.append('[');
            JsonArray array = element.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(array.get(i), out, twice, random);
            }
            out.append(']');
        } else if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()) {
            out.append(quote(element.getAsString()));
        } else {
            out.append(element.toString());
        }
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
