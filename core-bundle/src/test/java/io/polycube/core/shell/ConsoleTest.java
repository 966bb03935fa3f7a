package io.polycube.core.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.polycube.core.spi.CubeException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The console verbs over the real RESTCONF service and datastore: what they write, print and refuse. */
class ConsoleTest {

    private static JsonObject get(ConsoleFixture f, String path) {
        return JsonParser.parseString(f.plane.request("GET", path, Map.of("content", "config"), null).body())
            .getAsJsonObject();
    }

    private static String peer(ConsoleFixture f, String instance, String port) {
        return get(f, "pcn-simplefwd:simplefwd=" + instance + "/ports=" + port + "/peer").get("pcn-simplefwd:peer")
            .getAsString();
    }

    @Test
    void addCreatesAnInstanceWithTypedLeavesThenEntries() throws Exception {
        ConsoleFixture f = new ConsoleFixture();
        f.console.add(List.of("simplefwd", "fwd1", "type=XDP_SKB", "loglevel=DEBUG"));
        f.console.add(List.of("fwd1", "ports", "p1", "peer=veth1"));
        f.console.add(List.of("fwd1", "ports", "p2"));
        f.console.add(List.of("fwd1", "actions", "p1", "action=FORWARD", "outport=p2"));
        JsonObject fwd = get(f, "pcn-simplefwd:simplefwd=fwd1").getAsJsonArray("pcn-simplefwd:simplefwd").get(0)
            .getAsJsonObject();
        assertEquals("XDP_SKB", fwd.get("type").getAsString());
        assertEquals("DEBUG", fwd.get("loglevel").getAsString());
        assertEquals("veth1", peer(f, "fwd1", "p1"));
        JsonObject action = fwd.getAsJsonArray("actions").get(0).getAsJsonObject();
        assertEquals("FORWARD", action.get("action").getAsString());
        assertEquals("p2", action.get("outport").getAsString());
        assertEquals(4, f.applied.size(), "one transaction per command");
    }

    @Test
    void addOfAnExistingEntryIsRefusedLikePost() throws Exception {
        ConsoleFixture f = new ConsoleFixture().fwd("fwd1");
        String before = f.config();
        ConsoleException e = assertThrows(ConsoleException.class,
            () -> f.console.add(List.of("fwd1", "ports", "p1", "peer=x")));
        assertTrue(e.getMessage().startsWith("409 data-exists"), e.getMessage());
        assertEquals(before, f.config());
    }

    @Test
    void aBadEnumIsRefusedWithTheServersReasonAndChangesNothing() throws Exception {
        ConsoleFixture f = new ConsoleFixture().fwd("fwd1");
        String before = f.config();
        int commits = f.applied.size();
        ConsoleException e = assertThrows(ConsoleException.class,
            () -> f.console.set(List.of("fwd1", "loglevel=LOUD")));
        assertTrue(e.getMessage().startsWith("400 invalid-value: "), e.getMessage());
        assertTrue(e.getMessage().contains("LOUD"), e.getMessage());
        assertEquals(before, f.config());
        assertEquals(commits, f.applied.size());
    }

    @Test
    void unknownNamesAreRefusedBeforeAnyRequest() throws Exception {
        ConsoleFixture f = new ConsoleFixture().fwd("fwd1");
        assertEquals("no instance 'nosuch' (instances: fwd1)",
            assertThrows(ConsoleException.class, () -> f.console.set(List.of("nosuch", "type=TC"))).getMessage());
        assertTrue(assertThrows(ConsoleException.class, () -> f.console.add(List.of("nosuchtype", "x")))
            .getMessage().equals("no cube type or instance 'nosuchtype' (cube types: protofilter, simplefwd; instances: fwd1)"));
        assertTrue(assertThrows(ConsoleException.class, () -> f.console.set(List.of("fwd1", "colour=red")))
            .getMessage().contains("no leaf 'colour'"));
        assertTrue(assertThrows(ConsoleException.class, () -> f.console.show(List.of("fwd1", "portz"), false,
            System.out)).getMessage().contains("one of: name, type, loglevel, ports, actions"));
    }

