package io.polycube.core.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 7951 bodies rendered as ShellTables. */
class TablesTest {

    private static String render(String json, boolean entry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Tables(List.of("x", "name", "rows", "k", "w", "v"), Set.of()).print(JsonParser.parseString(json).getAsJsonObject(),
            entry, new PrintStream(bytes, true,
            StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anEntryIsALeafTableThenOneTablePerList() {
        String out = render("{\"m:x\":[{\"name\":\"a\",\"c\":{\"deep\":1},\"ll\":[1,2],"
            + "\"rows\":[{\"k\":\"r1\",\"v\":\"10\"},{\"k\":\"r2\",\"w\":true}]}]}", true);
        assertTrue(out.lines().anyMatch(l -> l.matches("Leaf\\s*\\|\\s*Value\\s*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("c/deep\\s*\\|\\s*1\\s*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("ll\\s*\\|\\s*1,2\\s*")), out);
        assertTrue(out.contains("rows:"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("k\\s*\\|\\s*w\\s*\\|\\s*v\\s*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("r2\\s*\\|\\s*true\\s*\\|\\s*")), out);
    }

    @Test
    void aWholeListIsOneTableAndALeafItsValue() {
        String out = render("{\"m:rows\":[{\"k\":\"r1\",\"sub\":[{\"a\":1}]}]}", false);
        assertTrue(out.lines().anyMatch(l -> l.matches("k\\s*\\|\\s*sub\\s*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("r1\\s*\\|\\s*\\(1\\)\\s*")), out);
        assertEquals("UP\n", render("{\"m:status\":\"UP\"}", false));
        assertEquals("17,1\n", render("{\"m:drop-protocol\":[17,1]}", false));
    }

    @Test
    void entriesAreSortedUnlessTheListIsOrderedByUser() {
        String json = "{\"m:rows\":[{\"k\":\"b\"},{\"k\":\"a\"}]}";
        ByteArrayOutputStream sorted = new ByteArrayOutputStream();
        new Tables(List.of("k"), Set.of()).print(JsonParser.parseString(json).getAsJsonObject(), false,
            new PrintStream(sorted, true, StandardCharsets.UTF_8));
        assertTrue(sorted.toString(StandardCharsets.UTF_8).matches("(?s).*a\\s*\\n\\s*b.*"), sorted::toString);
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        new Tables(List.of("k"), Set.of("rows")).print(JsonParser.parseString(json).getAsJsonObject(), false,
            new PrintStream(kept, true, StandardCharsets.UTF_8));
        assertTrue(kept.toString(StandardCharsets.UTF_8).matches("(?s).*b\\s*\\n\\s*a.*"), kept::toString);
    }

    @Test
    void theInstanceSummaryKeepsOnlyCubeTypes() {
        JsonObject data = JsonParser.parseString("{\"pcn-simplefwd:simplefwd\":[{\"name\":\"f\",\"type\":\"TC\","
            + "\"ports\":[{\"name\":\"p1\",\"peer\":\"v1\",\"status\":\"UP\"},{\"name\":\"p2\"}]}],"
            + "\"pcn-polycubed:other\":{\"x\":1}}").getAsJsonObject();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Tables.instances(data, Set.of("simplefwd"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.lines().anyMatch(l -> l.matches("f\\s*\\|\\s*simplefwd\\s*\\|\\s*TC\\s*\\|\\s*p1 > v1 UP, p2\\s*\\|\\s*")),
            out);
        assertTrue(!out.contains("other"), out);
    }
}
