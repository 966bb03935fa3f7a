// SPDX-License-Identifier: Apache-2.0
// This file contains the end-to-end tests of the RESTCONF protocol (RFC 8040, RFC 7951) over real HTTP.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The protocol itself, against the distribution: strict requests and bodies, query parameters,
 * entity tags, datastore writes and HTTP details. The simplefwd instances here have ports without
 * peers: no netdev is needed, nothing is attached to the kernel's interfaces.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestconfProtocolIT extends PcnTestSupport {
    private static final String DATA = "/restconf/data";
    private static final String FWD = DATA + "/pcn-simplefwd:simplefwd";
    private static final String J = "application/yang-data+json";
    private static final Map<String, String> JSON = Map.of("Content-Type", J);
    private static final String RC1 = "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc1\",\"ports\":[{\"name\":\"p1\"},"
            + "{\"name\":\"p2\"}],\"actions\":[{\"inport\":\"p1\",\"action\":\"FORWARD\",\"outport\":\"p2\"}]}]}";
    private static final Pattern ETAG = Pattern.compile("\"[0-9a-f]+\"");

    private Http.Exchange send(String method, String path, Map<String, String> headers, String body) {
        return http().send(method, path, headers, body);
    }

    @Before
    public void instance() {
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        waitFor("RESTCONF serves simplefwd", DEFAULT_TIMEOUT, () -> http().get(FWD).status() != 400);
        if (http().get(FWD + "=rc1").status() == 404) {
            assertEquals(201, http().post(DATA, RC1).status());
        }
    }

    /** One refused request: exact status, an RFC 8040 error report with the tag, and nothing changed. */
    private void refused(String what, String method, String path, Map<String, String> headers, String body,
            int status, String tag) {
        Http.Exchange before = send("GET", DATA, Map.of(), null);
        String kernel = KernelSnapshot.now();
        Http.Exchange answer = send(method, path, headers, body);
        String context = what + ": " + answer.status() + " " + answer.body();
        assertEquals(context, status, answer.status());
        assertEquals(context, J, answer.header("Content-Type"));
        assertTrue(context, answer.body().startsWith("{\"ietf-restconf:errors\":{\"error\":[{"));
        assertTrue(context, answer.body().matches(".*\"error-type\":\"(protocol|application)\".*"));
        assertTrue(context, answer.body().contains("\"error-tag\":\"" + tag + "\""));
        for (String leak : List.of("Exception", "java.", "org.opendaylight", "setLenient", "<html")) {
            assertFalse(context, answer.body().contains(leak));
        }
        Http.Exchange after = send("GET", DATA, Map.of(), null);
        assertEquals(what + ": datastore changed", before.body(), after.body());
        assertEquals(what + ": entity tag changed", before.header("ETag"), after.header("ETag"));
        KernelSnapshot.assertUnchanged(what, kernel);
    }

    @Test
    public void invalidRequestsChangeNothing() {
        String tag = send("GET", FWD + "=rc1", Map.of(), null).header("ETag");
        Object[][] cases = {
            {"malformed JSON", "POST", DATA, JSON, "{\"pcn-simplefwd:simplefwd\":[{", 400, "malformed-message"},
            {"single quotes", "POST", DATA, JSON, "{'pcn-simplefwd:simplefwd':[{'name':'rc9'}]}", 400,
                "malformed-message"},
            {"comment", "POST", DATA, JSON, "{/*x*/\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc9\"}]}", 400,
                "malformed-message"},
            {"trailing garbage", "POST", DATA, JSON, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc9\"}]}]", 400,
                "malformed-message"},
            {"duplicate member", "PATCH", FWD + "=rc1", JSON,
                "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc1\",\"type\":\"TC\",\"type\":\"XDP_SKB\"}]}", 400,
                "malformed-message"},
            {"duplicate list keys", "POST", DATA, JSON, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc9\","
                + "\"type\":\"FAST\"},{\"name\":\"rc9\"}]}", 400, "invalid-value"},
            {"array for a scalar leaf", "PATCH", FWD + "=rc1", JSON, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc1\","
                + "\"actions\":[{\"inport\":\"p1\",\"outport\":[\"p2\"]}]}]}", 400, "invalid-value"},
            {"number for a string key", "POST", DATA, JSON, "{\"pcn-simplefwd:simplefwd\":[{\"name\":1.5}]}", 400,
                "invalid-value"},
            {"nesting too deep", "POST", DATA, JSON, "{\"a\":".repeat(3000), 400, "malformed-message"},
            {"unknown leaf", "PATCH", FWD + "=rc1", JSON,
                "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc1\",\"colour\":\"red\"}]}", 400, "unknown-element"},
            {"unknown module in URI", "GET", DATA + "/pcn-nope:x", Map.of(), null, 400, "unknown-element"},
            {"bad enumeration", "PATCH", FWD + "=rc1", JSON,
                "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc1\",\"type\":\"FAST\"}]}", 400, "invalid-value"},
            {"dangling leafref", "POST", FWD + "=rc1", JSON, "{\"pcn-simplefwd:actions\":[{\"inport\":\"p9\"}]}", 400,
                "invalid-value"},
            {"URI key differs from body key", "PUT", FWD + "=rc1", JSON,
                "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc2\"}]}", 400, "invalid-value"},
            {"stale If-Match", "PATCH", FWD + "=rc1", Map.of("Content-Type", J, "If-Match", "\"00\""),
                "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc1\",\"type\":\"XDP_SKB\"}]}", 412, "operation-failed"},
            {"old If-Unmodified-Since", "DELETE", FWD + "=rc1",
                Map.of("If-Unmodified-Since", "Tue, 01 Jan 2019 00:00:00 GMT"), null, 412, "operation-failed"},
            {"If-None-Match * on an existing entry", "PUT", FWD + "=rc1",
                Map.of("Content-Type", J, "If-None-Match", "*"), RC1, 412, "operation-failed"},
            {"no Content-Type", "POST", DATA, Map.of(), "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc9\"}]}", 415,
                "invalid-value"},
            {"form body", "POST", DATA, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "content=config", 415, "invalid-value"},
            {"text/plain body", "PATCH", FWD + "=rc1", Map.of("Content-Type", "text/plain"), RC1, 415,
                "invalid-value"},
            {"Accept nothing producible", "GET", FWD + "=rc1", Map.of("Accept", "text/html"), null, 406,
                "invalid-value"},
            {"unknown query parameter", "GET", DATA + "?colour=red", Map.of(), null, 400, "invalid-value"},
            {"repeated query parameter", "GET", DATA + "?depth=1&depth=2", Map.of(), null, 400, "invalid-value"},
            {"depth on DELETE", "DELETE", FWD + "=rc1?depth=1", Map.of(), null, 400, "invalid-value"},
            {"content on PATCH", "PATCH", FWD + "=rc1?content=config", JSON, RC1, 400, "invalid-value"},
            {"bad depth", "GET", DATA + "?depth=0", Map.of(), null, 400, "invalid-value"},
            {"bad fields", "GET", FWD + "=rc1?fields=ports(name", Map.of(), null, 400, "invalid-value"},
            {"lower-case method", "delete", FWD + "=rc1", Map.of(), null, 501, "operation-not-supported"},
            {"DELETE of the datastore", "DELETE", DATA, Map.of(), null, 405, "operation-not-supported"},
            {"PUT of a config-false leaf", "PUT", FWD + "=rc1/ports=p1/rx-packets", JSON,
                "{\"pcn-simplefwd:rx-packets\":\"1\"}", 405, "operation-not-supported"},
            {"DELETE of a key leaf", "DELETE", FWD + "=rc1/name", Map.of(), null, 400, "invalid-value"},
            {"POST of an existing entry", "POST", DATA, JSON, RC1, 409, "data-exists"},
            {"DELETE of a missing entry", "DELETE", FWD + "=rc9", Map.of(), null, 404, "data-missing"},
            {"datastore PUT without its wrapper", "PUT", DATA, JSON, RC1, 400, "malformed-message"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Map<String, String> headers = (Map<String, String>) c[3];
            refused((String) c[0], (String) c[1], (String) c[2], headers, (String) c[4], (int) c[5], (String) c[6]);
        }
        assertEquals(tag, send("GET", FWD + "=rc1", Map.of(), null).header("ETag"));
    }

    @Test
    public void queryParametersShapeTheAnswer() {
        String depth1 = send("GET", FWD + "=rc1?depth=1", Map.of(), null).body();
        assertEquals("{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc1\"}]}", depth1);
        String fields = send("GET", FWD + "=rc1?fields=ports(name)&content=config", Map.of(), null).body();
        assertEquals("{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc1\",\"ports\":[{\"name\":\"p1\"},{\"name\":\"p2\"}]}]}",
                sortedPorts(fields));
        String explicit = send("GET", FWD + "=rc1/actions=p1?with-defaults=explicit", Map.of(), null).body();
        assertTrue(explicit, explicit.contains("\"action\":\"FORWARD\""));
        String trimmed = send("GET", FWD + "=rc1?with-defaults=trim&content=config", Map.of(), null).body();
        assertFalse(trimmed, trimmed.contains("\"type\""));
        String tagged = send("GET", FWD + "=rc1?with-defaults=report-all-tagged&content=config", Map.of(), null)
                .body();
        assertTrue(tagged, tagged.contains("\"@type\":{\"ietf-netconf-with-defaults:default\":true}"));
        String nonconfig = send("GET", FWD + "=rc1/ports=p1?content=nonconfig", Map.of(), null).body();
        assertTrue(nonconfig, nonconfig.contains("rx-packets"));
        assertFalse(nonconfig, nonconfig.contains("\"peer\""));
    }

    private static String sortedPorts(String json) {
        return json.replace("{\"name\":\"p2\"},{\"name\":\"p1\"}", "{\"name\":\"p1\"},{\"name\":\"p2\"}");
    }

    @Test
    public void entityTagsGuardWrites() {
        Http.Exchange first = send("GET", FWD + "=rc1", Map.of(), null);
        String tag = first.header("ETag");
        assertNotNull(tag);
        assertTrue(tag, ETAG.matcher(tag).matches());
        assertNotNull(first.header("Last-Modified"));
        assertEquals(304, send("GET", FWD + "=rc1", Map.of("If-None-Match", tag), null).status());

        // Another resource changes: this one's tag stays.
        assertEquals(201, http().post(DATA, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc3\"}]}").status());
        assertEquals(tag, send("GET", FWD + "=rc1", Map.of(), null).header("ETag"));

        String update = "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc1\",\"loglevel\":\"DEBUG\"}]}";
        Http.Exchange done = send("PATCH", FWD + "=rc1", Map.of("Content-Type", J, "If-Match", tag), update);
        assertEquals(done.body(), 204, done.status());
        String next = done.header("ETag");
        assertNotEquals(tag, next);
        assertEquals(next, send("GET", FWD + "=rc1", Map.of(), null).header("ETag"));
        // The old tag is now stale: a second blind writer is refused and changes nothing.
        Http.Exchange stale = send("PATCH", FWD + "=rc1", Map.of("Content-Type", J, "If-Match", tag),
                "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc1\",\"loglevel\":\"ERR\"}]}");
        assertEquals(412, stale.status());
        assertTrue(send("GET", FWD + "=rc1/loglevel", Map.of(), null).body().contains("DEBUG"));
        assertEquals(204, send("DELETE", FWD + "=rc3", Map.of("If-Match", "*"), null).status());
    }

    @Test
    public void theDatastoreIsWrittenWhole() {
        // GET of the configuration is a valid PUT body: the round trip changes nothing.
        String config = send("GET", DATA + "?content=config&with-defaults=explicit", Map.of(), null).body();
        String tag = send("GET", DATA, Map.of(), null).header("ETag");
        assertEquals(204, send("PUT", DATA, JSON, config).status());
        assertEquals(tag, send("GET", DATA, Map.of(), null).header("ETag"));

        Http.Exchange merged = send("PATCH", DATA, JSON,
                "{\"ietf-restconf:data\":{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc4\"}]}}");
        assertEquals(merged.body(), 204, merged.status());
        assertEquals(200, http().get(FWD + "=rc4").status());
        assertEquals(200, http().get(FWD + "=rc1").status());

        assertEquals(204, send("PUT", DATA, JSON, config).status());
        assertEquals(404, http().get(FWD + "=rc4").status());
        assertEquals(tag, send("GET", DATA, Map.of(), null).header("ETag"));
    }

    @Test
    public void yangPatchIsOneTransaction() {
        Map<String, String> patch = Map.of("Content-Type", "application/yang-patch+json");
        String before = send("GET", DATA, Map.of(), null).body();
        Http.Exchange refused = send("PATCH", DATA, patch, "{\"ietf-yang-patch:yang-patch\":{\"patch-id\":\"p1\","
                + "\"edit\":[{\"edit-id\":\"e1\",\"operation\":\"create\",\"target\":\"/pcn-simplefwd:simplefwd=rc5\","
                + "\"value\":{\"pcn-simplefwd:simplefwd\":[{\"name\":\"rc5\"}]}},"
                + "{\"edit-id\":\"e2\",\"operation\":\"create\",\"target\":\"/pcn-simplefwd:simplefwd=rc1\","
                + "\"value\":" + RC1 + "}]}}");
        assertEquals(refused.body(), 409, refused.status());
        assertTrue(refused.body(), refused.body().startsWith("{\"ietf-yang-patch:yang-patch-status\":"));
        assertTrue(refused.body(), refused.body().contains("\"edit-id\":\"e2\""));
        assertEquals(before, send("GET", DATA, Map.of(), null).body());

        Http.Exchange done = send("PATCH", FWD + "=rc1", patch, "{\"ietf-yang-patch:yang-patch\":{\"patch-id\":\"p2\","
                + "\"edit\":[{\"edit-id\":\"e1\",\"operation\":\"merge\",\"target\":\"/ports=p3\","
                + "\"value\":{\"pcn-simplefwd:ports\":[{\"name\":\"p3\"}]}},"
                + "{\"edit-id\":\"e2\",\"operation\":\"remove\",\"target\":\"/ports=p3\"}]}}");
        assertEquals(done.body(), 200, done.status());
        assertEquals("{\"ietf-yang-patch:yang-patch-status\":{\"patch-id\":\"p2\",\"ok\":[null]}}", done.body());
        assertEquals(404, http().get(FWD + "=rc1/ports=p3").status());
    }

    @Test
    public void httpDetails() {
        Http.Exchange options = send("OPTIONS", FWD + "=rc1", Map.of(), null);
        assertEquals(200, options.status());
        assertEquals("GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE", options.header("Allow"));
        assertTrue(options.header("Accept-Patch"), options.header("Accept-Patch").contains(J));
        assertEquals("GET, HEAD, OPTIONS", send("OPTIONS", FWD + "=rc1/ports=p1/rx-packets", Map.of(), null)
                .header("Allow"));
        Http.Exchange refused = send("POST", FWD + "=rc1/ports=p1/rx-packets", JSON, "{}");
        assertEquals(405, refused.status());
        assertFalse(refused.header("Allow").contains("POST"));

        Http.Exchange get = send("GET", FWD + "=rc1?content=config", Map.of(), null);
        Http.Exchange head = send("HEAD", FWD + "=rc1?content=config", Map.of(), null);
        assertEquals(200, head.status());
        assertEquals("", head.body());
        for (String name : List.of("Content-Type", "ETag", "Last-Modified")) {
            assertEquals(name, get.header(name), head.header(name));
        }
        assertEquals(String.valueOf(get.body().length()), head.header("Content-Length"));

        assertEquals(200, send("GET", FWD + "=rc1", Map.of("Accept", "text/html;q=0.5, */*;q=0.1"), null).status());
        assertEquals(200, send("GET", FWD + "=rc1", Map.of("Accept", "application/json"), null).status());

        // XML both ways, and errors in XML for a client that asks for XML.
        String xml = "application/yang-data+xml";
        Http.Exchange asXml = send("GET", FWD + "=rc1?content=config", Map.of("Accept", xml), null);
        assertEquals(xml, asXml.header("Content-Type"));
        assertTrue(asXml.body(), asXml.body().startsWith("<simplefwd xmlns=\"urn:polycube:simplefwd\">"));
        // 201 if loglevel was only a default so far, 204 if another test set it.
        int put = send("PUT", FWD + "=rc1/loglevel", Map.of("Content-Type", xml),
                "<loglevel xmlns=\"urn:polycube:simplefwd\">WARN</loglevel>").status();
        assertTrue(String.valueOf(put), put == 201 || put == 204);
        assertTrue(http().get(FWD + "=rc1/loglevel").body().contains("WARN"));
        String before = send("GET", DATA, Map.of(), null).body();
        Http.Exchange entity = send("PATCH", FWD + "=rc1", Map.of("Content-Type", xml, "Accept", xml),
                "<!DOCTYPE s [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><simplefwd xmlns=\"urn:polycube:simplefwd\">"
                + "<name>rc1</name><loglevel>&e;</loglevel></simplefwd>");
        assertEquals(entity.body(), 400, entity.status());
        assertEquals(xml, entity.header("Content-Type"));
        assertTrue(entity.body(), entity.body().contains("<error-tag>malformed-message</error-tag>"));
        assertEquals(before, send("GET", DATA, Map.of(), null).body());
    }
}