    @Test
    void setMergesAndDelRemoves() throws Exception {
        ConsoleFixture f = new ConsoleFixture().fwd("fwd1");
        f.console.add(List.of("fwd1", "actions", "p1", "action=FORWARD", "outport=p2"));
        f.console.set(List.of("fwd1", "actions", "p1", "action=DROP"));
        JsonObject action = get(f, "pcn-simplefwd:simplefwd=fwd1/actions=p1").getAsJsonArray("pcn-simplefwd:actions")
            .get(0).getAsJsonObject();
        assertEquals("DROP", action.get("action").getAsString());
        assertEquals("p2", action.get("outport").getAsString(), "a merge keeps the other leaves");
        f.console.del(List.of("fwd1", "actions", "p1", "outport"));
        assertFalse(get(f, "pcn-simplefwd:simplefwd=fwd1/actions=p1").toString().contains("outport"));
        f.console.del(List.of("fwd1", "actions", "p1"));
        assertEquals(404, f.plane.request("GET", "pcn-simplefwd:simplefwd=fwd1/actions=p1", Map.of(), null).status());
        f.console.del(List.of("fwd1"));
        assertEquals(Map.of(), f.plane.instances());
        assertTrue(assertThrows(ConsoleException.class, () -> f.console.del(List.of("fwd1"))).getMessage()
            .startsWith("no instance"));
    }

    @Test
    void leafListValuesAreAddedAndDeletedOneByOne() throws Exception {
        ConsoleFixture f = new ConsoleFixture();
        f.console.add(List.of("protofilter", "pf1", "drop-protocol=17,1"));
        f.console.add(List.of("pf1", "drop-protocol", "6"));
        assertEquals(Set.of(17, 1, 6), protocols(f));
        f.console.del(List.of("pf1", "drop-protocol", "1"));
        assertEquals(Set.of(17, 6), protocols(f));
    }

    private static Set<Integer> protocols(ConsoleFixture f) {
        Set<Integer> all = new HashSet<>();
        get(f, "pcn-protofilter:protofilter=pf1/drop-protocol").getAsJsonArray("pcn-protofilter:drop-protocol")
            .forEach(v -> all.add(v.getAsInt()));
        return all;
    }

    @Test
    void connectSetsBothEndsInOneTransactionAndDisconnectClearsBoth() throws Exception {
        ConsoleFixture f = new ConsoleFixture().fwd("fa").fwd("fb");
        f.console.disconnect("fa:p2");
        f.console.disconnect("fb:p1");
        int commits = f.applied.size();
        f.console.connect("fa:p2", "fb:p1");
        assertEquals(commits + 1, f.applied.size());
        assertEquals(2, f.applied.get(f.applied.size() - 1).size(), "both instances change in the one commit");
        assertEquals("fb:p1", peer(f, "fa", "p2"));
        assertEquals("fa:p2", peer(f, "fb", "p1"));

        f.console.disconnect("fb:p1");
        assertEquals(404, f.plane.request("GET", "pcn-simplefwd:simplefwd=fa/ports=p2/peer", Map.of(), null).status());
        assertEquals(404, f.plane.request("GET", "pcn-simplefwd:simplefwd=fb/ports=p1/peer", Map.of(), null).status());
        assertEquals("fb:p1 is not connected",
            assertThrows(ConsoleException.class, () -> f.console.disconnect("fb:p1")).getMessage());
    }

    @Test
    void aConnectTheDataPlaneRefusesChangesNeitherEnd() throws Exception {
        ConsoleFixture f = new ConsoleFixture().fwd("fa").fwd("fb");
        f.console.disconnect("fa:p2");
        f.console.disconnect("fb:p1");
        String before = f.config();
        f.failure = new CubeException(CubeException.Kind.INVALID_VALUE, "netdev nosuch does not exist");
        ConsoleException e = assertThrows(ConsoleException.class, () -> f.console.connect("fa:p2", "fb:p1"));
        assertEquals("400 invalid-value: netdev nosuch does not exist", e.getMessage());
        assertEquals(before, f.config());
    }

