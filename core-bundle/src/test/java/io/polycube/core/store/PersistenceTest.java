package io.polycube.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.polycube.core.restconf.Datastore;
import io.polycube.core.restconf.InstanceChange;
import io.polycube.core.restconf.RestconfResponse;
import io.polycube.core.restconf.RestconfService;
import io.polycube.core.restconf.StateSource;
import io.polycube.core.restconf.YangModels;
import io.polycube.core.spi.CubeException;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/** The saved configuration against a real datastore (real models, a recording applier standing in for the cubes). */
class PersistenceTest {
    private static final String JSON = "application/yang-data+json";
    private static EffectiveModelContext all;
    private static EffectiveModelContext withoutProtofilter;

    @TempDir
    Path dir;

    /** One daemon run: a datastore on a model context, the applier, persistence on the file. */
    private final class Daemon {
        final List<InstanceChange> applied = new ArrayList<>();
        final Set<String> refuse = new java.util.HashSet<>();
        final Datastore datastore;
        final RestconfService service;
        final Persistence persistence;

        Daemon(EffectiveModelContext context) {
            datastore = new Datastore(context, changes -> {
                for (InstanceChange change : changes) {
                    if (refuse.contains(change.instanceName())) {
                        throw CubeException.invalid("peer netdev 'gone0' does not exist");
                    }
                }
                applied.addAll(changes);
            });
            service = new RestconfService(datastore, StateSource.NONE);
            persistence = new Persistence(new RunningConfigFile(dir.resolve("running.json")));
            datastore.setCommitListener(persistence);
        }

        RestconfResponse send(String method, String path, String body) {
            return service.handle(method, "/data" + path, Map.of(), body == null ? null : JSON, body);
        }

        String config() {
            return service.handle("GET", "/data", Map.of("content", "config", "with-defaults", "explicit"), null, null)
                .body();
        }
    }

    @BeforeAll
    static void models() throws Exception {
        YangModels models = new YangModels();
        models.addModule("pcn-simplefwd", yang("pcn-simplefwd.yang"));
        withoutProtofilter = models.addModule("pcn-testkeys",
            PersistenceTest.class.getClassLoader().getResource("yang-test/pcn-testkeys.yang"));
        all = models.addModule("pcn-protofilter", yang("pcn-protofilter.yang"));
    }

    private static URL yang(String file) throws IOException {
        String dir = System.getProperty("pcn.yang.dir", "../yang-models/src/main/yang");
        return Path.of(dir).resolve(file).toUri().toURL();
    }

    private static String fwd(String name, String peer) {
        return "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"" + name + "\",\"ports\":[{\"name\":\"pa\",\"peer\":\"" + peer
            + "\"}],\"actions\":[{\"inport\":\"pa\",\"action\":\"DROP\"}]}]}";
    }

    private static final String FILTER = "{\"pcn-protofilter:protofilter\":[{\"name\":\"pf1\",\"parent\":\"fwd1:pa\","
        + "\"direction\":\"INGRESS\",\"position\":\"first\",\"drop-protocol\":[17]}]}";

    /** What a start would find: the main file with the journal's records on top (as after a crash). */
    private JsonObject saved() throws IOException {
        Path main = dir.resolve("running.json");
        JsonObject content = Files.exists(main) ? JsonParser.parseString(Files.readString(main)).getAsJsonObject()
            : new JsonObject();
        new Journal(dir.resolve("running.json.journal")).replayInto(content);
        return content;
    }

    /** Members and their entries in name order (the file appends entries not in the datastore). */
    private static java.util.SortedMap<String, java.util.SortedMap<String, String>> sorted(JsonObject config) {
        var result = new java.util.TreeMap<String, java.util.SortedMap<String, String>>();
        config.entrySet().forEach(member -> {
            var entries = new java.util.TreeMap<String, String>();
            member.getValue().getAsJsonArray().forEach(e -> entries.put(e.getAsJsonObject().get("name").getAsString(),
                e.toString()));
            result.put(member.getKey(), entries);
        });
        return result;
    }

