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
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the running configuration on disk and brings it back at start.
 * <p>The saved file is the committed datastore plus what is not (yet) in it: the data of modules whose
 * cube type is not installed (parked, kept as it is) and saved entries that were not applied yet or
 * were refused on replay (kept, retried). It is written before every commit (as the datastore's
 * {@link CommitListener}, one commit at a time, so the file follows commit order) and a failed write
 * refuses the commit. {@link #replay} re-applies saved entries through {@link Datastore#write} (the
 * normal path: validation, data plane), one top-level list entry per write, repeating while any
 * succeeds, so that entries that need others (leafrefs across modules) go in once those are there.
 */
public final class Persistence implements CommitListener {
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);
    /** The pseudo entry name of a top-level member that is not a list. */
    private static final String WHOLE = "";

    private final RunningConfigFile file;
    /** Guards the fields below; held for a disk write, never while calling the datastore. */
    private final Object lock = new Object();
    /** What the file holds (or would hold, during a replay). */
    private JsonObject saved;
    /** What is on disk, to skip writes that change nothing. */
    private JsonObject onDisk;
    /** Members whose saved entries replay has taken up, with the entries not in the datastore yet. */
    private final Map<String, Set<String>> pending = new HashMap<>();
    /** Members read from disk or parked, that replay has not taken up: all their saved entries are kept. */
    private final Set<String> untaken = new HashSet<>();
    /** The thread replaying: its commits are saved once at the end, not one by one. */
    private volatile Thread replaying;
    private final Object replayLock = new Object();

    public Persistence(RunningConfigFile file) {
        this.file = requireNonNull(file);
        this.saved = file.load();
        this.onDisk = saved.deepCopy();
        this.untaken.addAll(saved.keySet());
    }

    public RunningConfigFile file() {
        return file;
    }

    @Override
    public void committing(EffectiveModelContext context, NormalizedNode root) throws IOException {
        JsonObject now = ConfigJson.toJson(context, root);
        synchronized (lock) {
            JsonObject next = compose(context, now);
            if (Thread.currentThread() != replaying) {
                writeIfChanged(next);
            }
            saved = next;
            pending.forEach((member, names) -> names.removeAll(names(now.get(member))));
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
            synchronized (lock) {
                try {
                    writeIfChanged(saved);
                } catch (IOException e) {
                    LOG.error("Could not save the configuration to {}: {}", file.path(), e.toString());
                }
            }
            return refused;
        }
    }

    private record Saved(String member, String name, JsonElement value) {
        String key() {
            return name.isEmpty() ? member : member + "/" + name;
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

    /** The committed configuration plus the saved entries that are not (yet) in it. */
    private JsonObject compose(EffectiveModelContext context, JsonObject now) {
        JsonObject next = new JsonObject();
        Set<String> members = new LinkedHashSet<>(saved.keySet());
        members.addAll(now.keySet());
        for (String member : members) {
            JsonElement current = now.get(member);
            JsonElement old = saved.get(member);
            // Module absent, or saved data not taken up by a replay yet: everything saved is kept.
            Set<String> keep = !known(context, member) || untaken.contains(member) ? null
                : pending.getOrDefault(member, Set.of());
            JsonElement merged = merge(current, old, keep);
            if (merged != null) {
                next.add(member, merged);
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

    private void writeIfChanged(JsonObject content) throws IOException {
        if (!content.equals(onDisk)) {
            file.write(content);
            onDisk = content;
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
