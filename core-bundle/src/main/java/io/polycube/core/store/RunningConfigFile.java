package io.polycube.core.store;

import static java.util.Objects.requireNonNull;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The saved running configuration on disk: {@code running.json} and a second full copy
 * {@code running.json.bak}, each replaced atomically (temporary file in the same directory, fsync,
 * rename, fsync of the directory). A crash leaves either copy whole, so one of them always holds the
 * last saved state. A file that does not parse is moved aside ({@code running.json.corrupt-<time>},
 * an ERROR is logged) and the other copy is used: {@link #load()} never fails and never deletes data.
 */
public final class RunningConfigFile {
    private static final Logger LOG = LoggerFactory.getLogger(RunningConfigFile.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    private final Path path;
    private final Path backup;

    public RunningConfigFile(Path path) {
        this.path = requireNonNull(path).toAbsolutePath();
        this.backup = this.path.resolveSibling(this.path.getFileName() + ".bak");
    }

    public Path path() {
        return path;
    }

    public Path backup() {
        return backup;
    }

    /** {@code running.json.journal}: the commits since the last full write ({@link Journal}). */
    public Path journal() {
        return path.resolveSibling(path.getFileName() + ".journal");
    }

    /**
     * The last saved configuration (an empty object if none). A copy that does not parse is moved
     * aside; if the main file was bad or missing and the backup is good, the main file is rewritten
     * from it.
     */
    public synchronized JsonObject load() {
        JsonObject main = readOrSetAside(path);
        if (main != null) {
            return main;
        }
        JsonObject saved = readOrSetAside(backup);
        if (saved == null) {
            LOG.info("No saved configuration at {}; starting empty", path);
            return new JsonObject();
        }
        LOG.warn("Starting from {} (the last good copy of the saved configuration)", backup);
        try {
            DurableFiles.write(path, bytes(saved));
        } catch (IOException e) {
            LOG.error("Could not restore {} from {}: {}", path, backup, e.toString());
        }
        return saved;
    }

    /** Replaces both copies with {@code content}, the main file first. */
    public synchronized void write(JsonObject content) throws IOException {
        byte[] bytes = bytes(content);
        Files.createDirectories(path.getParent());
        Path mainTmp = DurableFiles.writeTemporary(path, bytes);
        Path backupTmp = DurableFiles.writeTemporary(backup, bytes);
        // Each rename replaces one whole file by another; one directory fsync makes both durable.
        Files.move(mainTmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(backupTmp, backup, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.syncDirectory(path.getParent());
    }

    /** The content of a copy; null if it is missing or did not parse (then it was moved aside). */
    private static JsonObject readOrSetAside(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            setAside(file, "cannot be read: " + e);
            return null;
        }
        try {
            return parse(text);
        } catch (IOException | RuntimeException e) {
            setAside(file, "does not parse: " + e.getMessage());
            return null;
        }
    }

    /** Strict RFC 8259 JSON, one object whose members are named {@code module:node}. */
    static JsonObject parse(String text) throws IOException {
        JsonObject object = parseObject(text);
        for (String member : object.keySet()) {
            if (member.indexOf(':') <= 0) {
                throw new IOException("member '" + member + "' is not named module:node");
            }
        }
        return object;
    }

    /** Strict RFC 8259 JSON, one object. */
    static JsonObject parseObject(String text) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        JsonElement element = GSON.getAdapter(JsonElement.class).read(reader);
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new IOException("data after the end of the object");
        }
        if (element == null || !element.isJsonObject()) {
            throw new IOException("not a JSON object");
        }
        return element.getAsJsonObject();
    }

    static void setAside(Path file, String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + STAMP.format(Instant.now()));
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            LOG.error("Saved configuration {} {}; moved aside to {}", file, why, aside);
        } catch (IOException e) {
            LOG.error("Saved configuration {} {}; could not move it aside: {}", file, why, e.toString());
        }
    }

    private static byte[] bytes(JsonObject content) {
        return (GSON.toJson(content) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
