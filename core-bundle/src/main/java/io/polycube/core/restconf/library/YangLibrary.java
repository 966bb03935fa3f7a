package io.polycube.core.restconf.library;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.polycube.core.restconf.ComputedData;
import io.polycube.core.restconf.ComputedResources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.FeatureDefinition;
import org.opendaylight.yangtools.yang.model.api.Module;
import org.opendaylight.yangtools.yang.model.api.Submodule;

/**
 * RFC 8525 {@code ietf-yang-library:yang-library} (one module set "complete", one schema, the running
 * and operational datastores) and the RFC 7895 {@code modules-state} kept in the same module for older
 * clients, computed from the current schema: every module with its revision, namespace, features,
 * submodules and the URL of its text ({@link ComputedResources#SCHEMA_PATH}). A module that only offers
 * typedefs, groupings or extensions is import-only. Cube modules come and go with the schema.
 */
public final class YangLibrary implements ComputedData {
    public static final String MODULE = "ietf-yang-library";
    private static final String SET = "complete";

    private record Cached(EffectiveModelContext context, JsonObject json) {
    }

    private volatile Cached cached;

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public JsonObject read(EffectiveModelContext context) {
        Cached current = cached;
        if (current == null || current.context() != context) {
            current = new Cached(context, build(context));
            cached = current;
        }
        return current.json().deepCopy();
    }

    private static JsonObject build(EffectiveModelContext context) {
        List<? extends Module> modules = context.getModules().stream()
            .sorted(Comparator.comparing(Module::getName).thenComparing(m -> revision(m))).toList();
        String contentId = contentId(modules);

        JsonArray implemented = new JsonArray();
        JsonArray importOnly = new JsonArray();
        JsonArray legacy = new JsonArray();
        for (Module module : modules) {
            boolean implement = implemented(module);
            JsonObject entry = new JsonObject();
            entry.addProperty("name", module.getName());
            if (!revision(module).isEmpty() || !implement) {
                entry.addProperty("revision", revision(module));
            }
            entry.addProperty("namespace", module.getNamespace().toString());
            entry.add("location", strings(location(module.getName(), revision(module))));
            if (!module.getSubmodules().isEmpty()) {
                entry.add("submodule", submodules(module, false));
            }
            if (implement && !module.getFeatures().isEmpty()) {
                entry.add("feature", strings(module.getFeatures().stream()
                    .map(f -> f.getQName().getLocalName()).sorted().toArray(String[]::new)));
            }
            (implement ? implemented : importOnly).add(entry);
            legacy.add(legacyEntry(module, implement));
        }
        JsonObject set = new JsonObject();
        set.addProperty("name", SET);
        set.add("module", implemented);
        set.add("import-only-module", importOnly);
        JsonObject schema = new JsonObject();
        schema.addProperty("name", SET);
        schema.add("module-set", strings(SET));
        JsonArray datastores = new JsonArray();
        for (String ds : List.of("running", "operational")) {
            JsonObject d = new JsonObject();
            d.addProperty("name", "ietf-datastores:" + ds);
            d.addProperty("schema", SET);
            datastores.add(d);
        }
        JsonObject library = new JsonObject();
        library.add("module-set", one(set));
        library.add("schema", one(schema));
        library.add("datastore", datastores);
        library.addProperty("content-id", contentId);

        JsonObject state = new JsonObject();
        state.addProperty("module-set-id", contentId);
        state.add("module", legacy);

        JsonObject top = new JsonObject();
        top.add(MODULE + ":yang-library", library);
        top.add(MODULE + ":modules-state", state);
        return top;
    }

    /** RFC 7895 {@code modules-state/module}: key name + revision ("" when none), schema URL, conformance. */
    private static JsonObject legacyEntry(Module module, boolean implement) {
        JsonObject entry = new JsonObject();
        entry.addProperty("name", module.getName());
        entry.addProperty("revision", revision(module));
        entry.addProperty("schema", location(module.getName(), revision(module)));
        entry.addProperty("namespace", module.getNamespace().toString());
        if (!module.getFeatures().isEmpty()) {
            entry.add("feature", strings(module.getFeatures().stream().map(FeatureDefinition::getQName)
                .map(q -> q.getLocalName()).sorted().toArray(String[]::new)));
        }
        entry.addProperty("conformance-type", implement ? "implement" : "import");
        if (!module.getSubmodules().isEmpty()) {
            entry.add("submodule", submodules(module, true));
        }
        return entry;
    }

    private static JsonArray submodules(Module module, boolean legacy) {
        JsonArray list = new JsonArray();
        for (Submodule sub : module.getSubmodules()) {
            String revision = sub.getRevision().map(Object::toString).orElse("");
            JsonObject entry = new JsonObject();
            entry.addProperty("name", sub.getName());
            if (legacy || !revision.isEmpty()) {
                entry.addProperty("revision", revision);
            }
            if (legacy) {
                entry.addProperty("schema", location(sub.getName(), revision));
            } else {
                entry.add("location", strings(location(sub.getName(), revision)));
            }
            list.add(entry);
        }
        return list;
    }

    /** Implemented: the module defines something a server implements (data, operations, identities, augments). */
    static boolean implemented(Module module) {
        return !module.getChildNodes().isEmpty() || !module.getRpcs().isEmpty() || !module.getNotifications().isEmpty()
            || !module.getAugmentations().isEmpty() || !module.getIdentities().isEmpty()
            || !module.getDeviations().isEmpty();
    }

    static String location(String name, String revision) {
        return ComputedResources.SCHEMA_PATH + name + (revision.isEmpty() ? "" : "/" + revision);
    }

    private static String revision(Module module) {
        return module.getRevision().map(Object::toString).orElse("");
    }

    /** Changes whenever the set of modules (name@revision) changes, as RFC 8525 asks of content-id. */
    private static String contentId(List<? extends Module> modules) {
        StringBuilder all = new StringBuilder();
        modules.forEach(m -> all.append(m.getName()).append('@').append(revision(m)).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(all.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonArray strings(String... values) {
        JsonArray array = new JsonArray();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    private static JsonArray one(JsonObject value) {
        JsonArray array = new JsonArray();
        array.add(value);
        return array;
    }
}
