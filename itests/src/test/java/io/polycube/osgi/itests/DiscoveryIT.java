// SPDX-License-Identifier: Apache-2.0
// This file contains the end-to-end test of RESTCONF discovery and the framework model pcn-polycubed over real HTTP.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Discovery (host-meta, the YANG library and its module texts, restconf-monitoring, operations) and the
 * framework model {@code pcn-polycubed} (state and actions) on one small topology: namespaces
 * {@code <prefix>1} (10.204.0.1) and {@code <prefix>2} (10.204.0.2) joined only by a simplefwd, and two
 * protofilters (ICMP and UDP) moved by actions. Pings show what each action did to forwarding.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DiscoveryIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(DiscoveryIT.class);
    private static final String NS_A = PREFIX + "1";
    private static final String NS_B = PREFIX + "2";
    private static final String IP_A = "10.204.0.1";
    private static final String IP_B = "10.204.0.2";
    private static final String DEV_A = NS_A + "a";
    private static final String DEV_B = NS_B + "a";
    private static final String DATA = "/restconf/data";
    private static final String MODEL = DATA + "/pcn-polycubed:polycubed";
    private static final String LIBRARY = DATA + "/ietf-yang-library:yang-library";

    @Override
    protected Option[] additionalOptions() {
        return sharedTopology(DiscoveryIT.class, PREFIX, "1", "2");
    }

    @Test
    public void discoveryAndTheFrameworkModel() throws Exception {
        Netns a = Netns.named(NS_A).addAddress(IP_A + "/24");
        Netns b = Netns.named(NS_B).addAddress(IP_B + "/24");
        try {
            http().awaitReachable(DATA, DEFAULT_TIMEOUT);
            waitFor("both cube modules in the YANG library", DEFAULT_TIMEOUT, () -> {
                String library = http().get(LIBRARY).body();
                return library.contains("\"pcn-simplefwd\"") && library.contains("\"pcn-protofilter\"");
            });
            discovery();
            frameworkModelAndActions(a, b);
            uninstallingACubeTypeRemovesItsModule();
        } finally {
            http().delete(DATA + "/pcn-simplefwd:simplefwd=fwd");
            a.close();
            b.close();
        }
    }

    private void discovery() throws IOException {
        Http.Response hostMeta = http().get("/.well-known/host-meta");
        assertEquals(200, hostMeta.status());
        assertContains(hostMeta.body(), "<Link rel='restconf' href='/restconf'/>");
        assertContains(http().get("/.well-known/host-meta.json").body(), "\"href\":\"/restconf\"");
        assertEquals("2019-01-04", json(http().get("/restconf/yang-library-version").body())
                .get("ietf-restconf:yang-library-version").getAsString());

        // Every module (base, IETF, cube) once, with its revision; its text downloadable.
        JsonObject set = json(http().get(LIBRARY).body()).getAsJsonObject("ietf-yang-library:yang-library")
                .getAsJsonArray("module-set").get(0).getAsJsonObject();
        Map<String, JsonObject> modules = byName(set.getAsJsonArray("module"));
        Map<String, JsonObject> importOnly = byName(set.getAsJsonArray("import-only-module"));
        Map<String, String> expected = Map.of("pcn-simplefwd", "2026-11-27", "pcn-protofilter", "2026-11-27",
                "pcn-polycubed", "2026-12-03", "ietf-yang-library", "2019-01-04", "ietf-restconf-monitoring", "2017-01-26",
                "ietf-datastores", "2018-02-14");
        expected.forEach((name, revision) -> {
            assertTrue(name + " in " + modules.keySet(), modules.containsKey(name));
            assertEquals(name, revision, modules.get(name).get("revision").getAsString());
        });
        for (String name : List.of("pcn-base", "ietf-inet-types", "ietf-yang-types")) {
            assertTrue(name + " import-only in " + importOnly.keySet(), importOnly.containsKey(name));
        }
        String location = modules.get("pcn-simplefwd").getAsJsonArray("location").get(0).getAsString();
        assertEquals("/restconf/schema/pcn-simplefwd/2026-11-27", location);
        Http.Response text = http().get(location);
        assertEquals(200, text.status());
        assertEquals(resource(bundle("io.polycube.cube.simplefwd"), "/yang/pcn-simplefwd.yang"), text.body());
        assertEquals(404, http().get("/restconf/schema/pcn-simplefwd/1999-01-01").status());

        Map<String, JsonObject> legacy = byName(json(http().get(DATA + "/ietf-yang-library:modules-state").body())
                .getAsJsonObject("ietf-yang-library:modules-state").getAsJsonArray("module"));
        assertEquals("implement", legacy.get("pcn-protofilter").get("conformance-type").getAsString());
        assertEquals("import", legacy.get("pcn-base").get("conformance-type").getAsString());
        assertEquals("/restconf/schema/pcn-protofilter/2026-11-27", legacy.get("pcn-protofilter").get("schema").getAsString());

        JsonArray capabilities = json(http().get(DATA + "/ietf-restconf-monitoring:restconf-state").body())
                .getAsJsonObject("ietf-restconf-monitoring:restconf-state").getAsJsonObject("capabilities")
                .getAsJsonArray("capability");
        Set<String> advertised = new HashSet<>();
        capabilities.forEach(c -> advertised.add(c.getAsString()));
        assertEquals(Set.of("urn:ietf:params:restconf:capability:defaults:1.0?basic-mode=report-all",
                "urn:ietf:params:restconf:capability:depth:1.0", "urn:ietf:params:restconf:capability:fields:1.0",
                "urn:ietf:params:restconf:capability:with-defaults:1.0",
                "urn:ietf:params:restconf:capability:yang-patch:1.0"), advertised);

        Http.Response operations = http().get("/restconf/operations");
        assertEquals(200, operations.status());
        assertEquals("{\"ietf-restconf:operations\":{}}", operations.body());
    }

    private void frameworkModelAndActions(Netns a, Netns b) {
        String fwd = DATA + "/pcn-simplefwd:simplefwd=fwd";
        Http.Response created = http().put(fwd, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd\",\"type\":\"TC\","
                + "\"ports\":[{\"name\":\"pa\",\"peer\":\"" + DEV_A + "\"},{\"name\":\"pb\",\"peer\":\"" + DEV_B + "\"}],"
                + "\"actions\":[{\"inport\":\"pa\",\"action\":\"FORWARD\",\"outport\":\"pb\"},"
                + "{\"inport\":\"pb\",\"action\":\"FORWARD\",\"outport\":\"pa\"}]}]}");
        assertEquals(created.body(), 201, created.status());
        for (String[] filter : new String[][] {{"icmp", "1"}, {"udp", "17"}}) {
            Http.Response pf = http().put(DATA + "/pcn-protofilter:protofilter=" + filter[0], "{\"pcn-protofilter:protofilter\":"
                    + "[{\"name\":\"" + filter[0] + "\",\"type\":\"TC\",\"drop-protocol\":[" + filter[1] + "]}]}");
            assertEquals(pf.body(), 201, pf.status());
        }
        assertEquals("through fwd", 2, received(a, IP_B));

        // State: types with their bundles, instances, netdevs and who holds them.
        JsonObject state = polycubedModel();
        Map<String, JsonObject> types = byName(state.getAsJsonArray("cube-type"));
        Bundle simplefwd = bundle("io.polycube.cube.simplefwd");
        assertEquals(simplefwd.getSymbolicName(), types.get("simplefwd").get("bundle").getAsString());
        assertEquals(simplefwd.getVersion().toString(), types.get("simplefwd").get("bundle-version").getAsString());
        assertFalse(types.get("simplefwd").get("transparent").getAsBoolean());
        assertTrue(types.get("protofilter").get("transparent").getAsBoolean());
        assertEquals(bundle("io.polycube.cube.protofilter").getVersion().toString(),
                types.get("protofilter").get("bundle-version").getAsString());
        assertEquals("2026-11-27", types.get("protofilter").get("revision").getAsString());
        Map<String, JsonObject> cubes = byName(state.getAsJsonArray("cube"));
        assertEquals(Set.of("fwd", "icmp", "udp"), cubes.keySet());
        assertEquals("TC", cubes.get("fwd").get("hook").getAsString());
        JsonObject pa = byName(cubes.get("fwd").getAsJsonArray("port")).get("pa");
        assertEquals(DEV_A, pa.get("peer").getAsString());
        assertEquals("UP", pa.get("status").getAsString());
        Map<String, JsonObject> netdevs = byName(state.getAsJsonArray("netdev"));
        assertEquals("fwd:pb", netdevs.get(DEV_B).get("held-by").getAsString());
        assertEquals("port", netdevs.get(DEV_B).get("holder-kind").getAsString());

        // Invalid actions: exact status, an RFC 8040 error, nothing changed (configuration, kernel, forwarding).
        String config = http().get(DATA + "?content=config").body();
        String kernel = tcPrograms(DEV_A) + " " + tcPrograms(DEV_B);
        String maps = KernelSnapshot.now();
        Object[][] bad = {
            {MODEL + "/cube=fwd/port=nope/connect", input("\"peer\":\"" + DEV_B + "\""), 404},        // unknown port
            {MODEL + "/cube=fwd/port=pb/connect", input("\"peer\":\"" + PREFIX + "x\""), 400},         // missing netdev
            {MODEL + "/cube=ghost/port=pa/connect", input("\"peer\":\"" + DEV_A + "\""), 404},         // unknown instance
            {MODEL + "/cube=icmp/attach", input("\"parent\":\"fwd:pa\",\"position\":\"middle\""), 400}, // bad position
            {MODEL + "/cube=icmp/attach", input("\"parent\":\"fwd:pa\",\"position\":\"after ghost\""), 400},
            {MODEL + "/cube=icmp/attach", input("\"parent\":\"" + PREFIX + "x\""), 400},              // missing netdev
            {MODEL + "/cube=fwd/port=pb/connect", input("\"peer\":\"ghost:pa\""), 400},               // unknown cube port
            {MODEL + "/cube=fwd/port=pb/connect", input("\"peer\":\"" + DEV_A + "\""), 400},          // netdev taken
            {MODEL + "/cube=fwd/port=pb/connect", "{\"pcn-polycubed:input\":{}}", 400},               // no peer
        };
        for (Object[] request : bad) {
            Http.Response response = http().post((String) request[0], (String) request[1]);
            assertEquals(request[0] + " " + request[1] + " -> " + response.body(), (int) (Integer) request[2],
                    response.status());
            assertContains(response.body(), "\"ietf-restconf:errors\"");
            assertContains(response.body(), "\"error-tag\"");
            assertEquals("configuration changed by " + request[0], config, http().get(DATA + "?content=config").body());
            assertEquals("kernel changed by " + request[0], kernel, tcPrograms(DEV_A) + " " + tcPrograms(DEV_B));
            KernelSnapshot.assertUnchanged(request[0] + " " + request[1], maps);
        }
        assertEquals("forwarding unchanged", 2, received(a, IP_B));

        // attach: ICMP dropped on pa's ingress; a second filter after it; the order in the topology.
        assertEquals(204, http().post(MODEL + "/cube=icmp/attach", input("\"parent\":\"fwd:pa\",\"position\":\"first\""))
                .status());
        assertEquals("ICMP dropped entering pa", 0, received(a, IP_B));
        assertEquals(204, http().post(MODEL + "/cube=udp/attach", input("\"parent\":\"" + DEV_A + "\","
                + "\"direction\":\"INGRESS\",\"position\":\"after icmp\"")).status());
        JsonArray chain = byName(byName(polycubedModel().getAsJsonArray("cube")).get("fwd").getAsJsonArray("port")).get("pa")
                .getAsJsonArray("transparent-cube");
        assertEquals(2, chain.size());
        Map<Integer, String> order = new LinkedHashMap<>();
        chain.forEach(e -> order.put(e.getAsJsonObject().get("order").getAsInt(), e.getAsJsonObject().get("cube").getAsString()));
        assertEquals(Map.of(0, "icmp", 1, "udp"), order);
        assertEquals("INGRESS", chain.get(0).getAsJsonObject().get("direction").getAsString());
        assertEquals("after icmp", byName(polycubedModel().getAsJsonArray("cube")).get("udp").getAsJsonObject("attachment")
                .get("position").getAsString());
        assertContains(http().get(DATA + "/pcn-protofilter:protofilter=icmp").body(), "\"parent\":\"fwd:pa\"");

        // detach: udp is placed "after icmp", so icmp cannot go first (refused, nothing changes); then both go.
        String attachedConfig = http().get(DATA + "?content=config").body();
        String attachedMaps = KernelSnapshot.now();
        Http.Response refused = http().post(MODEL + "/cube=icmp/detach", null);
        assertEquals(refused.body(), 400, refused.status());
        assertContains(refused.body(), "after icmp");
        assertEquals(attachedConfig, http().get(DATA + "?content=config").body());
        KernelSnapshot.assertUnchanged("detach of icmp", attachedMaps);
        assertEquals("still filtered", 0, received(a, IP_B));
        assertEquals(204, http().post(MODEL + "/cube=udp/detach", null).status());
        assertEquals(204, http().post(MODEL + "/cube=icmp/detach", null).status());
        assertEquals("ICMP passes after detach", 2, received(a, IP_B));

        // disconnect / connect: the port loses its netdev, then gets it back.
        assertEquals(204, http().post(MODEL + "/cube=fwd/port=pb/disconnect", null).status());
        assertEquals("no way to B", 0, received(a, IP_B));
        JsonObject pb = byName(byName(polycubedModel().getAsJsonArray("cube")).get("fwd").getAsJsonArray("port")).get("pb");
        assertFalse(pb.toString(), pb.has("peer"));
        assertEquals("DOWN", pb.get("status").getAsString());
        assertTrue(tcPrograms(DEV_B).isEmpty());
        assertEquals(204, http().post(MODEL + "/cube=fwd/port=pb/connect", input("\"peer\":\"" + DEV_B + "\"")).status());
        assertEquals("B reachable again", 2, received(a, IP_B));
        assertContains(http().get(DATA + "/pcn-simplefwd:simplefwd=fwd/ports=pb/peer").body(), DEV_B);
    }

    private void uninstallingACubeTypeRemovesItsModule() {
        executeCommand("feature:uninstall pcn-protofilter", java.time.Duration.ofMinutes(2));
        waitFor("pcn-protofilter gone from the YANG library", DEFAULT_TIMEOUT,
                () -> !http().get(LIBRARY).body().contains("\"pcn-protofilter\""));
        assertContains(http().get(LIBRARY).body(), "\"pcn-simplefwd\"");
        assertEquals(404, http().get("/restconf/schema/pcn-protofilter/2026-11-27").status());
        assertFalse(byName(polycubedModel().getAsJsonArray("cube-type")).containsKey("protofilter"));
    }

    private static String input(String members) {
        return "{\"pcn-polycubed:input\":{" + members + "}}";
    }

    private static int received(Netns from, String ip) {
        var m = java.util.regex.Pattern.compile("(\\d+) received").matcher(from.ping(ip, 2).output());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    private static String resource(Bundle bundle, String path) throws IOException {
        try (InputStream in = bundle.getEntry(path).openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
