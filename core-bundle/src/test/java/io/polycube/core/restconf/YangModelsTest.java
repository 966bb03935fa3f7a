package io.polycube.core.restconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

class YangModelsTest {
    @Test
    void invalidModuleKeepsThePreviousContext(@TempDir Path dir) throws Exception {
        YangModels models = new YangModels();
        assertTrue(models.context().findModules("pcn-base").iterator().hasNext());
        EffectiveModelContext before = models.addModule("pcn-simplefwd", TestModels.module("pcn-simplefwd.yang"));

        Path broken = dir.resolve("pcn-broken.yang");
        Files.writeString(broken, "module pcn-broken { yang-version 1.1; namespace \"urn:b\"; prefix b;\n"
            + "  import pcn-base { prefix base; }\n  list broken { key name; uses base:no-such-grouping; } }\n");
        YangModelException error = assertThrows(YangModelException.class,
            () -> models.addModule("pcn-broken", broken.toUri().toURL()));
        assertTrue(error.getMessage().contains("no-such-grouping"), error.getMessage());
        assertSame(before, models.context());
        assertEquals(java.util.Set.of("pcn-simplefwd"), models.cubeModules());

        Path syntax = dir.resolve("pcn-syntax.yang");
        Files.writeString(syntax, "module pcn-syntax { namespace \"urn:s\"; prefix s; leaf x { type string } }\n");
        assertThrows(YangModelException.class, () -> models.addModule("pcn-syntax", syntax.toUri().toURL()));
        assertSame(before, models.context());

        Path offConvention = dir.resolve("pcn-other.yang");
        Files.writeString(offConvention, "module pcn-other { yang-version 1.1; namespace \"urn:o\"; prefix o;\n"
            + "  list something { key id; leaf id { type string; } } }\n");
        error = assertThrows(YangModelException.class, () -> models.addModule("pcn-other",
            offConvention.toUri().toURL()));
        assertTrue(error.getMessage().contains("top-level list"), error.getMessage());
        assertSame(before, models.context());

        EffectiveModelContext after = models.removeModule("pcn-simplefwd");
        assertFalse(after.findModules("pcn-simplefwd").iterator().hasNext());
    }

    @Test
    void removingAModuleDropsItsData() throws Exception {
        YangModels models = new YangModels();
        models.addModule("pcn-simplefwd", TestModels.module("pcn-simplefwd.yang"));
        EffectiveModelContext both = models.addModule("pcn-testkeys", TestModels.testModule("pcn-testkeys.yang"));
        List<List<InstanceChange>> applied = new ArrayList<>();
        Datastore store = new Datastore(both, applied::add);
        RestconfService service = new RestconfService(store, StateSource.NONE);
        String json = Fixture.JSON;
        assertEquals(201, service.handle("POST", "/data", Map.of(), json,
            "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\"}]}").status());
        assertEquals(201, service.handle("POST", "/data", Map.of(), json,
            "{\"pcn-testkeys:testkeys\":[{\"name\":\"t1\"}]}").status());

        store.setContext(models.removeModule("pcn-testkeys"));
        assertEquals(Fixture.json("{\"ietf-restconf:data\":{\"pcn-simplefwd:simplefwd\":[{\"name\":\"fwd1\","
            + "\"type\":\"TC\",\"loglevel\":\"INFO\"}]}}"), Fixture.json(service.handle("GET", "/data", Map.of(), null, null).body()));
        assertEquals(400, service.handle("GET", "/data/pcn-testkeys:testkeys", Map.of(), null, null).status());
    }
}
