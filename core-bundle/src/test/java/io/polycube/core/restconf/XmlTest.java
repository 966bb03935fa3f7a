package io.polycube.core.restconf;

import static io.polycube.core.restconf.Fixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** application/yang-data+xml requests, answers and errors on the real service. */
class XmlTest {
    private static final String XML = "application/yang-data+xml";
    private static final String TK = "/data/pcn-testkeys:testkeys";
    private static final String NS = "urn:polycube:testkeys";

    private Fixture fx;

    @BeforeAll
    static void parseModels() throws Exception {
        TestModels.context();
    }

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture();
        ok(fx.send("POST", "/data", "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":1400}]}"), 201);
    }

    private RestconfResponse send(String method, String path, Map<String, String> headers, String body) {
        return fx.send(method, path, headers, body);
    }

    @Test
    void readsAndWritesXml() {
        RestconfResponse read = send("GET", TK + "=t1", Map.of("Accept", XML), "");
        assertEquals(200, read.status(), read::toString);
        assertEquals(XML, read.headers().get("Content-Type"));
        assertTrue(read.body().contains("<testkeys xmlns=\"" + NS + "\">"), read.body());
        assertTrue(read.body().contains("<mtu>1400</mtu>"), read.body());
        RestconfResponse root = send("GET", "/data", Map.of("Accept", "application/xml"), "");
        assertTrue(root.body().startsWith("<data xmlns=\"urn:ietf:params:xml:ns:yang:ietf-restconf\">"), root.body());

        ok(send("PUT", TK + "=t1/mtu", Map.of("Content-Type", XML), "<mtu xmlns=\"" + NS + "\">1300</mtu>"), 204);
        ok(send("PATCH", TK + "=t1", Map.of("Content-Type", XML),
            "<testkeys xmlns=\"" + NS + "\"><name>t1</name><enabled>true</enabled></testkeys>"), 204);
        ok(send("POST", "/data", Map.of("Content-Type", XML),
            "<testkeys xmlns=\"" + NS + "\"><name>t2</name></testkeys>"), 201);
        ok(send("POST", TK + "=t1", Map.of("Content-Type", XML),
            "<rules xmlns=\"" + NS + "\"><id>r1</id></rules>"), 201);
        String json = fx.get(TK + "=t1", Map.of("with-defaults", "explicit")).body();
        assertEquals(Fixture.json("{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"mtu\":1300,\"enabled\":true,"
            + "\"rules\":[{\"id\":\"r1\"}]}]}"), Fixture.json(json));
        ok(fx.get(TK + "=t2"), 200);
    }

    @Test
    void hostileOrInvalidXmlIsRefusedInXml() {
        String before = fx.get("/data").body();
        for (String[] c : List.of(
                new String[] {"<testkeys xmlns=\"" + NS + "\"><name>t1</name>", "malformed-message"},
                new String[] {"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><testkeys xmlns=\"" + NS
                    + "\"><name>t1</name><motd>&e;</motd></testkeys>", "malformed-message"},
                new String[] {"<testkeys xmlns=\"" + NS + "\"><name>t1</name><mtu>big</mtu></testkeys>",
                    "invalid-value"},
                new String[] {"<testkeys xmlns=\"" + NS + "\"><name>t1</name><colour>red</colour></testkeys>", null},
                new String[] {"<a/><b/>", "malformed-message"},
                new String[] {"<testkeõs xmlns=\"" + NS + "\"><name>t1</name></testkeõs>", "unknown-element"},
                new String[] {"<testkeys xmlns=\"urn:>polycube\"><name>t1</name></testkeys>", "unknown-element"},
                new String[] {"<a>".repeat(100) + "</a>".repeat(100), "malformed-message"})) {
            RestconfResponse refused = send("PATCH", TK + "=t1", Map.of("Content-Type", XML, "Accept", XML), c[0]);
            assertEquals(400, refused.status(), refused::toString);
            assertEquals(XML, refused.headers().get("Content-Type"));
            assertTrue(refused.body().startsWith("<errors xmlns=\"urn:ietf:params:xml:ns:yang:ietf-restconf\">"),
                refused.body());
            if (c[1] != null) {
                assertTrue(refused.body().contains("<error-tag>" + c[1] + "</error-tag>"), refused.body());
            }
            assertFalse(refused.body().contains("passwd"), refused.body());
            assertFalse(refused.body().contains("Exception"), refused.body());
        }
        assertEquals(before, fx.get("/data").body());
    }

    @Test
    void anErrorQuotingControlCharactersIsStillWellFormedXml() throws Exception {
        RestconfResponse refused = send("GET", TK + "=%00%01\uD800x", Map.of("Accept", XML), "");
        assertEquals(400, refused.status(), refused::toString);
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new java.io.ByteArrayInputStream(refused.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(refused.body().contains("\uFFFD"), refused.body());
    }

    @Test
    void aWholeListHasNoXmlDocument() {
        ok(send("PATCH", TK + "=t1", Map.of("Content-Type", Fixture.JSON),
            "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\",\"rules\":[{\"id\":\"a\"},{\"id\":\"b\"}]}]}"), 204);
        RestconfResponse refused = send("GET", TK + "=t1/rules", Map.of("Accept", XML), "");
        assertEquals(406, refused.status(), refused::toString);
        assertTrue(refused.body().contains("<error-tag>invalid-value</error-tag>"), refused.body());
        ok(send("GET", TK + "=t1/rules", Map.of("Accept", Fixture.JSON), ""), 200);
        ok(send("GET", TK + "=t1/rules=a", Map.of("Accept", XML), ""), 200);
    }
}