    @Test
    void everyCommitIsSavedAndReplayedOnTheNextStart() throws IOException {
        Daemon first = new Daemon(all);
        assertEquals(201, first.send("PUT", "/pcn-simplefwd:simplefwd=fwd1", fwd("fwd1", "veth1")).status());
        assertEquals(201, first.send("PUT", "/pcn-protofilter:protofilter=pf1", FILTER).status());
        assertEquals(201, first.send("PUT", "/pcn-simplefwd:simplefwd=fwd2", fwd("fwd2", "fwd1:pb")).status());
        assertEquals(204, first.send("DELETE", "/pcn-simplefwd:simplefwd=fwd2", null).status());
        String before = first.config();
        assertEquals(sorted(JsonParser.parseString(before).getAsJsonObject().getAsJsonObject("ietf-restconf:data")),
            sorted(saved()));

        Daemon second = new Daemon(all);
        assertEquals(Map.of(), second.persistence.replay(second.datastore));
        assertEquals(before, second.config());
        // Replayed through the applier: the data plane got every instance back.
        assertEquals(Set.of("fwd1", "pf1"), Set.copyOf(second.applied.stream().map(InstanceChange::instanceName).toList()));
    }

    @Test
    void dataOfAnAbsentModuleIsKeptAndComesBackWithItsType() throws IOException {
        Daemon first = new Daemon(all);
        first.send("PUT", "/pcn-simplefwd:simplefwd=fwd1", fwd("fwd1", "veth1"));
        first.send("PUT", "/pcn-protofilter:protofilter=pf1", FILTER);

        // Started without protofilter: its data is parked, and survives commits of other modules.
        Daemon second = new Daemon(withoutProtofilter);
        second.persistence.replay(second.datastore);
        assertEquals(Set.of("pcn-protofilter:protofilter"), second.persistence.parked(withoutProtofilter));
        assertEquals(201, second.send("PUT", "/pcn-simplefwd:simplefwd=fwd3", fwd("fwd3", "veth3")).status());
        assertTrue(saved().has("pcn-protofilter:protofilter"), saved()::toString);
        assertEquals(2, saved().getAsJsonArray("pcn-simplefwd:simplefwd").size());

        // The type arrives: pf1 comes back.
        second.datastore.setContext(all);
        second.persistence.moduleChanged("pcn-protofilter");
        assertEquals(Map.of(), second.persistence.replay(second.datastore));
        assertTrue(second.config().contains("\"pf1\""), second.config());
        assertTrue(second.applied.stream().anyMatch(c -> c.instanceName().equals("pf1")));

        // The type goes (its data leaves the datastore, not the file), then a commit elsewhere: still kept.
        second.datastore.setContext(withoutProtofilter);
        second.persistence.moduleChanged("pcn-protofilter");
        assertEquals(204, second.send("DELETE", "/pcn-simplefwd:simplefwd=fwd3", null).status());
        assertEquals(1, saved().getAsJsonArray("pcn-protofilter:protofilter").size(), saved()::toString);
        assertEquals(1, saved().getAsJsonArray("pcn-simplefwd:simplefwd").size(), saved()::toString);
    }

    @Test
    void aRefusedEntryIsKeptAndDoesNotBlockTheOthers() throws IOException {
        Daemon first = new Daemon(all);
        first.send("PUT", "/pcn-simplefwd:simplefwd=fwd1", fwd("fwd1", "veth1"));
        first.send("PUT", "/pcn-simplefwd:simplefwd=fwd2", fwd("fwd2", "gone0"));
        JsonObject before = saved();

        Daemon second = new Daemon(all);
        second.refuse.add("fwd2");
        Map<String, String> refused = second.persistence.replay(second.datastore);
        assertEquals(Set.of("pcn-simplefwd:simplefwd/fwd2"), refused.keySet());
        assertTrue(refused.values().iterator().next().contains("gone0"), refused::toString);
        assertTrue(second.config().contains("\"fwd1\"") && !second.config().contains("\"fwd2\""), second.config());
        assertEquals(sorted(before), sorted(saved()));
        // Kept across a commit, then applied by a later replay once the data plane takes it.
        assertEquals(201, second.send("PUT", "/pcn-simplefwd:simplefwd=fwd3", fwd("fwd3", "veth3")).status());
        assertEquals(3, saved().getAsJsonArray("pcn-simplefwd:simplefwd").size(), saved()::toString);
        second.refuse.clear();
        assertEquals(Map.of(), second.persistence.replay(second.datastore));
        assertTrue(second.config().contains("\"fwd2\""), second.config());
        // Once applied, a delete removes it from the file like any other instance.
        assertEquals(204, second.send("DELETE", "/pcn-simplefwd:simplefwd=fwd2", null).status());
        assertFalse(saved().toString().contains("fwd2"), saved()::toString);
    }

