package io.polycube.core.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Console words to RFC 8040 api-paths and RFC 7951 bodies, on the real simplefwd and protofilter models. */
class YangPathTest {

    private static YangPath fwd(String... words) throws Exception {
        return YangPath.instance(ConsoleFixture.context(), "simplefwd", "fwd1").then(List.of(words));
    }

    @Test
    void wordsBecomeApiPaths() throws Exception {
        assertEquals("pcn-simplefwd:simplefwd=fwd1", fwd().apiPath());
        assertEquals("pcn-simplefwd:simplefwd=fwd1/ports", fwd("ports").apiPath());
        assertEquals("pcn-simplefwd:simplefwd=fwd1/ports=p1/peer", fwd("ports", "p1", "peer").apiPath());
        assertEquals("pcn-simplefwd:simplefwd=f%20x%2Fy%3A", YangPath.instance(ConsoleFixture.context(),
            "simplefwd", "f x/y:").apiPath());
        assertEquals("pcn-protofilter:protofilter=pf/drop-protocol=17", YangPath.instance(ConsoleFixture.context(),
            "protofilter", "pf").then(List.of("drop-protocol", "17")).apiPath());
    }

    @Test
    void thePathKnowsWhatComesNext() throws Exception {
        assertEquals(YangPath.Expect.CHILD, fwd().expect());
        assertEquals(YangPath.Expect.KEY, fwd("ports").expect());
        assertTrue(fwd("ports").isWholeList());
        assertTrue(fwd("ports", "p1").isNode());
        assertEquals(YangPath.Expect.NOTHING, fwd("ports", "p1", "peer").expect());
        assertEquals("fwd1 ports p1", fwd("ports", "p1").describe());
        assertEquals("pcn-simplefwd:simplefwd=fwd1", fwd("ports", "p1").parent().apiPath(), "where POST adds it");
    }

    @Test
    void unknownNamesAndWordsAfterALeafAreRefused() throws Exception {
        assertEquals("no 'port' in fwd1; one of: name, type, loglevel, ports, actions",
            assertThrows(ConsoleException.class, () -> fwd("port")).getMessage());
        assertTrue(assertThrows(ConsoleException.class, () -> fwd("type", "x")).getMessage().contains("is a leaf"));
        assertEquals("unknown cube type 'nosuch'", assertThrows(ConsoleException.class,
            () -> YangPath.cubeList(ConsoleFixture.context(), "nosuch")).getMessage());
    }

    @Test
    void bodiesCarryKeysAndTypedValues() throws Exception {
        assertEquals(JsonParser.parseString("{\"pcn-simplefwd:actions\":[{\"inport\":\"p1\",\"action\":\"FORWARD\","
            + "\"outport\":\"p2\"}]}"), JsonParser.parseString(Bodies.of(fwd("actions", "p1"),
                List.of(new Assignment("action", "FORWARD"), new Assignment("outport", "p2")))));
        // uint8 leaf-list: JSON numbers; commas and repeated assignments add values
        YangPath pf = YangPath.instance(ConsoleFixture.context(), "protofilter", "pf");
        assertEquals(JsonParser.parseString("{\"pcn-protofilter:protofilter\":[{\"name\":\"pf\","
            + "\"drop-protocol\":[17,1,6]}]}"), JsonParser.parseString(Bodies.of(pf,
                List.of(new Assignment("drop-protocol", "17,1"), new Assignment("drop-protocol", "6")))));
        // a word that is no number stays a string: the server refuses it with its own message
        assertTrue(Bodies.of(pf, List.of(new Assignment("drop-protocol", "udp"))).contains("[\"udp\"]"));
        assertTrue(assertThrows(ConsoleException.class, () -> Bodies.of(fwd("ports"), List.of())).getMessage()
            .contains("not a list entry or a container"));
        assertTrue(assertThrows(ConsoleException.class, () -> Bodies.of(fwd(), List.of(new Assignment("ports",
            "x")))).getMessage().contains("not a leaf or leaf-list"));
    }

    @Test
    void assignmentsFollowThePath() throws Exception {
        List<String> words = List.of("fwd1", "actions", "p1", "action=DROP", "outport=p2");
        assertEquals(List.of("fwd1", "actions", "p1"), Assignment.pathWords(words));
        assertEquals(List.of(new Assignment("action", "DROP"), new Assignment("outport", "p2")),
            Assignment.after(words, 3));
        assertTrue(assertThrows(ConsoleException.class, () -> Assignment.after(List.of("a=1", "b"), 0)).getMessage()
            .contains("expected leaf=value"));
        assertFalse(Assignment.is("=x"));
    }
}
