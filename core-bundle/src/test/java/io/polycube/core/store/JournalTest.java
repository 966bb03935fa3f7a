package io.polycube.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal file on its own: records, torn and damaged lines, replay over a newer full copy. */
class JournalTest {
    @TempDir
    Path dir;

    private static JsonElement json(String text) {
        return JsonParser.parseString(text);
    }

    private Journal threeRecords() throws IOException {
        Journal journal = new Journal(dir.resolve("running.json.journal"));
        journal.append(Map.of("a:a", json("[{\"name\":\"1\"}]")), Set.of());
        journal.append(Map.of("b:b", json("[{\"name\":\"2\"}]")), Set.of());
        journal.append(Map.of("a:a", json("[{\"name\":\"3\"}]")), Set.of("b:b"));
        return journal;
    }

    @Test
    void theFirstAppendCreatesItsDirectory() throws IOException {
        Journal journal = new Journal(dir.resolve("not/yet/running.json.journal"));
        journal.append(Map.of("a:a", json("1")), Set.of());
        JsonObject content = new JsonObject();
        assertTrue(journal.replayInto(content));
        assertEquals(json("{\"a:a\":1}"), content);
    }

    @Test
    void recordsReplayInOrder() throws IOException {
        JsonObject content = new JsonObject();
        content.add("c:c", json("{\"x\":1}"));
        assertTrue(threeRecords().replayInto(content));
        assertEquals(json("{\"c:c\":{\"x\":1},\"a:a\":[{\"name\":\"3\"}]}"), content);
    }

    @Test
    void replayOverANewerFullCopyGivesTheSameState() throws IOException {
        // A crash after the full write and before the journal was emptied: the full copy already holds it all.
        JsonObject newer = json("{\"a:a\":[{\"name\":\"3\"}]}").getAsJsonObject();
        threeRecords().replayInto(newer);
        assertEquals(json("{\"a:a\":[{\"name\":\"3\"}]}"), newer);
    }

    @Test
    void aTornLastRecordIsIgnored() throws IOException {
        Journal journal = threeRecords();
        String text = Files.readString(journal.path());
        // The third record cut in the middle: its flush never finished, so it was never acknowledged.
        Files.writeString(journal.path(), text.substring(0, text.length() - 10));
        JsonObject content = new JsonObject();
        assertTrue(journal.replayInto(content));
        assertEquals(json("{\"a:a\":[{\"name\":\"1\"}],\"b:b\":[{\"name\":\"2\"}]}"), content);
        assertTrue(Files.exists(journal.path()), "a torn tail is normal: not set aside");
    }

    @Test
    void aDamagedRecordBeforeGoodOnesKeepsThoseBeforeAndSetsTheFileAside() throws IOException {
        Journal journal = threeRecords();
        String text = Files.readString(journal.path());
        // A flipped character in the second record: its checksum no longer matches.
        int second = text.indexOf('\n') + 20;
        String damaged = text.substring(0, second) + (text.charAt(second) == 'x' ? 'y' : 'x') + text.substring(second + 1);
        Files.writeString(journal.path(), damaged);
        JsonObject content = new JsonObject();
        assertTrue(journal.replayInto(content));
        assertEquals(json("{\"a:a\":[{\"name\":\"1\"}]}"), content);
        assertFalse(Files.exists(journal.path()));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith("running.json.journal.corrupt-")).count());
        }
    }

    @Test
    void resetEmptiesAndAMissingJournalIsNothing() throws IOException {
        Journal journal = threeRecords();
        journal.reset();
        assertEquals(0, journal.size());
        assertFalse(journal.replayInto(new JsonObject()));
        Files.delete(journal.path());
        assertFalse(journal.replayInto(new JsonObject()));
        journal.append(Map.of(), Set.of("a:a"));
        Files.write(journal.path(), "garbage".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        JsonObject content = json("{\"a:a\":1}").getAsJsonObject();
        assertTrue(journal.replayInto(content));
        assertEquals(new JsonObject(), content);
    }
}
