package io.polycube.core.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store of reloaded µCube code keeps, for which version, and when it lets go. */
class UcubeStoreTest {
    private static final byte[] ONE = {1};
    private static final byte[] TWO = {2, 2};

    @TempDir
    Path dir;

    @Test
    void codeIsKeptPerIndexForTheVersionItWasLoadedWith() throws Exception {
        UcubeStore store = new UcubeStore(dir);
        store.save("f1", "1.0.0", 0, ONE);
        store.save("f1", "1.0.0", 65, TWO);
        var kept = store.load("f1", "1.0.0");
        assertEquals(List.of(0, 65), List.copyOf(kept.keySet()));
        assertArrayEquals(TWO, kept.get(65));
        assertTrue(store.load("f1", "2.0.0").isEmpty(), "another version runs its own bundle's code");
        assertFalse(Files.exists(dir.resolve("f1")), "and the other version's code is gone");
    }

    @Test
    void aNewVersionTakingOverKeepsTheSlavesNotTheMaster() throws Exception {
        UcubeStore store = new UcubeStore(dir);
        store.save("f2", "1.0.0", 0, ONE);
        store.save("f2", "1.0.0", 3, TWO);
        store.adoptedBy("f2", "1.1.0");
        assertEquals(List.of(3), List.copyOf(store.load("f2", "1.1.0").keySet()));
    }

    @Test
    void aFailedReloadPutsBackWhatWasKept() throws Exception {
        UcubeStore store = new UcubeStore(dir);
        store.save("f3", "1", 1, ONE);
        store.save("f3", "1", 1, TWO).run();
        assertArrayEquals(ONE, store.read("f3", 1).orElseThrow());
        store.save("f3", "1", 2, TWO).run();
        assertTrue(store.read("f3", 2).isEmpty(), "nothing was kept for µCube 2 before");
        assertArrayEquals(ONE, store.read("f3", 1).orElseThrow(), "the other µCube untouched");
    }

    @Test
    void aFailedReloadDoesNotBringBackCodeOfAnotherVersion() throws Exception {
        UcubeStore store = new UcubeStore(dir);
        store.save("f4", "1", 1, ONE);
        store.save("f4", "2", 1, TWO).run();
        assertTrue(store.read("f4", 1).isEmpty(), "version 1's code would run under version 2's label");
        assertTrue(store.load("f4", "2").isEmpty());
    }

    @Test
    void onlySavedInstancesKeepTheirCode() throws Exception {
        UcubeStore store = new UcubeStore(dir);
        store.save("kept", "1", 1, ONE);
        store.save("gone", "1", 1, ONE);
        store.retainOnly(Set.of("kept", "other"));
        assertTrue(store.read("kept", 1).isPresent());
        assertFalse(Files.exists(dir.resolve("gone")));
        store.delete("kept");
        assertFalse(Files.exists(dir.resolve("kept")));
    }

    @Test
    void withoutADirectoryNothingIsKept() throws Exception {
        UcubeStore.NONE.save("x", "1", 0, ONE);
        assertTrue(UcubeStore.NONE.load("x", "1").isEmpty());
    }
}