    @Test
    void entriesThatNeedOthersAreRetriedUntilTheyFit() throws IOException {
        Daemon first = new Daemon(all);
        // b refers to a (leafref); a is saved after b, so the first attempt at b fails.
        assertEquals(201, first.send("PUT", "/pcn-testkeys:testkeys=b", "{\"pcn-testkeys:testkeys\":[{\"name\":\"b\"}]}").status());
        assertEquals(201, first.send("PUT", "/pcn-testkeys:testkeys=a", "{\"pcn-testkeys:testkeys\":[{\"name\":\"a\"}]}").status());
        assertEquals(204, first.send("PATCH", "/pcn-testkeys:testkeys=b",
            "{\"pcn-testkeys:testkeys\":[{\"name\":\"b\",\"peer-instance\":\"a\"}]}").status());
        assertEquals(204, first.send("DELETE", "/pcn-testkeys:testkeys=b", null).status());
        assertEquals(201, first.send("PUT", "/pcn-testkeys:testkeys=b",
            "{\"pcn-testkeys:testkeys\":[{\"name\":\"b\",\"peer-instance\":\"a\"}]}").status());
        first.send("PUT", "/pcn-testkeys:testkeys-global", "{\"pcn-testkeys:testkeys-global\":{\"motd\":\"hi\"}}");
        String before = first.config();

        JsonObject file = saved();
        // Put b first in the file whatever the datastore's order was.
        var list = file.getAsJsonArray("pcn-testkeys:testkeys");
        var reordered = new com.google.gson.JsonArray();
        list.forEach(e -> { if (e.toString().contains("\"b\"")) reordered.add(e); });
        list.forEach(e -> { if (!e.toString().contains("\"b\"")) reordered.add(e); });
        file.add("pcn-testkeys:testkeys", reordered);
        new RunningConfigFile(dir.resolve("running.json")).write(file);
        Files.delete(dir.resolve("running.json.journal"));

        Daemon second = new Daemon(all);
        assertEquals(Map.of(), second.persistence.replay(second.datastore));
        assertEquals(before, second.config());
    }

    @Test
    void aFailedSaveRefusesTheCommitAndRevertsTheDataPlane() throws IOException {
        Daemon first = new Daemon(all);
        first.send("PUT", "/pcn-simplefwd:simplefwd=fwd1", fwd("fwd1", "veth1"));
        String before = first.config();
        // The journal becomes a directory: the next flush fails.
        Path journal = dir.resolve("running.json.journal");
        Files.deleteIfExists(journal);
        Files.createDirectory(journal);
        first.applied.clear();
        RestconfResponse refused = first.send("PUT", "/pcn-simplefwd:simplefwd=fwd2", fwd("fwd2", "veth2"));
        assertEquals(500, refused.status(), refused::toString);
        assertTrue(refused.body().contains("could not be saved"), refused.body());
        assertEquals(before, first.config());
        // Applied, then reverted: create fwd2, delete fwd2.
        assertEquals(2, first.applied.size());
        assertTrue(first.applied.get(1).after().isEmpty());
    }

