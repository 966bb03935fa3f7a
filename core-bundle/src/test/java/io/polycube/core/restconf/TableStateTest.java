package io.polycube.core.restconf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.polycube.core.spi.ConfigNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The state a cube instance reports for its bound tables (what {@code Tables.state} returns through the
 * instance manager) reaches GET: config-false leaves inside configured entries, and a whole
 * config-false list.
 */
class TableStateTest {
    private static ConfigNode node(Map<String, String> leaves, Map<String, List<ConfigNode>> lists) {
        return ConfigNode.of(leaves, Map.of(), Map.of(), lists);
    }

    @Test
    void getMergesTableStateIntoTheConfiguration() throws Exception {
        YangModels models = new YangModels();
        Datastore store = new Datastore(models.addModule("pcn-tabletypes",
            TableStateTest.class.getClassLoader().getResource("yang-test/pcn-tabletypes.yang")), changes -> { });
        ConfigNode state = node(Map.of("name", "t1"), Map.of(
            "ints", List.of(node(Map.of("id", "1", "hits", "5"), Map.of())),
            "stats", List.of(node(Map.of("port", "pa", "packets", "7"), Map.of()))));
        RestconfService service = new RestconfService(store,
            (type, name) -> type.equals("tabletypes") && name.equals("t1") ? Optional.of(state) : Optional.empty());
        RestconfResponse put = service.handle("PUT", "/data/pcn-tabletypes:tabletypes=t1", Map.of(),
            "application/yang-data+json", "{\"pcn-tabletypes:tabletypes\":[{\"name\":\"t1\",\"ports\":[{\"name\":\"pa\"}],"
                + "\"ints\":[{\"id\":1,\"u8\":3}]}]}");
        assertEquals(201, put.status(), put::toString);

        RestconfResponse get = service.handle("GET", "/data/pcn-tabletypes:tabletypes=t1", Map.of(), null, null);
        assertEquals(200, get.status(), get::toString);
        JsonObject cube = JsonParser.parseString(get.body()).getAsJsonObject()
            .getAsJsonArray("pcn-tabletypes:tabletypes").get(0).getAsJsonObject();
        JsonObject ints = cube.getAsJsonArray("ints").get(0).getAsJsonObject();
        assertEquals(3, ints.get("u8").getAsInt());
        assertEquals("5", ints.get("hits").getAsString());
        JsonObject stats = cube.getAsJsonArray("stats").get(0).getAsJsonObject();
        assertEquals("pa", stats.get("port").getAsString());
        assertEquals("7", stats.get("packets").getAsString());
    }
}