    @Test
    void connectRefusesAPortConnectedElsewhere() throws Exception {
        ConsoleFixture f = new ConsoleFixture().fwd("fa").fwd("fb");
        assertEquals("fa:p2 is connected to fa-b: disconnect it first",
            assertThrows(ConsoleException.class, () -> f.console.connect("fa:p2", "fb:p1")).getMessage());
        f.console.disconnect("fa:p2");
        f.console.connect("fa:p2", "veth9");
        assertEquals("veth9", peer(f, "fa", "p2"));
        assertTrue(assertThrows(ConsoleException.class, () -> f.console.connect("fa:p9", "veth8")).getMessage()
            .startsWith("404 data-missing"));
    }

    @Test
    void attachAndDetachATransparentCube() throws Exception {
        ConsoleFixture f = new ConsoleFixture().fwd("fa");
        f.console.add(List.of("protofilter", "pf1", "drop-protocol=17"));
        f.console.attach("pf1", "fa:p1", "EGRESS", "first");
        JsonObject pf = get(f, "pcn-protofilter:protofilter=pf1").getAsJsonArray("pcn-protofilter:protofilter").get(0)
            .getAsJsonObject();
        assertEquals("fa:p1", pf.get("parent").getAsString());
        assertEquals("EGRESS", pf.get("direction").getAsString());
        assertEquals("first", pf.get("position").getAsString());
        f.console.detach("pf1");
        assertFalse(get(f, "pcn-protofilter:protofilter=pf1").toString().contains("parent"));
        assertEquals("pf1 is not attached", assertThrows(ConsoleException.class, () -> f.console.detach("pf1"))
            .getMessage());
        assertTrue(assertThrows(ConsoleException.class, () -> f.console.attach("fa", "x", "INGRESS", "last"))
            .getMessage().contains("not a transparent cube"));
        assertTrue(assertThrows(ConsoleException.class, () -> f.console.attach("pf1", "fa:p1", "SIDEWAYS", "last"))
            .getMessage().startsWith("400 invalid-value"));
    }

    @Test
    void showPrintsTablesOrTheRestconfJson() throws Exception {
        ConsoleFixture f = new ConsoleFixture().fwd("fwd1");
        f.console.add(List.of("fwd1", "actions", "p1", "action=FORWARD", "outport=p2"));
        f.console.add(List.of("protofilter", "pf1"));
        f.console.attach("pf1", "fwd1:p1", "INGRESS", "last");
        String all = f.show();
        assertTrue(all.contains("Instance"), all);
        assertTrue(all.lines().anyMatch(l -> l.contains("fwd1") && l.contains("simplefwd") && l.contains("TC")
            && l.contains("p1 > fwd1-a") && l.contains("p2 > fwd1-b")), all);
        assertTrue(all.lines().anyMatch(l -> l.contains("pf1") && l.contains("fwd1:p1 INGRESS last")), all);

        String one = f.show("fwd1");
        assertTrue(one.lines().anyMatch(l -> l.matches("\\s*type\\s*\\|\\s*TC\\s*")), one);
        assertTrue(one.contains("ports:") && one.contains("actions:"), one);
        assertTrue(one.lines().anyMatch(l -> l.matches("\\s*p1\\s*\\|\\s*FORWARD\\s*\\|\\s*p2\\s*")), one);
        assertTrue(one.indexOf("name ") < one.indexOf("type ") && one.indexOf("type ") < one.indexOf("loglevel "), one);

        assertEquals(f.plane.request("GET", "pcn-simplefwd:simplefwd=fwd1/ports", Map.of(), null).body() + "\n",
            f.show(true, "fwd1", "ports"));
        assertEquals("fwd1-b\n", f.show("fwd1", "ports", "p2", "peer"));
        assertTrue(f.show(true).startsWith("{\"ietf-restconf:data\":"));
    }
}
