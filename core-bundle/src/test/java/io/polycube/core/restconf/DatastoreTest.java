package io.polycube.core.restconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;

class DatastoreTest {
    @Test
    void commitsAreSerialized() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        List<InstanceChange> seen = new ArrayList<>();
        Datastore store = new Datastore(TestModels.context(), changes -> {
            if (inside.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.addAll(changes);
            inside.decrementAndGet();
        });
        RestconfService service = new RestconfService(store, StateSource.NONE);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<RestconfResponse>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String body = "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd" + i + "\"}]}";
            answers.add(pool.submit(() -> service.handle("POST", "/data", java.util.Map.of(), Fixture.JSON, body)));
        }
        for (Future<RestconfResponse> answer : answers) {
            assertEquals(201, answer.get().status());
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertFalse(overlapped.get());
        assertEquals(16, seen.size());
        assertTrue(store.read(YangInstanceIdentifier.of()).isPresent());
    }

    @Test
    void anEditThatChangesNothingSucceedsWithoutApplyingSavingOrTouchingTheTime() throws Exception {
        List<List<InstanceChange>> applied = new ArrayList<>();
        Datastore store = new Datastore(TestModels.context(), applied::add);
        RestconfService service = new RestconfService(store, StateSource.NONE);
        assertEquals(201, service.handle("POST", "/data", java.util.Map.of(), Fixture.JSON,
            "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\"}]}").status());
        List<Object> saved = new ArrayList<>();
        store.setCommitListener((context, root, changed) -> {
            saved.add(root);
            return CommitListener.Durable.NOW;
        });
        java.time.Instant modified = store.lastModified();

        store.write(mod -> { });

        assertEquals(1, applied.size());
        assertTrue(saved.isEmpty());
        assertEquals(modified, store.lastModified());
    }
}
