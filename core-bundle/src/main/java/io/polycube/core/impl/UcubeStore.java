package io.polycube.core.impl;

import io.polycube.core.store.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The µCube code reloaded at runtime (MASTER or SLAVE, as the ELF that was loaded), per instance, kept beside the
 * saved configuration ({@code <dir>/<instance>/<index>.o}): a take-over after a crash or a stop, or the instance's
 * re-creation from its saved configuration, runs that code again rather than the bundle's, so a reload is not
 * silently undone. It is kept for the version of the cube bundle it was loaded with ({@code code-version}): an
 * instance of another version starts from its own bundle's code, and the kept files go (logged).
 */
final class UcubeStore {
    private static final Logger LOG = LoggerFactory.getLogger(UcubeStore.class);
    private static final String VERSION = "code-version";

    /** Keeps nothing: reloads last as long as the instance's programs. */
    static final UcubeStore NONE = new UcubeStore(null);

    private final Path dir;

    /** {@code dir}: made when the first reload is kept; null keeps nothing. */
    UcubeStore(Path dir) {
        this.dir = dir;
    }

    private Path file(String instance, int index) {
        return dir.resolve(instance).resolve(index + ".o");
    }

    /** The code kept for µCube {@code index} of {@code instance}. */
    Optional<byte[]> read(String instance, int index) {
        if (dir == null || !Files.exists(file(instance, index))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(file(instance, index)));
        } catch (IOException e) {
            LOG.warn("Reading the kept µCube {} of {} failed: {}", index, instance, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Keeps {@code elf} as µCube {@code index} of {@code instance}, loaded with bundle {@code version}; written
     * beside and renamed over, so a crash leaves the old file or the new one. Returns what puts back the code kept
     * before for that µCube, for a reload that then fails to load: the save and its inverse in one place.
     */
    Runnable save(String instance, String version, int index, byte[] elf) throws IOException {
        if (dir == null) {
            return () -> { };
        }
        Path own = Files.createDirectories(dir.resolve(instance));
        Optional<String> kept = version(instance);
        boolean sameVersion = kept.equals(Optional.of(version));
        // Code kept for another version is not what runs now: it goes, and a failure does not bring it back.
        Optional<byte[]> before = sameVersion ? read(instance, index) : Optional.empty();
        if (!sameVersion) {
            if (kept.isPresent()) {
                clear(own);
            }
            DurableFiles.write(own.resolve(VERSION), version.getBytes(StandardCharsets.UTF_8));
        }
        DurableFiles.write(file(instance, index), elf);
        return () -> putBack(instance, index, before);
    }

    private void putBack(String instance, int index, Optional<byte[]> previous) {
        try {
            if (previous.isPresent()) {
                DurableFiles.write(file(instance, index), previous.get());
            } else {
                Files.deleteIfExists(file(instance, index));
            }
        } catch (IOException e) {
            LOG.warn("Restoring the kept µCube {} of {} failed: {}", index, instance, e.getMessage());
        }
    }

    private Optional<String> version(String instance) {
        Path file = dir.resolve(instance).resolve(VERSION);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The code kept for {@code instance}, by µCube index, if it was loaded with bundle {@code version}; kept code
     * of another version is removed.
     */
    SortedMap<Integer, byte[]> load(String instance, String version) {
        SortedMap<Integer, byte[]> code = new TreeMap<>();
        if (dir == null || !Files.isDirectory(dir.resolve(instance))) {
            return code;
        }
        Optional<String> kept = version(instance);
        if (kept.isEmpty() || !kept.get().equals(version)) {
            LOG.warn("{}: the µCube code reloaded for version {} of its cube is not run by version {}; removed",
                instance, kept.orElse("?"), version);
            delete(instance);
            return code;
        }
        try (Stream<Path> files = Files.list(dir.resolve(instance))) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.matches("\\d{1,3}\\.o")) {
                    code.put(Integer.parseInt(name.substring(0, name.length() - 2)), Files.readAllBytes(f));
                }
            }
        } catch (IOException e) {
            LOG.warn("Reading the µCube code kept for {} failed: {}; it starts from its bundle's code", instance,
                e.getMessage());
            code.clear();
        }
        return code;
    }

    /**
     * Its cube's new version took the instance over: its MASTER is that bundle's now; the SLAVEs run on (they
     * share the instance's prog arrays), kept for the new version.
     */
    void adoptedBy(String instance, String version) {
        if (dir == null || !Files.isDirectory(dir.resolve(instance))) {
            return;
        }
        try {
            Files.deleteIfExists(file(instance, 0));
            DurableFiles.write(dir.resolve(instance).resolve(VERSION), version.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("Updating the µCube code kept for {} failed: {}; removed", instance, e.getMessage());
            delete(instance);
        }
    }

    /** µCube {@code index} runs the bundle's code again (a kept file that no longer loads). */
    void forget(String instance, int index) {
        if (dir != null) {
            putBack(instance, index, Optional.empty());
        }
    }

    /** The instance is deleted: its code goes. */
    void delete(String instance) {
        if (dir == null || !Files.isDirectory(dir.resolve(instance))) {
            return;
        }
        try {
            clear(dir.resolve(instance));
            Files.deleteIfExists(dir.resolve(instance));
        } catch (IOException e) {
            LOG.warn("Removing the µCube code kept for {} failed: {}", instance, e.getMessage());
        }
    }

    /** Removes the code of every instance not in {@code saved} (a saved configuration removed or replaced). */
    void retainOnly(Collection<String> saved) {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> instances = Files.list(dir)) {
            for (Path own : instances.toList()) {
                String name = own.getFileName().toString();
                if (!saved.contains(name)) {
                    LOG.info("µCube code kept for {} removed: no saved configuration names it", name);
                    delete(name);
                }
            }
        } catch (IOException e) {
            LOG.warn("Listing {} failed: {}", dir, e.getMessage());
        }
    }

    private static void clear(Path own) throws IOException {
        try (Stream<Path> files = Files.list(own)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
