// SPDX-License-Identifier: Apache-2.0
// This file contains the end-to-end tests of polycubed's HTTP security: login, roles, body bound, JSON-only errors, TLS.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Dictionary;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;

/**
 * HTTP security of the distribution as shipped (etc/io.polycube.http.cfg, etc/users.properties with the
 * development users karaf/karaf, admin, and viewer/viewer, read-only), over real HTTP and raw sockets,
 * plus TLS with a keystore made by keytool for this run. Every refusal is checked for its exact status,
 * an RFC 8040 error body and an unchanged datastore.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecurityIT extends PcnTestSupport {
    private static final String KEYSTORE_PROPERTY = "pcn.itest.security.keystore";
    private static final String TLS_PORT_PROPERTY = "pcn.itest.security.tlsport";
    private static final String STORE_PASSWORD = "itest-only";
    private static final String PID = "io.polycube.http";
    private static final String DATA = "/restconf/data";
    private static final String CONFIG = DATA + "?content=config";
    private static final String SEC1 = DATA + "/pcn-simplefwd:simplefwd=sec1";
    private static final String SEC2 = DATA + "/pcn-simplefwd:simplefwd=sec2";

    // ---- boot (driver JVM): a self-signed key for 127.0.0.1, HTTPS next to HTTP ----

    @Override
    protected Option[] additionalOptions() {
        try {
            Path dir = Files.createTempDirectory("pcn-security-it");
            Path keystore = dir.resolve("server.p12");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.deleteIfExists(keystore);
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temp dir
                }
            }, "pcn-security-keystore-sweep"));
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD)
                    .redirectErrorStream(true).start();
            String out = new String(keytool.getInputStream().readAllBytes());
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            String cfg = "etc/org.ops4j.pax.web.cfg";
            String port = freeTcpPort();
            return new Option[] {
                editConfigurationFilePut(cfg, "org.osgi.service.http.secure.enabled", "true"),
                editConfigurationFilePut(cfg, "org.osgi.service.http.port.secure", port),
                editConfigurationFilePut(cfg, "org.ops4j.pax.web.ssl.keystore", keystore.toString()),
                editConfigurationFilePut(cfg, "org.ops4j.pax.web.ssl.keystore.type", "PKCS12"),
                editConfigurationFilePut(cfg, "org.ops4j.pax.web.ssl.keystore.password", STORE_PASSWORD),
                editConfigurationFilePut(cfg, "org.ops4j.pax.web.ssl.key.password", STORE_PASSWORD),
                editConfigurationFilePut(cfg, "org.ops4j.pax.web.ssl.key.alias", "server"),
                systemProperty(KEYSTORE_PROPERTY).value(keystore.toString()),
                systemProperty(TLS_PORT_PROPERTY).value(port)};
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        }
    }

    // ---- helpers (inside Karaf) ----

    private Http admin() {
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        waitFor("RESTCONF served", DEFAULT_TIMEOUT, () -> http().get(DATA).status() == 200);
        return http();
    }

    private Http viewer() {
        return admin().withCredentials("viewer", "viewer");
    }

    /** An RFC 8040 error body with that error-tag (JSON, never HTML). */
    private static void assertError(Http.Response response, int status, String tag) {
        assertEquals(response.body(), status, response.status());
        assertTrue(response.body(), response.body().startsWith("{\"ietf-restconf:errors\":{\"error\":[{"));
        assertContains(response.body(), "\"error-tag\":\"" + tag + "\"");
        assertEquals("application/yang-data+json", response.header("Content-Type"));
    }

    /** A raw answer: its status line, an RFC 8040 JSON body with that tag, no HTML anywhere. */
    private static void assertRawError(String answer, int status, String tag) {
        assertTrue(answer, answer.startsWith("HTTP/1.1 " + status + " "));
        String lower = answer.toLowerCase(Locale.ROOT);
        assertTrue(answer, lower.contains("\r\ncontent-type: application/yang-data+json"));
        assertFalse(answer, lower.contains("<html") || lower.contains("text/html"));
        int body = answer.indexOf("\r\n\r\n");
        assertTrue(answer, body > 0);
        String json = answer.substring(body + 4);
        assertTrue(answer, json.startsWith("{\"ietf-restconf:errors\":{\"error\":[{"));
        assertContains(json, "\"error-tag\":\"" + tag + "\"");
    }

    private String rawPut(String path, String extraHeaders, String body, boolean halfClose) {
        return http().raw("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + http().authorization()
            + "\r\nContent-Type: application/yang-data+json\r\n" + extraHeaders + "\r\n" + body, halfClose);
    }

    private void setConfig(String key, Object value) throws IOException {
        Configuration config = configurationAdmin.getConfiguration(PID, null);
        Dictionary<String, Object> props = config.getProperties();
        assertNotNull("no " + PID + " configuration (etc/" + PID + ".cfg)", props);
        props.put(key, value);
        config.update(props);
        // applied in place by the filter's @Modified, asynchronously: give DS a moment
        sleep(1500);
    }

    // ---- tests ----

    @Test
    public void everyResourceNeedsCredentials() {
        Http anonymous = admin().withoutCredentials();
        for (String path : List.of(DATA, SEC1, "/.well-known/host-meta", "/metrics", "/nothing-here")) {
            Http.Response response = anonymous.get(path);
            assertError(response, 401, "access-denied");
            assertEquals(path, "Basic realm=\"polycubed\"", response.header("WWW-Authenticate"));
        }
        String before = admin().get(CONFIG).body();
        String kernel = KernelSnapshot.now();
        Http.Response put = anonymous.put(SEC1, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"sec1\"}]}");
        assertError(put, 401, "access-denied");
        unchanged("PUT without credentials", admin(), before, kernel);
        assertEquals(404, http().get(SEC1).status());
    }

    @Test
    public void wrongCredentialsAreRefused() {
        Http base = admin();
        for (Http wrong : List.of(base.withCredentials("karaf", "wrong"), base.withCredentials("karaf", ""),
                base.withCredentials("nobody", "karaf"), base.withCredentials("viewer", "karaf"))) {
            Http.Response response = wrong.get(DATA);
            assertError(response, 401, "access-denied");
            assertEquals("Basic realm=\"polycubed\"", response.header("WWW-Authenticate"));
        }
        String notBasic = base.raw("GET " + DATA + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer abc\r\n"
            + "Connection: close\r\n\r\n", false);
        assertRawError(notBasic, 401, "access-denied");
    }

    @Test
    public void viewerReadsButChangesNothing() {
        Http admin = admin();
        assertEquals(201, admin.put(SEC1, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"sec1\"}]}").status());
        try {
            Http viewer = viewer();
            String before = admin.get(CONFIG).body();
            assertEquals(200, viewer.get(DATA).status());
            assertEquals(before, viewer.get(CONFIG).body());
            assertEquals(200, viewer.get(SEC1).status());
            assertEquals(200, viewer.request("HEAD", SEC1, null).status());
            assertTrue(viewer.request("OPTIONS", SEC1, null).status() < 300);
            String body = "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"sec1\",\"loglevel\":\"TRACE\"}]}";
            String kernel = KernelSnapshot.now();
            Object[][] writes = {
                {"PUT", SEC1, body}, {"PATCH", SEC1, body}, {"DELETE", SEC1, null},
                {"POST", DATA, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"sec2\"}]}"},
                // an action or operation is a POST too, whatever the path
                {"POST", SEC1 + "/some-action", "{}"}, {"POST", "/restconf/operations/pcn-base:anything", "{}"},
                // and so is any other method
                {"FOO", SEC1, null},
            };
            for (Object[] write : writes) {
                String what = "viewer " + write[0] + " " + write[1];
                assertError(viewer.request((String) write[0], (String) write[1], (String) write[2]), 403, "access-denied");
                unchanged(what, admin, before, kernel);
            }
            assertEquals(404, admin.get(SEC2).status());
        } finally {
            assertEquals(204, admin.delete(SEC1).status());
        }
    }

    /** After a refused request: the configuration, the maps' contents and the attachments as they were. */
    private static void unchanged(String what, Http admin, String config, String kernel) {
        assertEquals(what + ": datastore", config, admin.get(CONFIG).body());
        KernelSnapshot.assertUnchanged(what, kernel);
    }

    @Test
    public void adminWrites() {
        Http admin = admin();
        assertEquals(201, admin.put(SEC2, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"sec2\"}]}").status());
        assertEquals(204, admin.patch(SEC2, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"sec2\",\"loglevel\":\"DEBUG\"}]}")
            .status());
        assertContains(admin.get(SEC2).body(), "DEBUG");
        assertEquals(204, admin.delete(SEC2).status());
        assertEquals(404, admin.get(SEC2).status());
    }

    @Test
    public void oversizedBodiesAreRefusedBeforeParsing() {
        Http admin = admin();
        String before = admin.get(CONFIG).body();
        String kernel = KernelSnapshot.now();
        // 2 MB, with an unknown leaf and unclosed nesting: parsed, either would be a 400
        String unknown = "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"sec1\",\"no-such-leaf\":\"" + "x".repeat(2 << 20)
            + "\"}]}";
        assertError(admin.put(SEC1, unknown), 413, "too-big");
        unchanged("2 MB PUT", admin, before, kernel);
        assertError(admin.post(DATA, "{" + "[".repeat(2 << 20)), 413, "too-big");
        unchanged("2 MB POST", admin, before, kernel);
        // chunked: no Content-Length, the count while reading is the bound
        String chunk = "x".repeat(64 * 1024);
        StringBuilder chunked = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            chunked.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        assertRawError(rawPut(SEC1, "Transfer-Encoding: chunked\r\n", chunked.toString(), false), 413, "too-big");
        unchanged("2 MB chunked PUT", admin, before, kernel);
        assertEquals(404, admin.get(SEC1).status());
    }

    @Test
    public void theBoundIsConfigurable() throws IOException {
        Http admin = admin();
        String body = "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"sec1\"}]}";
        setConfig("maxBodyBytes", 20L);
        try {
            assertError(admin.put(SEC1, body), 413, "too-big");
        } finally {
            setConfig("maxBodyBytes", 1048576L);
        }
        assertEquals(201, admin.put(SEC1, body).status());
        assertEquals(204, admin.delete(SEC1).status());
    }

    @Test
    public void brokenChunkedBodiesAre400() {
        Http admin = admin();
        String before = admin.get(CONFIG).body();
        String kernel = KernelSnapshot.now();
        String te = "Transfer-Encoding: chunked\r\n";
        // cut short: a chunk announces 0x40 bytes, 10 come, then the client stops sending
        assertRawError(rawPut(SEC1, te, "40\r\n{\"pcn-simp", true), 400, "malformed-message");
        unchanged("chunked PUT cut short", admin, before, kernel);
        // malformed chunk size
        assertRawError(rawPut(SEC1, te + "Connection: close\r\n", "zz\r\n{}\r\n0\r\n\r\n", false), 400,
            "malformed-message");
        unchanged("malformed chunk size", admin, before, kernel);
        // DELETE with a cut-short body
        String delete = admin.raw("DELETE " + SEC1 + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + admin.authorization()
            + "\r\n" + te + "\r\n5\r\n{", true);
        assertRawError(delete, 400, "malformed-message");
        unchanged("DELETE with a cut-short body", admin, before, kernel);
    }

    @Test
    public void jettyAnswersAreJsonNeverHtml() {
        Http admin = admin();
        String auth = "Authorization: " + admin.authorization() + "\r\n";
        assertRawError(admin.raw("GET " + DATA + " HTTP/1.2\r\nHost: x\r\n" + auth + "\r\n", false), 505,
            "operation-not-supported");
        assertRawError(admin.raw("GET /restconf/da\rta HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", false), 400,
            "malformed-message");
        assertRawError(admin.raw("GET /restconf/data/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
            false), 414, "too-big");
        assertRawError(admin.raw("GET " + DATA + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n" + auth
            + "\r\n", false), 431, "too-big");
        assertRawError(admin.raw("GET /nothing-here HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n", false),
            404, "invalid-value");
        assertError(admin.request("PUT", "/nothing-here", "{}"), 404, "invalid-value");
        // TRACE (which would echo the Authorization header) is refused before any context, logged in or not:
        // 405 with an RFC 8040 body, nothing echoed
        for (Http client : List.of(admin, admin.withoutCredentials())) {
            Http.Response trace = client.request("TRACE", DATA, null);
            assertError(trace, 405, "operation-not-supported");
            assertFalse(trace.body(), trace.body().contains(admin.authorization().substring(6)));
        }
    }

    @Test
    public void tlsWithTheConfiguredKeystore() throws Exception {
        admin();
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty(KEYSTORE_PROPERTY)))) {
            keystore.load(in, STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keystore);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        Http https = Http.https(Integer.parseInt(System.getProperty(TLS_PORT_PROPERTY)), ssl);
        Http.Response ok = https.awaitReachable(DATA, DEFAULT_TIMEOUT);
        assertEquals(ok.body(), 200, ok.status());
        assertError(https.withoutCredentials().get(DATA), 401, "access-denied");
        assertError(https.withCredentials("viewer", "viewer").delete(SEC1), 403, "access-denied");
    }

    /** Not an assertion on time (shared CI machines): prints the per-request cost of a login, cached and not. */
    @Test
    public void loginCostWithAndWithoutCache() throws IOException {
        Http admin = admin();
        int n = 300;
        double cached = perRequestMicros(admin, n);
        setConfig("loginCacheSeconds", 0);
        double uncached;
        try {
            uncached = perRequestMicros(admin, n);
        } finally {
            setConfig("loginCacheSeconds", 30);
        }
        double refused = perRequestMicros(admin.withCredentials("karaf", "wrong"), n);
        System.out.printf(Locale.ROOT, "auth.request_us cached=%.0f uncached=%.0f refused=%.0f (n=%d)%n",
            cached, uncached, refused, n);
    }

    /** GETs of a path nobody serves: the login and a 404, next to nothing else. */
    private static double perRequestMicros(Http client, int n) {
        for (int i = 0; i < 50; i++) {
            client.get("/nothing-here");
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            client.get("/nothing-here");
        }
        return (System.nanoTime() - start) / 1000.0 / n;
    }
}
