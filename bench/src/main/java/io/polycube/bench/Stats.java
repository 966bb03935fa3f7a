package io.polycube.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and spread of a handful of rounds. */
record Stats(double median, double min, double max) {
    static Stats of(List<? extends Number> values) {
        List<Double> sorted = new ArrayList<>();
        values.forEach(v -> sorted.add(v.doubleValue()));
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1));
    }

    /** (max - min) / median, in percent. */
    double spreadPercent() {
        return median == 0 ? 0 : 100 * (max - min) / median;
    }
}
