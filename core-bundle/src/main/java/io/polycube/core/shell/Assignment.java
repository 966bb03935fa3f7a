package io.polycube.core.shell;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A console word {@code leaf=value}: {@code leaf} may go through containers ({@code a/b=1}); for a
 * leaf-list, {@code value} may list several values separated by commas.
 */
record Assignment(String name, String value) {
    Assignment {
        requireNonNull(name);
        requireNonNull(value);
    }

    static boolean is(String word) {
        return word.indexOf('=') > 0;
    }

    static Assignment parse(String word) throws ConsoleException {
        int eq = word.indexOf('=');
        if (eq <= 0) {
            throw new ConsoleException("expected leaf=value, got '" + word + "'");
        }
        return new Assignment(word.substring(0, eq), word.substring(eq + 1));
    }

    /** The words up to the first {@code leaf=value}. */
    static List<String> pathWords(List<String> words) {
        List<String> path = new ArrayList<>();
        for (String word : words) {
            if (is(word)) {
                break;
            }
            path.add(word);
        }
        return path;
    }

    /** The {@code leaf=value} words after the path; a plain word among them is an error. */
    static List<Assignment> after(List<String> words, int pathLength) throws ConsoleException {
        List<Assignment> all = new ArrayList<>();
        for (String word : words.subList(pathLength, words.size())) {
            all.add(parse(word));
        }
        return all;
    }
}
