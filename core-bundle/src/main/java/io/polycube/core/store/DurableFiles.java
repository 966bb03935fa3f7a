package io.polycube.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files replaced whole or not at all, also across a power loss: written to a temporary file in the same
 * directory, fsynced, renamed over the target, then the directory fsynced.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** Replaces {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path tmp = writeTemporary(target, bytes);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.getParent());
    }

    /** {@code <target>.tmp} with {@code bytes}, on disk (fsynced); renaming it over {@code target} is the caller's. */
    static Path writeTemporary(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        writeSynced(tmp, bytes, true, StandardOpenOption.TRUNCATE_EXISTING);
        return tmp;
    }

    /**
     * Writes all of {@code bytes} to {@code file} (created if missing; {@code mode}: truncate or append) and forces
     * them to disk, with the file's metadata too if {@code metadata} (else fdatasync: data and length).
     */
    static void writeSynced(Path file, byte[] bytes, boolean metadata, StandardOpenOption mode) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(metadata);
        }
    }

    /** A rename is durable only once the directory entry is on disk. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
