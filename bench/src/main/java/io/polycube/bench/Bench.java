package io.polycube.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Entry point: measures every DUT in interleaved rounds and prints {@code <metric> <value>} lines
 * (medians; {@code #} lines carry the rounds and spreads). Arguments: {@code --simplefwd DIR}
 * (required: the compiled cube objects), {@code --rounds N} (7), {@code --frames N} per live run
 * (500000), {@code --best-of N} live and micro runs per DUT and round, the fastest kept (3),
 * {@code --micro-repeat N} (1000000), {@code --prefix pcnbXXXXXX} (random), {@code --hooks}, {@code --duts}, {@code --chain-lengths}
 * (see {@link #duts}).
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        Path simplefwd = Path.of(opts.getOrDefault("simplefwd", ""));
        if (!Files.isRegularFile(simplefwd.resolve("simplefwd.xdp.o"))) {
            throw new IllegalArgumentException("--simplefwd DIR must hold simplefwd.xdp.o and simplefwd.tc.o (build "
                + "cube-bundles/simplefwd first); got '" + simplefwd + "'");
        }
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "7"));
        int frames = Integer.parseInt(opts.getOrDefault("frames", "500000"));
        int microRepeat = Integer.parseInt(opts.getOrDefault("micro-repeat", "1000000"));
        int bestOf = Integer.parseInt(opts.getOrDefault("best-of", "3"));
        String prefix = opts.getOrDefault("prefix",
            "pcnb" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)));
        List<Dut> duts = duts(opts, simplefwd);
        if (duts.isEmpty()) {
            throw new IllegalArgumentException("--duts/--hooks select no DUT");
        }

        Topology topology = Topology.create(prefix);
        Thread cleanup = new Thread(() -> {
            duts.forEach(Dut::close);
            topology.close();
        }, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Map<Dut, List<Harness.Sample>> samples = new LinkedHashMap<>();
        try (topology; Harness harness = Harness.create(topology)) {
            System.out.printf(Locale.ROOT, "# live frames: %d x %d B per run, batch 64; fastest of %d live and of %d micro run(s) per DUT and "
                + "round; %d rounds (+1 warm-up, discarded); micro repeat %d; veths %s{i,o}{0,1}; DUTs %s%n",
                frames, Frames.LENGTH, bestOf, bestOf, rounds, microRepeat, prefix,
                String.join(",", duts.stream().map(Bench::key).toList()));
            for (Dut dut : duts) {
                harness.measure(dut, Math.max(1, frames / 4), microRepeat / 4); // warm-up, discarded
                samples.put(dut, new ArrayList<>());
            }
            for (int round = 1; round <= rounds; round++) {
                StringJoiner line = new StringJoiner(" | ", "# round " + round + ": ", "");
                // Interleaved, and the order rotates every round so no DUT always follows the same one.
                List<Dut> order = new ArrayList<>(duts);
                Collections.rotate(order, -((round - 1) % duts.size()));
                for (Dut dut : order) {
                    Harness.Sample s = harness.measure(dut, frames, microRepeat, bestOf);
                    samples.get(dut).add(s);
                    line.add(key(dut) + " " + s.nsPerFrame() + " ns/pkt, " + s.lost() + " lost, micro " + s.microNs()
                        + " ns");
                }
                System.out.println(line);
                System.out.flush();
            }
        } finally {
            duts.forEach(Dut::close);
            topology.close();
        }
        report(duts, samples);
    }

    private static void report(List<Dut> duts, Map<Dut, List<Harness.Sample>> samples) {
        for (Dut dut : duts) {
            List<Harness.Sample> s = samples.get(dut);
            metric(key(dut) + "_ns_per_pkt", Harness.values(s, Harness.Sample::nsPerFrame), "%.0f");
        }
        for (Dut dut : duts) {
            Dut vanilla = duts.stream().filter(d -> d.hook() == dut.hook() && d.name().equals("vanilla")).findFirst()
                .orElse(null);
            if (vanilla == null || vanilla == dut || dut instanceof ChainDut) {
                continue;
            }
            List<Double> ratios = new ArrayList<>();
            List<Harness.Sample> v = samples.get(vanilla);
            List<Harness.Sample> d = samples.get(dut);
            for (int i = 0; i < d.size(); i++) {
                ratios.add((double) v.get(i).nsPerFrame() / d.get(i).nsPerFrame());
            }
            metric(dut.hook().prefix() + "." + dut.name() + "_over_vanilla", ratios, "%.3f");
        }
        for (Dut dut : duts) {
            metric(dut.hook().prefix() + ".micro." + dut.name() + "_ns",
                Harness.values(samples.get(dut), Harness.Sample::microNs), "%.0f");
        }
        for (Hook hook : Hook.values()) {
            chainSlopes(hook, duts, samples);
        }
        for (Dut dut : duts) {
            long lost = samples.get(dut).stream().mapToLong(Harness.Sample::lost).sum();
            System.out.println(key(dut) + ".lost_frames " + lost);
        }
    }

    /** Target the chain figures are reported against (not asserted): the cost of one more cube. */
    private static final double TARGET_NS_PER_EXTRA_CUBE = 3;

    /**
     * {@code <hook>.ns_per_extra_cube} and {@code <hook>.micro.ns_per_extra_cube}: in every round, the
     * least-squares slope of ns/pkt against the chain length over that round's chain DUTs; the metric
     * is the median of the rounds. The {@code #} line also gives the slope fitted to the medians.
     */
    private static void chainSlopes(Hook hook, List<Dut> duts, Map<Dut, List<Harness.Sample>> samples) {
        List<ChainDut> chains = duts.stream().filter(d -> d.hook() == hook && d instanceof ChainDut)
            .map(d -> (ChainDut) d).toList();
        if (chains.stream().mapToInt(ChainDut::length).distinct().count() < 2) {
            return;
        }
        double[] x = chains.stream().mapToDouble(ChainDut::length).toArray();
        for (boolean micro : new boolean[] {false, true}) {
            java.util.function.ToLongFunction<Harness.Sample> f = micro ? Harness.Sample::microNs
                : Harness.Sample::nsPerFrame;
            String name = hook.prefix() + (micro ? ".micro" : "") + ".ns_per_extra_cube";
            int rounds = samples.get(chains.get(0)).size();
            List<Double> slopes = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                double[] y = new double[chains.size()];
                for (int i = 0; i < chains.size(); i++) {
                    y[i] = f.applyAsLong(samples.get(chains.get(i)).get(r));
                }
                slopes.add(slope(x, y));
            }
            double[] medians = new double[chains.size()];
            for (int i = 0; i < chains.size(); i++) {
                medians[i] = Stats.of(Harness.values(samples.get(chains.get(i)), f)).median();
            }
            double median = Stats.of(slopes).median();
            System.out.printf(Locale.ROOT, "# %s: slope of the medians %.1f; target <= %.0f ns per extra cube: %s%n",
                name, slope(x, medians), TARGET_NS_PER_EXTRA_CUBE,
                median <= TARGET_NS_PER_EXTRA_CUBE ? "within" : "above");
            metric(name, slopes, "%.1f");
        }
    }

    /** Least-squares slope of y against x. */
    static double slope(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - mx) * (y[i] - my);
            den += (x[i] - mx) * (x[i] - mx);
        }
        return num / den;
    }

    /**
     * The DUTs, in interleaving order: per hook of {@code --hooks} (env {@code PCN_BENCH_HOOKS}, default
     * {@code xdp,tc}), the kinds of {@code --duts} (env {@code PCN_BENCH_DUTS}, default
     * {@code vanilla,simplefwd,chain}; {@code chain} stands for one chain per length of
     * {@code --chain-lengths}, default {@code 1,2,4,8}; {@code chainN} for one length). An item may be
     * restricted to one hook: {@code xdp.chain}.
     */
    private static List<Dut> duts(Map<String, String> opts, Path simplefwd) {
        List<String> hooks = list(opts.getOrDefault("hooks", env("PCN_BENCH_HOOKS", "xdp,tc")));
        List<String> kinds = list(opts.getOrDefault("duts", env("PCN_BENCH_DUTS", "vanilla,simplefwd,chain")));
        List<Integer> lengths = list(opts.getOrDefault("chain-lengths", env("PCN_BENCH_CHAIN_LENGTHS", "1,2,4,8")))
            .stream().map(Integer::parseInt).toList();
        List<Dut> out = new ArrayList<>();
        for (Hook hook : Hook.values()) {
            if (!hooks.contains(hook.prefix())) {
                continue;
            }
            for (String item : kinds) {
                String kind = item;
                if (item.contains(".")) {
                    if (!item.startsWith(hook.prefix() + ".")) {
                        continue;
                    }
                    kind = item.substring(item.indexOf('.') + 1);
                }
                if (kind.equals("vanilla")) {
                    out.add(new Vanilla(hook));
                } else if (kind.equals("simplefwd")) {
                    out.add(new SimpleFwdDut(hook, simplefwd));
                } else if (kind.equals("chain")) {
                    lengths.forEach(n -> out.add(new ChainDut(hook, simplefwd, n)));
                } else if (kind.matches("chain[0-9]+")) {
                    out.add(new ChainDut(hook, simplefwd, Integer.parseInt(kind.substring(5))));
                } else {
                    throw new IllegalArgumentException("unknown DUT '" + item + "': vanilla, simplefwd, chain, chainN");
                }
            }
        }
        return out;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static List<String> list(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String key(Dut dut) {
        return dut.hook().prefix() + "." + dut.name();
    }

    private static void metric(String name, List<? extends Number> rounds, String format) {
        Stats st = Stats.of(rounds);
        StringJoiner all = new StringJoiner(" ");
        rounds.forEach(r -> all.add(String.format(Locale.ROOT, format, r.doubleValue())));
        System.out.printf(Locale.ROOT, "# %s rounds [%s] min " + format + " max " + format + " spread %.1f%%%n", name,
            all, st.min(), st.max(), st.spreadPercent());
        System.out.printf(Locale.ROOT, "%s " + format + "%n", name, st.median());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: Bench --simplefwd DIR [--rounds N] [--frames N] "
                    + "[--best-of N] [--micro-repeat N] [--prefix pcnbXXXXXX] [--hooks xdp,tc] "
                    + "[--duts vanilla,simplefwd,chain] [--chain-lengths 1,2,4,8]");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }
}