    @Test
    void concurrentWritersAreAllDurableAfterACrash() throws Exception {
        Daemon first = new Daemon(all);
        int threads = 8;
        int each = 15;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                int ok = 0;
                for (int i = 0; i < each; i++) {
                    String name = "t" + thread + "x" + i;
                    ok += first.send("PUT", "/pcn-testkeys:testkeys=" + name,
                        "{\"pcn-testkeys:testkeys\":[{\"name\":\"" + name + "\"}]}").status() == 201 ? 1 : 0;
                }
                return ok;
            }));
        }
        int acknowledged = 0;
        for (var f : done) {
            acknowledged += f.get();
        }
        pool.shutdown();
        assertEquals(threads * each, acknowledged);
        long records = Files.readAllLines(dir.resolve("running.json.journal")).size();
        assertTrue(records <= acknowledged, records + " records");
        String before = first.config();

        // No close (a crash): the next start has every acknowledged write, from the journal.
        Daemon second = new Daemon(all);
        assertEquals(threads * each, saved().getAsJsonArray("pcn-testkeys:testkeys").size());
        // Folded into the main file at start; the journal starts empty.
        assertEquals(0, Files.size(dir.resolve("running.json.journal")));
        assertEquals(Map.of(), second.persistence.replay(second.datastore));
        assertEquals(before, second.config());
    }

    @Test
    void theJournalIsFoldedIntoTheMainFileWhenItGrowsAndAtStop() throws IOException {
        RunningConfigFile file = new RunningConfigFile(dir.resolve("running.json"));
        Persistence small = new Persistence(file, 600);
        Datastore datastore = new Datastore(all, changes -> { });
        datastore.setCommitListener(small);
        RestconfService service = new RestconfService(datastore, StateSource.NONE);
        for (int i = 0; i < 12; i++) {
            assertEquals(201, service.handle("PUT", "/data/pcn-simplefwd:simplefwd=f" + i, Map.of(), JSON,
                fwd("f" + i, "veth" + i)).status());
            assertTrue(Files.size(file.journal()) < 600 + 2_000, "compacted once past the bound");
        }
        assertTrue(Files.exists(file.path()), "a full write happened");
        assertEquals(12, saved().getAsJsonArray("pcn-simplefwd:simplefwd").size(), saved()::toString);
        small.close();
        assertEquals(0, Files.size(file.journal()));
        JsonObject main = JsonParser.parseString(Files.readString(file.path())).getAsJsonObject();
        assertEquals(12, main.getAsJsonArray("pcn-simplefwd:simplefwd").size());
        assertEquals(main, JsonParser.parseString(Files.readString(file.backup())).getAsJsonObject());
        // Stopped: a commit now is refused (nothing changed), never lost silently.
        RestconfResponse late = service.handle("PUT", "/data/pcn-simplefwd:simplefwd=late", Map.of(), JSON,
            fwd("late", "veth99"));
        assertEquals(500, late.status(), late::toString);
        assertFalse(service.handle("GET", "/data", Map.of("content", "config"), null, null).body().contains("late"));
    }

    @Test
    void aFailedFlushUndoesEveryCommitSinceTheLastOne() throws Exception {
        Daemon first = new Daemon(all);
        assertEquals(201, first.send("PUT", "/pcn-simplefwd:simplefwd=fwd1", fwd("fwd1", "veth1")).status());
        String before = first.config();
        Path journal = dir.resolve("running.json.journal");
        Files.delete(journal);
        Files.createDirectory(journal);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<RestconfResponse>> answers = new ArrayList<>();
        for (int i = 2; i < 6; i++) {
            String name = "fwd" + i;
            answers.add(pool.submit(() -> first.send("PUT", "/pcn-simplefwd:simplefwd=" + name, fwd(name, "veth" + name))));
        }
        for (var answer : answers) {
            assertEquals(500, answer.get().status(), answer.get()::toString);
        }
        pool.shutdown();
        assertEquals(before, first.config());
        // The data plane saw each create undone: as many deletes as creates.
        long created = first.applied.stream().filter(c -> c.before().isEmpty()).count();
        long deleted = first.applied.stream().filter(c -> c.after().isEmpty()).count();
        assertEquals(created - 1, deleted, first.applied::toString);
        // The disk works again: the next flush is a full write, and it is kept.
        Files.delete(journal);
        assertEquals(201, first.send("PUT", "/pcn-simplefwd:simplefwd=fwd9", fwd("fwd9", "veth9")).status());
        assertEquals(Set.of("fwd1", "fwd9"), sorted(saved()).get("pcn-simplefwd:simplefwd").keySet());
    }
}
