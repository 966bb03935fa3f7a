package io.polycube.core.store;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.polycube.core.restconf.CommitListener;
import io.polycube.core.restconf.ConfigJson;
import io.polycube.core.restconf.Datastore;
import io.polycube.core.restconf.RestconfException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the running configuration on disk and brings it back at start.
 * <p>The saved file is the committed datastore plus what is not (yet) in it: the data of modules whose
 * cube type is not installed (parked, kept as it is) and saved entries that were not applied yet or
 * were refused on replay (kept, retried). {@link #replay} re-applies saved entries through
 * {@link Datastore#write} (the normal path: validation, data plane), one top-level list entry per write,
 * repeating while any succeeds, so that entries that need others (leafrefs across modules) go in once
 * those are there.
 * <p>Group commit: as the datastore's {@link CommitListener}, each commit only notes its root and the
 * top-level nodes it changed and gets a ticket; one flusher thread serialises those members of the latest
 * root into the saved content and writes what changed since its last flush as one {@link Journal} record
 * (one fdatasync for every commit in the group), then releases the tickets; the datastore answers a write only then. When the journal passes {@code compactBytes},
 * the flusher writes the whole content to {@link RunningConfigFile} instead and empties the journal. A
 * failed flush puts the datastore and the data plane back to the last flushed state and fails every
 * ticket since (500, nothing changed); the next flush is a full write.
 */
public final class Persistence implements CommitListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);
    /** The pseudo entry name of a top-level member that is not a list. */
    private static final String WHOLE = "";

    /** Journal size from which the next flush is a full write instead. */
    static final long COMPACT_BYTES = 1 << 20;

    private final RunningConfigFile file;
    private final Journal journal;
    private final long compactBytes;
    /** Guards the fields below; never held for a disk write. Taken inside the datastore's lock, never around it. */
    private final Object lock = new Object();
    /** What the file and journal hold once flushed (or would hold, during a replay). */
    private JsonObject saved;
    /** Commits taken ({@link #committing}), and the last of them the flusher has taken up. */
    private long seq;
    private long taken;
    private long durableSeq;
    /** Members changed since the flusher last took up. */
    private final Set<String> dirty = new HashSet<>();
    /** Writers waiting for their commit to be on disk, in commit order. */
    private final java.util.ArrayDeque<Ticket> waiting = new java.util.ArrayDeque<>();
    private NormalizedNode latestRoot;
    private EffectiveModelContext latestContext;
    /** Top-level nodes committed since the flusher last took up. */
    private final Set<QName> changedNodes = new HashSet<>();
    /** The last flushed state: put back if a flush fails. */
    private NormalizedNode durableRoot;
    private JsonObject durableSaved;
    private Map<String, Set<String>> durablePending = Map.of();
    private boolean fullWriteNext;
    private boolean closed;
    private Datastore datastore;
    private final Thread flusher;
    /** Members whose saved entries replay has taken up, with the entries not in the datastore yet. */
    private final Map<String, Set<String>> pending = new HashMap<>();
    /** Members read from disk or parked, that replay has not taken up: all their saved entries are kept. */
    private final Set<String> untaken = new HashSet<>();
    /** The thread replaying: its commits are saved once at the end, not one by one. */
    private volatile Thread replaying;
    private final Object replayLock = new Object();

    private record Ticket(long seq, CompletableFuture<Void> done) {
    }

    public Persistence(RunningConfigFile file) {
        this(file, COMPACT_BYTES);
    }

    Persistence(RunningConfigFile file, long compactBytes) {
        this.file = requireNonNull(file);
        this.journal = new Journal(file.journal());
        this.compactBytes = compactBytes;
        this.saved = file.load();
        if (journal.replayInto(saved)) {
            try {
                file.write(saved);
                journal.reset();
            } catch (IOException e) {
                LOG.error("Could not write {} from its journal: {}", file.path(), e.toString());
                fullWriteNext = true;
            }
        }
        this.durableSaved = saved;
        this.untaken.addAll(saved.keySet());
        this.flusher = new Thread(this::flushLoop, "pcn-persistence-flusher");
        flusher.setDaemon(true);
        flusher.start();
    }

    public RunningConfigFile file() {
        return file;
    }

    @Override
    public void bound(Datastore store) {
        synchronized (lock) {
            datastore = store;
            durableRoot = store.read(org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.of()).orElse(null);
        }
    }

    @Override
    public Durable committing(EffectiveModelContext context, NormalizedNode root, Set<QName> changed)
            throws IOException {
        // Inside the datastore's lock: only take note. The flusher serialises (outside every lock, once per group).
        synchronized (lock) {
            if (closed) {
                throw new IOException("polycubed is stopping");
            }
            latestRoot = root;
            latestContext = context;
            changedNodes.addAll(changed);
            long mine = ++seq;
            lock.notifyAll();
            if (Thread.currentThread() == replaying) {
                // Replayed entries come from the file: the replay waits once, at its end.
                return Durable.NOW;
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            waiting.add(new Ticket(mine, done));
            return () -> await(done);
        }
    }

    /**
     * Folds the members {@code nodes} of {@code root} (serialised by the caller into {@code now}) into the
     * saved content and notes which members changed. Under {@link #lock}.
     */
    private void fold(EffectiveModelContext context, JsonObject now, Set<QName> nodes) {
        Set<String> members = new LinkedHashSet<>();
        nodes.forEach(node -> ConfigJson.memberName(context, node).ifPresent(members::add));
        JsonObject next = compose(context, now, members);
        for (String member : members) {
            if (!java.util.Objects.equals(next.get(member), saved.get(member))) {
                dirty.add(member);
            }
        }
        saved = next;
        pending.forEach((member, names) -> names.removeAll(names(now.get(member))));
    }

    private static void await(CompletableFuture<Void> done) throws IOException {
        try {
            done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** The flusher: takes up what changed, writes it (one record, or everything), releases the tickets. */
    private void flushLoop() {
        while (true) {
            long upTo;
            JsonObject content;
            NormalizedNode root;
            EffectiveModelContext context;
            Set<QName> nodes;
            Map<String, Set<String>> pendingNow;
            Map<String, JsonElement> set = new LinkedHashMap<>();
            Set<String> removed = new LinkedHashSet<>();
            boolean full;
            synchronized (lock) {
                while (seq == taken && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (seq == taken) {
                    return;
                }
                upTo = seq;
                taken = seq;
                root = latestRoot;
                context = latestContext;
                nodes = Set.copyOf(changedNodes);
                changedNodes.clear();
            }
            long before = journal.size();
            try {
                // Only the members the group changed are serialised: the cost follows the change, not the datastore.
                JsonObject now = nodes.isEmpty() ? new JsonObject() : ConfigJson.toJson(context, root, nodes);
                synchronized (lock) {
                    if (!nodes.isEmpty()) {
                        fold(context, now, nodes);
                    }
                    content = saved;
                    pendingNow = copy(pending);
                    for (String member : dirty) {
                        JsonElement value = saved.get(member);
                        if (value == null) {
                            removed.add(member);
                        } else {
                            set.put(member, value);
                        }
                    }
                    dirty.clear();
                    full = fullWriteNext;
                }
                if (full || before >= compactBytes) {
                    file.write(content);
                    journal.reset();
                } else if (!set.isEmpty() || !removed.isEmpty()) {
                    journal.append(set, removed);
                }
                synchronized (lock) {
                    durableRoot = root;
                    durableSaved = content;
                    durablePending = pendingNow;
                    durableSeq = upTo;
                    if (full) {
                        fullWriteNext = false;
                    }
                    release(upTo, null);
                }
            } catch (IOException | RuntimeException e) {
                failed(e instanceof IOException io ? io : new IOException(e), before);
            }
        }
    }

    /** Completes the tickets up to {@code upTo} (all of them, failed, if {@code error} is given). */
    private void release(long upTo, IOException error) {
        while (!waiting.isEmpty() && (error != null || waiting.peek().seq() <= upTo)) {
            Ticket ticket = waiting.poll();
            if (error == null) {
                ticket.done().complete(null);
            } else {
                ticket.done().completeExceptionally(error);
            }
        }
    }

    /** A flush failed: back to the last flushed state everywhere; every commit since is refused. */
    private void failed(IOException error, long journalBefore) {
        LOG.error("Could not save the configuration to {}: {}; the changes since the last save are undone",
            file.path(), error.toString());
        try {
            if (journal.size() > journalBefore) {
                journal.truncate(journalBefore);
            }
        } catch (IOException e) {
            LOG.debug("could not cut the journal back after a failed append", e);
        }
        Datastore store;
        NormalizedNode root;
        synchronized (lock) {
            store = datastore;
            root = durableRoot;
        }
        Runnable undo = () -> {
            synchronized (lock) {
                saved = durableSaved;
                pending.clear();
                pending.putAll(copy(durablePending));
                dirty.clear();
                changedNodes.clear();
                taken = seq;
                durableSeq = seq;
                fullWriteNext = true;
                release(seq, error);
            }
        };
        if (store != null && root != null) {
            store.revertTo(root, undo);
        } else {
            undo.run();
        }
    }

    private static Map<String, Set<String>> copy(Map<String, Set<String>> pending) {
        Map<String, Set<String>> copy = new HashMap<>();
        pending.forEach((member, names) -> copy.put(member, new LinkedHashSet<>(names)));
        return copy;
    }

    /** Waits until everything committed so far is flushed (a failure is logged). */
    private void sync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            if (closed || durableSeq == seq) {
                return;
            }
            waiting.add(new Ticket(seq, done));
        }
        try {
            await(done);
        } catch (IOException e) {
            LOG.error("Could not save the configuration to {}: {}", file.path(), e.toString());
        }
    }

    /** Flushes what is pending, stops the flusher and leaves everything in the main file (journal empty). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            flusher.join(java.time.Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            if (journal.size() > 0 || fullWriteNext) {
                try {
                    file.write(saved);
                    journal.reset();
                } catch (IOException e) {
                    LOG.error("Could not save the configuration to {} at stop: {}", file.path(), e.toString());
                }
            }
        }
    }

    /**
     * A cube type's module came or went: its saved entries are taken up again by the next replay
     * (entries already in the datastore are left as they are).
     */
    public void moduleChanged(String module) {
        synchronized (lock) {
            pending.keySet().removeIf(member -> ConfigJson.moduleOf(member).equals(module));
            saved.keySet().stream().filter(member -> ConfigJson.moduleOf(member).equals(module)).forEach(untaken::add);
        }
    }

    /**
     * Applies the saved entries of every module the datastore knows that are not in it yet; logs a
     * WARN for each entry that cannot be applied (it stays saved and is retried by the next replay).
     *
     * @return the entries still not applied, as {@code member/name} with the reason
     */
    public Map<String, String> replay(Datastore datastore) {
        synchronized (replayLock) {
            Map<String, String> refused = new LinkedHashMap<>();
            // Everything committed so far is folded into the saved content before replay reads it.
            sync();
            replaying = Thread.currentThread();
            try {
                EffectiveModelContext context = datastore.context();
                List<Saved> todo = takeUp(context);
                boolean progress = true;
                while (progress && !todo.isEmpty()) {
                    progress = false;
                    for (Saved entry : List.copyOf(todo)) {
                        try {
                            datastore.write(ConfigJson.restore(context, entry.member(), entry.value()));
                            synchronized (lock) {
                                // In the datastore now (also when it was there already: the restore was a no-op).
                                pending.getOrDefault(entry.member(), new HashSet<>()).remove(entry.name());
                            }
                            todo.remove(entry);
                            refused.remove(entry.key());
                            progress = true;
                        } catch (RestconfException | RuntimeException e) {
                            refused.put(entry.key(), e.getMessage());
                        }
                    }
                }
                refused.keySet().retainAll(todo.stream().map(Saved::key).toList());
                refused.forEach((key, why) -> LOG.warn("Saved configuration {} not applied: {}; kept in {} and"
                    + " retried when a cube type registers", key, why, file.path()));
            } finally {
                replaying = null;
            }
            sync();
            return refused;
        }
    }

    /** How {@link #replay} names a saved entry: {@code member/name} for a list entry, {@code member} otherwise. */
    public static String entryKey(String member, String name) {
        return name.isEmpty() ? member : member + "/" + name;
    }

    private record Saved(String member, String name, JsonElement value) {
        String key() {
            return entryKey(member, name);
        }
    }

    /** Marks the saved members of known modules as taken up and lists their entries not in the datastore. */
    private List<Saved> takeUp(EffectiveModelContext context) {
        synchronized (lock) {
            for (String member : saved.keySet()) {
                if (untaken.contains(member) && known(context, member)) {
                    // All of them: restoring an entry the datastore has already is a no-op.
                    pending.put(member, new LinkedHashSet<>(names(saved.get(member))));
                    untaken.remove(member);
                }
            }
            List<Saved> todo = new ArrayList<>();
            pending.forEach((member, names) -> {
                for (String name : names) {
                    todo.add(new Saved(member, name, entry(saved.get(member), name)));
                }
            });
            return todo;
        }
    }

    /**
     * The saved content with {@code members} (those a commit changed; {@code now} holds those of them that
     * exist) set to the committed value plus their saved entries that are not (yet) in the datastore.
     */
    private JsonObject compose(EffectiveModelContext context, JsonObject now, Set<String> members) {
        JsonObject next = new JsonObject();
        saved.entrySet().forEach(member -> next.add(member.getKey(), member.getValue()));
        for (String member : members) {
            JsonElement current = now.get(member);
            JsonElement old = saved.get(member);
            // Module absent, or saved data not taken up by a replay yet: everything saved is kept.
            Set<String> keep = !known(context, member) || untaken.contains(member) ? null
                : pending.getOrDefault(member, Set.of());
            JsonElement merged = merge(current, old, keep);
            if (merged != null) {
                next.add(member, merged);
            } else {
                next.remove(member);
            }
        }
        return next;
    }

    /** {@code keep} null: every old entry not in {@code current}; otherwise only those named. */
    private static JsonElement merge(JsonElement current, JsonElement old, Set<String> keep) {
        if (old == null) {
            return current;
        }
        if (!(old instanceof JsonArray oldList) || (current != null && !(current instanceof JsonArray))) {
            return current != null ? current : keep == null || keep.contains(WHOLE) ? old : null;
        }
        JsonArray result = current == null ? new JsonArray() : current.getAsJsonArray().deepCopy();
        Set<String> present = names(current);
        for (JsonElement entry : oldList) {
            String name = name(entry);
            if (!present.contains(name) && (keep == null || keep.contains(name))) {
                result.add(entry);
            }
        }
        return result.isEmpty() ? null : result;
    }

    private static boolean known(EffectiveModelContext context, String member) {
        return !context.findModules(ConfigJson.moduleOf(member)).isEmpty();
    }

    private static Set<String> names(JsonElement member) {
        Set<String> names = new LinkedHashSet<>();
        if (member instanceof JsonArray list) {
            list.forEach(entry -> names.add(name(entry)));
        } else if (member != null) {
            names.add(WHOLE);
        }
        return names;
    }

    /** The key of a cube instance ({@code name}); the whole entry's text for a list keyed otherwise. */
    private static String name(JsonElement entry) {
        if (entry instanceof JsonObject object && object.get("name") instanceof com.google.gson.JsonPrimitive p) {
            return p.getAsString();
        }
        return entry.toString();
    }

    private static JsonElement entry(JsonElement member, String name) {
        if (member instanceof JsonArray list) {
            for (JsonElement entry : list) {
                if (name(entry).equals(name)) {
                    return entry;
                }
            }
        }
        return member;
    }

    /** The names of every saved list entry (cube instances), of every module, taken up or not. */
    public Set<String> savedNames() {
        synchronized (lock) {
            Set<String> all = new HashSet<>();
            saved.entrySet().forEach(member -> all.addAll(names(member.getValue())));
            all.remove(WHOLE);
            return all;
        }
    }

    /** Names of the members that are saved but whose module is not in {@code context} (parked). */
    public Set<String> parked(EffectiveModelContext context) {
        synchronized (lock) {
            Set<String> parked = new HashSet<>();
            saved.keySet().stream().filter(m -> !known(context, m)).forEach(parked::add);
            return parked;
        }
    }
}
