package services.ergo.benchmark.saturn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * {@code saturn-scale}: N simulated nodes in this JVM (the generator), the Saturn server in its own, TLS on. For
 * each N: cold start (all connect at once: until 99 % and 100 % hold the revision where all are in), idle (the
 * server's CPU share and memory per node, from {@code /proc} and after a GC), churn of 1, 10 and 100 joins or
 * leaves a second (from the change to the last counted client, p50 and p99), and slow consumers (1 % stop
 * reading for a while under churn of 10 a second: the others' p99, the server's memory, the time the slow ones
 * take to catch up). Afterwards every full client's view is checked against a newcomer's.
 *
 * <p>The server and the generator share the machine's cores, as one system of a server and its nodes would
 * share them: on loopback the sender's core also runs the receiver's TCP softirq, so a server pinned to one core
 * ({@code --pin}: the server on core 0, the generator on core 1, with {@code taskset}) pays for its clients'
 * kernel too and the split measures neither side alone. Both JVMs first run a warm-up churn, not counted, so that
 * the figures are of JIT-compiled code, as a server that has been up for a while runs.
 *
 * <pre>
 * SaturnScale [--smoke] [--n 1000,2000,5000] [--plain] [--pin] [--idle S] [--warmup S] [--churn S] [--slow S] [--etcd]
 *             [--registrar-max N]
 * </pre>
 */
public final class SaturnScale {
    private SaturnScale() {}

    /** How long each phase runs. */
    record Settings(
            List<Integer> sizes,
            boolean tls,
            boolean pin,
            int idleSeconds,
            int churnSeconds,
            int slowSeconds,
            int warmupSeconds,
            boolean etcd,
            int registrarMax,
            boolean smoke) {}

    /** One N's figures, by column name, in table order. */
    static final class Row {
        final int n;
        final Map<String, String> values = new LinkedHashMap<>();

        Row(int n) {
            this.n = n;
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(1000, 2000, 5000);
        boolean tls = true;
        boolean pin = false;
        boolean smoke = false;
        boolean etcd = false;
        int idle = 20;
        int churn = 20;
        int slow = 30;
        int warmup = 20;
        int registrarMax = 1000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--n" ->
                    sizes = Arrays.stream(args[++i].split(","))
                            .map(String::trim)
                            .map(Integer::parseInt)
                            .toList();
                case "--plain" -> tls = false;
                case "--pin" -> pin = Runtime.getRuntime().availableProcessors() >= 2;
                case "--no-pin" -> pin = false;
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                case "--churn" -> churn = Integer.parseInt(args[++i]);
                case "--slow" -> slow = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--etcd" -> etcd = true;
                case "--registrar-max" -> registrarMax = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (smoke) {
            sizes = List.of(50);
            idle = 1;
            churn = 1;
            slow = 1;
            warmup = 0;
            pin = false;
            registrarMax = 20;
        }
        List<Row> rows = run(new Settings(sizes, tls, pin, idle, churn, slow, warmup, etcd, registrarMax, smoke));
        print(rows);
        System.exit(0);
    }

    static List<Row> run(Settings s) throws Exception {
        if (s.pin) {
            // the generator's threads, those to come too, on core 1; the server's JVM starts on core 0
            ProcStats.pin(ProcessHandle.current().pid(), "1");
        }
        List<Row> rows = new ArrayList<>();
        for (int n : s.sizes) {
            rows.add(saturn(n, s));
            if (s.etcd) {
                rows.add(EtcdScale.run(n, s));
            }
        }
        if (s.etcd) {
            // our etcd registrar, a jetcd client and a node per simulated node, up to where it holds
            for (int n : s.smoke ? List.of(s.registrarMax) : List.of(100, 250, 500, 1000, 2000, 5000)) {
                if (n > s.registrarMax) {
                    break;
                }
                Row r = EtcdRegistrarScale.run(n, s);
                rows.add(r);
                if (!r.values.containsKey("churn 10/s p50 / p99")) {
                    break; // it did not hold this N; the row says why
                }
            }
        }
        return rows;
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[saturn-scale] " + format + "%n", args);
    }

    static boolean await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5); // polling the clients' state; the phases' own timing does not depend on it
        }
        return true;
    }

    static String ms(double millis) {
        return millis < 10
                ? String.format(Locale.ROOT, "%.1f ms", millis)
                : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    static String kb(double bytes) {
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1024);
    }

    private static Row saturn(int n, Settings s) throws Exception {
        Row row = new Row(n);
        row.values.put("registrar", "Saturn" + (s.tls ? " (TLS)" : " (plain TCP)"));
        try (ServerProcess server = ServerProcess.start(s.tls, s.pin ? "0" : null);
                Generator gen = new Generator(
                        s.pin ? 1 : Integer.getInteger("saturn.scale.generatorThreads", 2),
                        server.port,
                        server.certificate)) {
            long memBefore = server.memory();
            long rssBefore = ProcStats.rssBytes(server.pid);
            List<LoadClient> base = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean full = i % 100 == 0;
                LoadClient c = gen.add("n" + i + "@load", full, i == 0, 1024 + i % 60000);
                c.counted = true;
                base.add(c);
            }
            // cold start: all at once; each registration is one change, so all are in at revision n
            gen.coldTarget = n;
            long t0 = System.nanoTime();
            base.forEach(gen::connect);
            boolean all = await(() -> gen.ready.get() >= n, 180_000);
            long[] ready = base.stream()
                    .mapToLong(c -> c.readyAt == 0 ? Long.MAX_VALUE : c.readyAt - t0)
                    .sorted()
                    .toArray();
            row.values.put("cold start 99 %", ms(ready[Math.max(0, (int) Math.ceil(n * 0.99) - 1)] / 1e6));
            row.values.put("cold start 100 %", all ? ms(ready[n - 1] / 1e6) : "> 180 s");
            log(
                    "N=%d cold start: 99%% %s, 100%% %s, busy %d",
                    n, row.values.get("cold start 99 %"), row.values.get("cold start 100 %"), gen.busy.get());
            if (!all) {
                throw new IllegalStateException("cold start of " + n + " did not finish; " + gen.firstFailures);
            }
            gen.coldTarget = Long.MAX_VALUE;
            // idle: heartbeats only
            Thread.sleep(2000); // let the cold start's garbage and JIT settle before the idle window
            double cpu0 = ProcStats.cpuSeconds(server.pid);
            long w0 = System.nanoTime();
            Thread.sleep(s.idleSeconds * 1000L);
            double cpu1 = ProcStats.cpuSeconds(server.pid);
            double share = ProcStats.coreShare(cpu0, cpu1, (System.nanoTime() - w0) / 1e9);
            long rss = ProcStats.rssBytes(server.pid);
            long mem = server.memory();
            row.values.put("idle CPU (server)", String.format(Locale.ROOT, "%.1f %% of a core", share * 100));
            row.values.put("heap+direct / node", kb((mem - memBefore) / (double) n));
            row.values.put("RSS / node", kb((rss - rssBefore) / (double) n));
            row.values.put("server RSS", String.format(Locale.ROOT, "%.0f MB", rss / 1048576.0));
            log("N=%d idle: %s", n, row.values);
            // churn
            ArrayDeque<LoadClient> pool = new ArrayDeque<>();
            int[] serial = {0};
            if (s.warmupSeconds > 0) {
                // both JVMs compile the churn's paths (C2) during its first seconds, on the cores being measured:
                // a server that has been up for a while has done so, and the figures below are of that server
                churn(server, gen, base, pool, serial, 10, s.warmupSeconds, row, null, "warm-up 10/s (not counted)");
            }
            Map<Integer, Histogram> churn = new TreeMap<>();
            for (int rate : new int[] {1, 10, 100}) {
                int seconds = rate == 1 ? Math.max(s.churnSeconds, 2) * 2 : s.churnSeconds;
                String column = "churn " + rate + "/s";
                Histogram h = churn(server, gen, base, pool, serial, rate, seconds, row, column, column);
                churn.put(rate, h);
            }
            // slow consumers: 1 % stop reading under churn of 10 a second
            List<LoadClient> slow = new ArrayList<>();
            for (int i = 1; i < n && slow.size() < Math.max(1, n / 100); i += 97) {
                if (!base.get(i).full) {
                    slow.add(base.get(i));
                }
            }
            slow.forEach(c -> {
                c.counted = false;
                c.reading(false);
            });
            long[] maxRss = {0};
            long[] maxQueued = {0};
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(
                    () -> {
                        maxRss[0] = Math.max(maxRss[0], ProcStats.rssBytes(server.pid));
                        maxQueued[0] = Math.max(maxQueued[0], server.state()[2]);
                    },
                    0,
                    500,
                    TimeUnit.MILLISECONDS);
            long resyncsBefore = server.state()[3];
            Histogram others =
                    churn(server, gen, base, pool, serial, 10, s.slowSeconds, row, null, "slow 1 %: others 10/s");
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
            long memSlow = server.memory();
            long target = server.state()[0];
            long r0 = System.nanoTime();
            slow.forEach(c -> c.reading(true));
            boolean caught = await(() -> slow.stream().allMatch(c -> c.revision >= target), 60_000);
            double catchUp = (System.nanoTime() - r0) / 1e6;
            slow.forEach(c -> c.counted = true);
            double base10 = churn.get(10).getValueAtPercentile(99) / 1000.0;
            double slow99 = others.getValueAtPercentile(99) / 1000.0;
            row.values.put(
                    "slow 1 %: others p99", ms(slow99) + String.format(Locale.ROOT, " (%.2fx)", slow99 / base10));
            row.values.put(
                    "slow 1 %: server memory",
                    String.format(
                            Locale.ROOT,
                            "RSS max %.0f MB, heap+direct %.0f MB, queue max %s",
                            maxRss[0] / 1048576.0,
                            memSlow / 1048576.0,
                            kb(maxQueued[0])));
            row.values.put(
                    "slow 1 %: caught up",
                    (caught ? ms(catchUp) : "not in 60 s") + ", resyncs " + (server.state()[3] - resyncsBefore));
            log(
                    "N=%d slow: %s / %s / %s",
                    n,
                    row.values.get("slow 1 %: others p99"),
                    row.values.get("slow 1 %: server memory"),
                    row.values.get("slow 1 %: caught up"));
            // every full client's view against a newcomer's
            LoadClient newcomer = new LoadClient(gen, "newcomer@load", true, false, true, 1);
            gen.clients.add(newcomer);
            long now = server.state()[0];
            gen.connect(newcomer);
            await(() -> newcomer.revision >= now, 30_000);
            long finalRevision = server.state()[0];
            await(
                    () -> base.stream().filter(c -> c.full).allMatch(c -> c.revision >= finalRevision)
                            && newcomer.revision >= finalRevision,
                    30_000);
            long fulls = base.stream().filter(c -> c.full).count();
            long equal = base.stream()
                    .filter(c -> c.full)
                    .filter(c -> c.revision == newcomer.revision && c.view.equals(newcomer.view))
                    .count();
            row.values.put("views = newcomer's", equal + " / " + fulls);
            row.values.put(
                    "client errors", gen.failures.get() + (gen.firstFailures.isEmpty() ? "" : " " + gen.firstFailures));
            log("N=%d done: %s", n, row.values);
        }
        return row;
    }

    /**
     * Joins and leaves at {@code rate} a second for {@code seconds} (a join: a new node registers; a leave: the
     * oldest of those leaves), then the time from each change to the last counted client that got it.
     */
    private static Histogram churn(
            ServerProcess server,
            Generator gen,
            List<LoadClient> base,
            ArrayDeque<LoadClient> pool,
            int[] serial,
            int rate,
            int seconds,
            Row row,
            @Nullable String column,
            String label)
            throws Exception {
        LoadClient observer = base.get(0);
        long start = observer.revision;
        int expected = (int) base.stream().filter(c -> c.counted).count();
        gen.tracking = true;
        double serverCpu0 = ProcStats.cpuSeconds(server.pid);
        double generatorCpu0 = ProcStats.cpuSeconds(ProcessHandle.current().pid());
        long wall0 = System.nanoTime();
        int ops = Math.max(2, rate * seconds);
        ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
        int[] done = {0};
        var task = driver.scheduleAtFixedRate(
                () -> {
                    if (done[0] >= ops) {
                        return;
                    }
                    // a leave takes the oldest joiner that is in; one still in its handshake cannot leave yet
                    LoadClient leaving = done[0] % 2 == 0
                            ? null
                            : pool.stream().filter(c -> c.welcomed).findFirst().orElse(null);
                    if (leaving == null) {
                        LoadClient c = new LoadClient(gen, "c" + serial[0]++ + "@churn", false, false, false, 2000);
                        pool.addLast(c);
                        gen.connect(c);
                    } else {
                        pool.remove(leaving);
                        leaving.leave();
                    }
                    done[0]++;
                },
                0,
                1_000_000_000L / rate,
                TimeUnit.NANOSECONDS);
        await(() -> done[0] >= ops, seconds * 1000L + 30_000);
        task.cancel(false);
        driver.shutdown();
        // all changes in: the last of them reached every counted client, or a timeout says otherwise
        await(() -> observer.revision >= start + ops, 10_000);
        long end = observer.revision;
        await(
                () -> {
                    for (long r = start + 1; r <= end; r++) {
                        if (gen.tracker.count(r) < expected) {
                            return false;
                        }
                    }
                    return true;
                },
                20_000);
        gen.tracking = false;
        double wall = (System.nanoTime() - wall0) / 1e9;
        double serverShare = (ProcStats.cpuSeconds(server.pid) - serverCpu0) / wall;
        double generatorShare = (ProcStats.cpuSeconds(ProcessHandle.current().pid()) - generatorCpu0) / wall;
        Histogram h = new Histogram(3);
        Histogram joins = new Histogram(3);
        Histogram leaves = new Histogram(3);
        int incomplete = 0;
        for (long r = start + 1; r <= end; r++) {
            String key = gen.names.get(r);
            Long sentAt = key == null ? null : gen.sent.get(key);
            if (sentAt == null) {
                continue; // a change the driver did not make (none in this benchmark) or whose start it missed
            }
            if (gen.tracker.count(r) < expected) {
                incomplete++;
                continue;
            }
            long micros = Math.max(1, (gen.tracker.last(r) - sentAt) / 1000);
            h.recordValue(micros);
            (key.startsWith("J:") ? joins : leaves).recordValue(micros);
        }
        if (column != null) {
            row.values.put(
                    column + " p50 / p99",
                    ms(h.getValueAtPercentile(50) / 1000.0) + " / " + ms(h.getValueAtPercentile(99) / 1000.0)
                            + (incomplete > 0 ? " (" + incomplete + " incomplete)" : ""));
        }
        log(
                "%s: %d of %d changes, p50 %s, p99 %s, max %s, incomplete %d; CPU: server %.0f %%, generator %.0f %%;"
                        + " joins p50 %s max %s, leaves p50 %s max %s",
                label,
                h.getTotalCount(),
                ops,
                ms(h.getValueAtPercentile(50) / 1000.0),
                ms(h.getValueAtPercentile(99) / 1000.0),
                ms(h.getMaxValue() / 1000.0),
                incomplete,
                serverShare * 100,
                generatorShare * 100,
                ms(joins.getValueAtPercentile(50) / 1000.0),
                ms(joins.getMaxValue() / 1000.0),
                ms(leaves.getValueAtPercentile(50) / 1000.0),
                ms(leaves.getMaxValue() / 1000.0));
        return h;
    }

    static void print(List<Row> rows) {
        List<String> columns = new ArrayList<>();
        for (Row r : rows) {
            r.values.keySet().stream().filter(k -> !columns.contains(k)).forEach(columns::add);
        }
        StringBuilder out = new StringBuilder("\n| N |");
        columns.forEach(c -> out.append(' ').append(c).append(" |"));
        out.append("\n| --- |");
        columns.forEach(c -> out.append(" --- |"));
        for (Row r : rows) {
            out.append("\n| ").append(r.n).append(" |");
            columns.forEach(
                    c -> out.append(' ').append(r.values.getOrDefault(c, "")).append(" |"));
        }
        System.out.println(out);
        for (Row r : rows) {
            r.values.forEach((k, v) -> System.out.println(
                    "RESULT saturn-scale N=" + r.n + " " + r.values.get("registrar") + " | " + k + " = " + v));
        }
    }
}
