package io.polycube.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * (1000000), {@code --micro-repeat N} (1000000), {@code --prefix pcnbXXXXXX} (random).
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
        int frames = Integer.parseInt(opts.getOrDefault("frames", "1000000"));
        int microRepeat = Integer.parseInt(opts.getOrDefault("micro-repeat", "1000000"));
        String prefix = opts.getOrDefault("prefix",
            "pcnb" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)));

        // Interleaved in this order every round; each non-vanilla DUT is compared with its hook's vanilla.
        List<Dut> duts = List.of(new Vanilla(Hook.XDP), new SimpleFwdDut(Hook.XDP, simplefwd),
            new Vanilla(Hook.TC), new SimpleFwdDut(Hook.TC, simplefwd));

        Topology topology = Topology.create(prefix);
        Thread cleanup = new Thread(() -> {
            duts.forEach(Dut::close);
            topology.close();
        }, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Map<Dut, List<Harness.Sample>> samples = new LinkedHashMap<>();
        try (topology; Harness harness = Harness.create(topology)) {
            System.out.printf(Locale.ROOT, "# live frames: %d x %d B per run, batch 64, %d rounds; micro repeat %d;"
                + " veths %s{i,o}{0,1}%n", frames, Frames.LENGTH, rounds, microRepeat, prefix);
            for (Dut dut : duts) {
                harness.measure(dut, Math.max(1, frames / 10), microRepeat / 10); // warm-up, discarded
                samples.put(dut, new ArrayList<>());
            }
            for (int round = 1; round <= rounds; round++) {
                StringJoiner line = new StringJoiner(" | ", "# round " + round + ": ", "");
                for (Dut dut : duts) {
                    Harness.Sample s = harness.measure(dut, frames, microRepeat);
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
            if (vanilla == null || vanilla == dut) {
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
        for (Dut dut : duts) {
            long lost = samples.get(dut).stream().mapToLong(Harness.Sample::lost).sum();
            System.out.println(key(dut) + ".lost_frames " + lost);
        }
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
                    + "[--micro-repeat N] [--prefix pcnbXXXXXX]");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }
}
