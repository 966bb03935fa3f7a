package io.polycube.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningConfigFileTest {
    private static final JsonObject ONE = JsonParser.parseString(
        "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\",\"type\":\"TC\"}]}").getAsJsonObject();
    private static final JsonObject TWO = JsonParser.parseString(
        "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\"},{\"name\":\"fwd2\"}],\"pcn-x:x\":[{\"name\":\"k\"}]}")
        .getAsJsonObject();

    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writeReplacesBothCopiesAndLeavesNoTemporaryFile() throws IOException {
        RunningConfigFile file = new RunningConfigFile(dir.resolve("sub/running.json"));
        file.write(ONE);
        file.write(TWO);
        assertEquals(TWO, JsonParser.parseString(Files.readString(file.path())));
        assertEquals(Files.readString(file.path()), Files.readString(file.backup()));
        try (Stream<Path> list = Files.list(file.path().getParent())) {
            assertEquals(List.of("running.json", "running.json.bak"),
                list.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(TWO, new RunningConfigFile(file.path()).load());
    }

    @Test
    void missingFileIsAnEmptyConfiguration() {
        assertEquals(new JsonObject(), new RunningConfigFile(dir.resolve("running.json")).load());
    }

    @Test
    void truncatedFileIsSetAsideAndTheBackupUsed() throws IOException {
        RunningConfigFile file = new RunningConfigFile(dir.resolve("running.json"));
        file.write(TWO);
        String full = Files.readString(file.path());
        Files.writeString(file.path(), full.substring(0, full.length() / 2));

        assertEquals(TWO, new RunningConfigFile(file.path()).load());
        // The main file is whole again; the bad one is kept aside, byte for byte.
        assertEquals(TWO, JsonParser.parseString(Files.readString(file.path())));
        List<String> aside = files().stream().filter(n -> n.startsWith("running.json.corrupt-")).toList();
        assertEquals(1, aside.size(), files()::toString);
        assertEquals(full.substring(0, full.length() / 2), Files.readString(dir.resolve(aside.get(0))));
    }

    @Test
    void emptyOrForeignContentIsCorrupt() throws IOException {
        for (String bad : List.of("", "[]", "{\"plain\":1}", "{\"a:b\":1} trailing", "{'a:b':1}", "{\"a:b\":1,}")) {
            assertThrows(IOException.class, () -> RunningConfigFile.parse(bad), bad);
        }
        Path main = dir.resolve("running.json");
        Files.writeString(main, "");
        assertEquals(new JsonObject(), new RunningConfigFile(main).load());
        assertFalse(Files.exists(main));
        assertTrue(files().get(0).startsWith("running.json.corrupt-"), files()::toString);
    }

    @Test
    void bothCopiesCorruptStartsEmptyAndKeepsBoth() throws IOException {
        RunningConfigFile file = new RunningConfigFile(dir.resolve("running.json"));
        file.write(ONE);
        Files.write(file.path(), new byte[] {'{', '"'});
        Files.write(file.backup(), "{\"pcn-simplefwd:simplefwd\":[".getBytes(StandardCharsets.UTF_8));
        assertEquals(new JsonObject(), new RunningConfigFile(file.path()).load());
        assertEquals(2, files().stream().filter(n -> n.contains(".corrupt-")).count(), files()::toString);
    }

    @Test
    void missingMainFileIsRestoredFromTheBackup() throws IOException {
        // A crash between the two renames of a write cannot lose both; nor can a deleted main file.
        RunningConfigFile file = new RunningConfigFile(dir.resolve("running.json"));
        file.write(ONE);
        Files.delete(file.path());
        assertEquals(ONE, new RunningConfigFile(file.path()).load());
        assertEquals(ONE, JsonParser.parseString(Files.readString(file.path())));
    }
}
