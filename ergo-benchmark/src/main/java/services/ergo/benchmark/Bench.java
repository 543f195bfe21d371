package services.ergo.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs scenarios side by side: each run of each side in a fresh JVM with the same flags, ours and Pekko
 * alternating (ours first on even runs, Pekko first on odd ones), then the median of the runs. Prints a
 * {@code RESULT} line per metric, where {@code ratio} > 1 always means we are better, and a markdown table.
 *
 * <pre>
 * Bench [scenario…] [--smoke] [--runs N]
 * </pre>
 */
public final class Bench {
    static final List<String> SCENARIOS = List.of(
            "local-tell-1to1",
            "local-tell-2to2",
            "local-call",
            "spawn-memory",
            "network-tell-1to1",
            "network-tell-1to1-100b",
            "network-tell-1to1-1kb",
            "network-tell-4to4",
            "network-call-rtt",
            "network-call-64",
            "etcd-discovery",
            "etcd-node-left",
            "etcd-resolve",
            "leader-failover");

    private Bench() {}

    /** The numbers of one metric over the runs, for both sides. */
    static final class Series {
        final String unit;
        final boolean higherIsBetter;
        final List<Double> ours = new ArrayList<>();
        final List<Double> pekko = new ArrayList<>();

        Series(String unit, boolean higherIsBetter) {
            this.unit = unit;
            this.higherIsBetter = higherIsBetter;
        }

        double ratio() {
            if (ours.isEmpty() || pekko.isEmpty()) {
                return Double.NaN;
            }
            double o = median(ours);
            double p = median(pekko);
            return higherIsBetter ? o / p : p / o;
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> scenarios = new ArrayList<>();
        boolean smoke = false;
        int runs = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> {
                    if (!SCENARIOS.contains(args[i])) {
                        System.err.println("unknown scenario '" + args[i] + "'; known: " + SCENARIOS);
                        System.exit(2);
                    }
                    scenarios.add(args[i]);
                }
            }
        }
        if (scenarios.isEmpty()) {
            scenarios.addAll(SCENARIOS);
        }
        if (smoke) {
            runs = 1;
        }
        Map<String, Series> results = run(scenarios, smoke, runs);
        print(results, runs);
    }

    static Map<String, Series> run(List<String> scenarios, boolean smoke, int runs) throws Exception {
        Map<String, Series> results = new LinkedHashMap<>();
        for (String scenario : scenarios) {
            for (int r = 0; r < runs; r++) {
                List<String> order = r % 2 == 0 ? List.of("ours", "pekko") : List.of("pekko", "ours");
                for (String side : order) {
                    for (Measurement m : runOne(side, scenario, smoke)) {
                        Series s = results.computeIfAbsent(m.metric(), k -> new Series(m.unit(), m.higherIsBetter()));
                        (side.equals("ours") ? s.ours : s.pekko).add(m.value());
                    }
                }
                System.err.printf("[bench] %s run %d/%d done%n", scenario, r + 1, runs);
            }
        }
        return results;
    }

    static List<Measurement> runOne(String side, String scenario, boolean smoke)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        // AlwaysPreTouch: the heap's pages are faulted in at start, not on first use in the middle of a measurement
        // (on this VM first-touch faults halved ours at 1 KiB payloads with a 4 GB heap; Pekko was unaffected)
        String flags = System.getenv()
                .getOrDefault("BENCH_JVM_FLAGS", smoke ? "-Xms256m -Xmx1g" : "-Xms4g -Xmx4g -XX:+AlwaysPreTouch");
        cmd.addAll(Arrays.asList(flags.trim().split("\\s+")));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add(side);
        cmd.add(scenario);
        cmd.add(smoke ? "smoke" : "full");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<Measurement> out = new ArrayList<>();
        StringBuilder other = new StringBuilder();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(Measurement.PREFIX)) {
                    out.add(Measurement.parse(line));
                } else {
                    other.append(line).append('\n');
                }
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
            p.destroyForcibly();
            throw new IllegalStateException(side + " " + scenario + " failed (exit "
                    + (p.isAlive() ? "timeout" : p.exitValue()) + "):\n" + other);
        }
        return out;
    }

    static void print(Map<String, Series> results, int runs) {
        for (Map.Entry<String, Series> e : results.entrySet()) {
            Series s = e.getValue();
            System.out.printf(
                    Locale.ROOT,
                    "RESULT %s ours=%s%s pekko=%s%s ratio=%s runs=%d%n",
                    e.getKey(),
                    fmt(median(s.ours)),
                    s.unit,
                    fmt(median(s.pekko)),
                    s.unit,
                    fmt(s.ratio()),
                    runs);
        }
        System.out.println();
        System.out.println(
                "| scenario | ours (median) | Pekko (median) | ratio (>1: ours better) | runs | ours min / max | Pekko min / max |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (Map.Entry<String, Series> e : results.entrySet()) {
            Series s = e.getValue();
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s %s | %s %s | %s | %d | %s / %s | %s / %s |%n",
                    e.getKey(),
                    fmt(median(s.ours)),
                    s.unit,
                    fmt(median(s.pekko)),
                    s.unit,
                    fmt(s.ratio()),
                    runs,
                    fmt(min(s.ours)),
                    fmt(max(s.ours)),
                    fmt(min(s.pekko)),
                    fmt(max(s.pekko)));
        }
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> v = new ArrayList<>(values);
        v.sort(Double::compare);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "—"; // a metric only one side has (messages per write)
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
