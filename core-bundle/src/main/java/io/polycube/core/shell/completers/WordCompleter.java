package io.polycube.core.shell.completers;

import io.polycube.core.shell.Completions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;

/**
 * Base of the console's completers: hands the words before the cursor (options left out) and the part
 * of the current word typed so far to {@link #candidates}.
 */
abstract class WordCompleter implements Completer {

    /** Candidates for {@code prefix}, the current word up to the cursor, after the command's {@code before} words. */
    abstract List<Completions.Word> candidates(List<String> before, String prefix);

    @Override
    public int complete(Session session, CommandLine line, List<String> candidates) {
        List<Candidate> found = new ArrayList<>();
        completeCandidates(session, line, found);
        found.forEach(c -> candidates.add(c.value() + (c.complete() ? " " : "")));
        return candidates.isEmpty() ? -1 : line.getBufferPosition() - line.getArgumentPosition();
    }

    @Override
    public void completeCandidates(Session session, CommandLine line, List<Candidate> candidates) {
        String[] args = line.getArguments();
        String current = line.getCursorArgument() == null ? "" : line.getCursorArgument();
        String prefix = current.substring(0, Math.min(line.getArgumentPosition(), current.length()));
        if (args.length < 2) {
            // Karaf re-checks each earlier word of the line alone (no context): every typed word is acceptable
            candidates.add(new Candidate(current, true));
            return;
        }
        int cursor = line.getCursorArgumentIndex();
        List<String> before = Arrays.stream(args, 1, Math.min(cursor, args.length)).filter(w -> !w.startsWith("-"))
            .toList();
        for (Completions.Word word : candidates(before, prefix)) {
            candidates.add(new Candidate(word.value(), word.complete()));
        }
    }
}
