// SPDX-License-Identifier: Apache-2.0
// This file contains the append-only journal of saved changes between two full writes of running.json.
package io.polycube.core.store;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code running.json.journal}: one line per group commit, {@code <crc32 hex> {"set":{member: value},
 * "removed":[member]}}, appended and fdatasynced (one flush for every commit in the group). A record is
 * absolute (the new value of each member it names), so replaying the whole journal over any full copy
 * written since it started gives the same result: a crash between a full write and {@link #reset} loses
 * nothing. A torn last line (a flush that never finished, so never acknowledged) is ignored; a bad line
 * before good ones means the file was damaged: the records before it are used, the file is set aside and
 * reported.
 */
final class Journal {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final Path path;

    Journal(Path path) {
        this.path = requireNonNull(path);
    }

    Path path() {
        return path;
    }

    /** Bytes in the journal (0 if there is none). */
    long size() {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Appends one record and makes it durable; its members are {@code set} (new values) and {@code removed}. */
    void append(Map<String, JsonElement> set, Set<String> removed) throws IOException {
        JsonObject record = new JsonObject();
        JsonObject values = new JsonObject();
        set.forEach(values::add);
        record.add("set", values);
        JsonArray gone = new JsonArray();
        removed.forEach(gone::add);
        record.add("removed", gone);
        String json = record.toString();
        byte[] line = (crc(json) + " " + json + "\n").getBytes(StandardCharsets.UTF_8);
        boolean created = !Files.exists(path);
        if (created) {
            Files.createDirectories(path.toAbsolutePath().getParent());
        }
        // fdatasync: the data and the new length, which is what reading it back needs.
        DurableFiles.writeSynced(path, line, false, StandardOpenOption.APPEND);
        if (created) {
            DurableFiles.syncDirectory(path.toAbsolutePath().getParent());
        }
    }

    /** Empties the journal (after a full write that holds everything in it). */
    void reset() throws IOException {
        if (Files.exists(path)) {
            truncate(0);
        }
    }

    /** Cuts the journal back to {@code size} bytes, durably (a failed append may have left part of a record). */
    void truncate(long size) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(size);
            channel.force(true);
        }
    }

    /**
     * Applies the journal's records to {@code content} in order.
     *
     * @return whether the journal held anything (then the caller writes a full copy and resets it)
     */
    boolean replayInto(JsonObject content) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            RunningConfigFile.setAside(path, "cannot be read: " + e);
            return false;
        }
        if (text.isEmpty()) {
            return false;
        }
        int start = 0;
        int records = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            JsonObject record = end < 0 ? null : parse(text.substring(start, end));
            if (record == null) {
                boolean last = end < 0 || end == text.length() - 1;
                if (last) {
                    LOG.warn("{}: the last record is incomplete (a save interrupted before it was acknowledged);"
                        + " ignored", path);
                } else {
                    RunningConfigFile.setAside(path, "is damaged after " + records + " good records (those are used)");
                }
                break;
            }
            apply(record, content);
            records++;
            start = end + 1;
        }
        return true;
    }

    private static JsonObject parse(String line) {
        int space = line.indexOf(' ');
        if (space < 0 || !line.substring(0, space).equals(crc(line.substring(space + 1)))) {
            return null;
        }
        try {
            JsonObject record = RunningConfigFile.parseObject(line.substring(space + 1));
            return record.get("set") instanceof JsonObject && record.get("removed") instanceof JsonArray ? record : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void apply(JsonObject record, JsonObject content) {
        record.getAsJsonObject("set").entrySet().forEach(member -> content.add(member.getKey(), member.getValue()));
        record.getAsJsonArray("removed").forEach(member -> content.remove(member.getAsString()));
    }

    private static String crc(String json) {
        CRC32 crc = new CRC32();
        crc.update(json.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }
}
