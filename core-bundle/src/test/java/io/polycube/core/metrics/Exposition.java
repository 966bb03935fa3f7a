package io.polycube.core.metrics;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed Prometheus text exposition: each sample line as name + labels -> value. */
record Exposition(Map<String, Double> samples, String text) {
    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    static Exposition parse(String text) {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                int at = 0;
                while (l.find() && l.start() == at) {
                    labels.put(l.group(1), l.group(2));
                    at = l.end();
                }
                if (at != m.group(2).length()) {
                    throw new AssertionError("bad labels: " + line);
                }
            }
            if (samples.put(key(m.group(1), labels), Double.parseDouble(m.group(3))) != null) {
                throw new AssertionError("duplicate sample: " + line);
            }
        }
        return new Exposition(samples, text);
    }

    /** {@code name{a="1",b="2"}} with labels in name order. */
    static String key(String name, Map<String, String> labels) {
        StringBuilder sb = new StringBuilder(name);
        if (!labels.isEmpty()) {
            sb.append('{');
            new TreeMap<>(labels).forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
            sb.setCharAt(sb.length() - 1, '}');
        }
        return sb.toString();
    }

    /** The value of {@code name} with exactly these labels ({@code k1, v1, k2, v2...}). */
    Optional<Double> value(String name, String... labels) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return Optional.ofNullable(samples.get(key(name, map)));
    }

    double get(String name, String... labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError(
            "no sample " + name + " " + String.join(",", labels) + " in\n" + text));
    }
}
