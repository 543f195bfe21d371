package services.ergo.benchmark.saturn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.registrar.etcd.EtcdRegistrar;
import services.ergo.registrar.etcd.EtcdRegistrarOptions;
import services.ergo.testkit.EtcdServer;

/**
 * Our own etcd registrar at N: N real nodes in this JVM, each with its {@link EtcdRegistrar} (its own jetcd
 * client, lease and watch, as in production), on one etcd. Cold start: all start at once (32 at a time), until
 * every node lists all N. Churn of 10 a second: a node starts or stops; from its registration (or its stop) to
 * the moment the last of the N nodes resolves it (or no longer does). It is run up to the largest N it holds.
 */
final class EtcdRegistrarScale {
    private EtcdRegistrarScale() {}

    static SaturnScale.Row run(int n, SaturnScale.Settings s) throws Exception {
        SaturnScale.Row row = new SaturnScale.Row(n);
        row.values.put("registrar", "our etcd registrar (a jetcd client per node)");
        List<Node> nodes = new ArrayList<>();
        ExecutorService starter = Executors.newFixedThreadPool(32);
        try (EtcdServer etcd = EtcdServer.start()) {
            if (s.pin()) {
                ProcStats.pin(etcd.pid(), "0");
            }
            EtcdRegistrarOptions options = EtcdRegistrarOptions.defaults()
                    .withEndpoints(etcd.endpoint())
                    .withCluster("scale");
            long t0 = System.nanoTime();
            List<Future<Node>> started = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "n" + i + "@localhost";
                started.add(starter.submit(() -> start(name, options)));
            }
            try {
                for (Future<Node> f : started) {
                    nodes.add(f.get(180, TimeUnit.SECONDS));
                }
            } catch (Exception failed) {
                row.values.put("cold start 100 %", "stops: " + rootCause(failed) + " after " + nodes.size() + " nodes");
                return row;
            }
            boolean all = SaturnScale.await(
                    () -> nodes.stream()
                            .allMatch(node -> node.network().registrar().nodes().size() >= n),
                    180_000);
            row.values.put("cold start 100 %", all ? SaturnScale.ms((System.nanoTime() - t0) / 1e6) : "> 180 s");
            System.err.printf(
                    Locale.ROOT,
                    "[saturn-scale] etcd registrar N=%d cold start %s, %d threads%n",
                    n,
                    row.values.get("cold start 100 %"),
                    Thread.activeCount());
            if (!all) {
                return row;
            }
            long rss = ProcStats.rssBytes(etcd.pid());
            row.values.put("server RSS", String.format(Locale.ROOT, "%.0f MB", rss / 1048576.0));
            Histogram h = new Histogram(3);
            ArrayDeque<Node> pool = new ArrayDeque<>();
            int ops = Math.max(2, 10 * s.churnSeconds());
            long period = 100_000_000L;
            long next = System.nanoTime();
            for (int k = 0; k < ops; k++) {
                next += period;
                boolean join = pool.isEmpty() || k % 2 == 0;
                String name;
                long at;
                if (join) {
                    name = "c" + k + "@localhost";
                    Node c = start(name, options);
                    at = ((EtcdRegistrar) c.network().registrar()).registeredAtNanos();
                    pool.addLast(c);
                } else {
                    Node c = pool.removeFirst();
                    name = c.name();
                    at = System.nanoTime();
                    c.stop();
                }
                boolean present = join;
                SaturnScale.await(
                        () -> nodes.stream()
                                .allMatch(node ->
                                        node.network().registrar().resolve(name).isPresent() == present),
                        30_000);
                h.recordValue(Math.max(1, (System.nanoTime() - at) / 1000));
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // paced at 10 a second, as the other columns
                }
            }
            pool.forEach(Node::stopForce);
            String v = SaturnScale.ms(h.getValueAtPercentile(50) / 1000.0) + " / "
                    + SaturnScale.ms(h.getValueAtPercentile(99) / 1000.0);
            row.values.put("churn 10/s p50 / p99", v);
            System.err.printf(Locale.ROOT, "[saturn-scale] etcd registrar N=%d churn 10/s %s%n", n, v);
        } finally {
            starter.shutdownNow();
            nodes.parallelStream().forEach(Node::stopForce);
        }
        return row;
    }

    private static Node start(String name, EtcdRegistrarOptions options) {
        return Ergo.startNode(
                name,
                NodeOptions.builder()
                        .cookie("scale")
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new EtcdRegistrar(options))
                        .build());
    }

    private static String rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
