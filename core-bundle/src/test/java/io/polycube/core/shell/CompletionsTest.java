package io.polycube.core.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polycube.core.shell.Completions.Mode;
import io.polycube.core.shell.Completions.Word;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Completion candidates from the live model and datastore. */
class CompletionsTest {

    private static List<String> values(List<Word> words) {
        return words.stream().map(Word::value).toList();
    }

    private static ConsoleFixture topology() throws Exception {
        ConsoleFixture f = new ConsoleFixture().fwd("fwd1");
        f.console.add(List.of("protofilter", "pf1", "drop-protocol=17"));
        return f;
    }

    @Test
    void firstWordsAreInstancesAndForAddCubeTypes() throws Exception {
        Completions c = new Completions(topology().plane);
        assertEquals(List.of("fwd1", "pf1"), values(c.path(Mode.SHOW, List.of(), "")));
        assertEquals(List.of("fwd1", "pf1", "protofilter", "simplefwd"), values(c.path(Mode.ADD, List.of(), "")));
        assertEquals(List.of("protofilter"), values(c.path(Mode.ADD, List.of(), "pr")));
        assertEquals(List.of(), c.path(Mode.ADD, List.of("simplefwd"), ""), "a new name is free text");
    }

    @Test
    void leafNamesAndEnumValuesAlongThePath() throws Exception {
        Completions c = new Completions(topology().plane);
        List<Word> set = c.path(Mode.SET, List.of("fwd1"), "");
        assertTrue(set.contains(new Word("type=", false)), set::toString);
        assertTrue(set.contains(new Word("loglevel=", false)), set::toString);
        assertTrue(set.contains(new Word("ports", true)) && set.contains(new Word("actions", true)), set::toString);
        assertTrue(!values(set).contains("name="), "a key is not set");
        assertEquals(List.of("type=TC", "type=XDP_SKB", "type=XDP_DRV"), values(c.path(Mode.SET, List.of("fwd1"),
            "type=")));
        assertEquals(List.of("type=XDP_SKB", "type=XDP_DRV"), values(c.path(Mode.ADD, List.of("simplefwd", "new"),
            "type=X")));
        assertEquals(List.of("action=DROP", "action=SLOWPATH", "action=FORWARD"),
            values(c.path(Mode.ADD, List.of("fwd1", "actions", "p1"), "action=")));
        assertEquals(List.of("outport=p1", "outport=p2"), values(c.path(Mode.ADD, List.of("fwd1", "actions", "p1",
            "action=FORWARD"), "outport=")));
        assertEquals(List.of("direction=INGRESS", "direction=EGRESS"), values(c.path(Mode.SET, List.of("pf1"),
            "direction=")));
        List<String> show = values(c.path(Mode.SHOW, List.of("fwd1", "ports", "p1"), ""));
        assertTrue(show.contains("status") && show.contains("rx-packets"), show::toString);
    }

    @Test
    void keysOfExistingEntriesAndPorts() throws Exception {
        Completions c = new Completions(topology().plane);
        assertEquals(List.of("p1", "p2"), values(c.path(Mode.DEL, List.of("fwd1", "ports"), "")));
        assertEquals(List.of("17"), values(c.path(Mode.DEL, List.of("pf1", "drop-protocol"), "")));
        assertEquals(List.of("fwd1:p1", "fwd1:p2"), values(c.ports("")));
        assertEquals(List.of("pf1"), values(c.transparent("")));
        List<String> peers = values(c.peers(""));
        assertTrue(peers.contains("lo") && peers.contains("fwd1:p2"), peers::toString);
        assertEquals(List.of(), c.path(Mode.SHOW, List.of("nosuch"), ""));
    }
}
