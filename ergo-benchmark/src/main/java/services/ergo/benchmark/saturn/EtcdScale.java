package services.ergo.benchmark.saturn;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import services.ergo.testkit.EtcdServer;

/**
 * The etcd column at the same N: the raw floor a registrar built on etcd cannot beat. Each simulated node holds
 * a lease (TTL 10 s, kept alive), puts its key under it, reads the prefix and watches it from the revision after
 * that read, as our etcd registrar does; the N leases and N watch streams share a few jetcd clients (one per 500
 * nodes: one client per node does not get far past 1 000 in one JVM). The same phases as Saturn's where etcd
 * has them: cold start, idle, churn (a join is a put, a leave a delete, from the call to the last watcher).
 */
final class EtcdScale {
    private static final String PREFIX = "/scale/nodes/";
    private static final int TTL_SECONDS = 10;

    private EtcdScale() {}

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** One simulated node's watch: the highest revision it holds. */
    private static final class Watcher {
        volatile long revision;
        volatile long readyAt;
        volatile boolean counted = true;
    }

    static SaturnScale.Row run(int n, SaturnScale.Settings s) throws Exception {
        SaturnScale.Row row = new SaturnScale.Row(n);
        row.values.put("registrar", "etcd floor (jetcd, " + Math.max(1, (n + 499) / 500) + " clients)");
        try (EtcdServer etcd = EtcdServer.start()) {
            if (s.pin()) {
                ProcStats.pin(etcd.pid(), "0");
            }
            int k = Math.max(1, (n + 499) / 500);
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                clients.add(Client.builder().endpoints(etcd.endpoint()).build());
            }
            List<Watch.Watcher> watches = new ArrayList<>();
            try {
                long rssBefore = ProcStats.rssBytes(etcd.pid());
                long base = clients.get(0)
                        .getKVClient()
                        .get(bytes("/"))
                        .get()
                        .getHeader()
                        .getRevision();
                long target = base + n;
                Tracker tracker = new Tracker(1 << 20);
                ConcurrentHashMap<Long, String> names = new ConcurrentHashMap<>();
                ConcurrentHashMap<String, Long> sent = new ConcurrentHashMap<>();
                boolean[] tracking = {false};
                AtomicInteger ready = new AtomicInteger();
                AtomicInteger failures = new AtomicInteger();
                List<Watcher> watchers = new ArrayList<>();
                long t0 = System.nanoTime();
                List<CompletableFuture<?>> started = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Client c = clients.get(i % k);
                    Watcher w = new Watcher();
                    watchers.add(w);
                    boolean observer = i == 0;
                    String key = PREFIX + "n" + i;
                    started.add(c.getLeaseClient()
                            .grant(TTL_SECONDS)
                            .thenCompose(lease -> {
                                c.getLeaseClient().keepAlive(lease.getID(), new StreamObserver<>() {
                                    @Override
                                    public void onNext(LeaseKeepAliveResponse value) {}

                                    @Override
                                    public void onError(Throwable t) {
                                        failures.incrementAndGet();
                                    }

                                    @Override
                                    public void onCompleted() {}
                                });
                                return c.getKVClient()
                                        .put(
                                                bytes(key),
                                                bytes("127.0.0.1:" + (1024 + key.hashCode() % 60000)),
                                                PutOption.builder()
                                                        .withLeaseId(lease.getID())
                                                        .build());
                            })
                            .thenCompose(put -> c.getKVClient()
                                    .get(
                                            bytes(PREFIX),
                                            GetOption.builder().isPrefix(true).build()))
                            .thenAccept(view -> {
                                long at = view.getHeader().getRevision();
                                w.revision = at;
                                if (at >= target && w.readyAt == 0) {
                                    w.readyAt = System.nanoTime();
                                    ready.incrementAndGet();
                                }
                                synchronized (watches) {
                                    watches.add(c.getWatchClient()
                                            .watch(
                                                    bytes(PREFIX),
                                                    WatchOption.builder()
                                                            .isPrefix(true)
                                                            .withRevision(at + 1)
                                                            .build(),
                                                    Watch.listener(
                                                            resp -> {
                                                                long now = System.nanoTime();
                                                                for (WatchEvent e : resp.getEvents()) {
                                                                    long r = e.getKeyValue()
                                                                            .getModRevision();
                                                                    if (observer) {
                                                                        names.put(
                                                                                r,
                                                                                (e.getEventType()
                                                                                                        == WatchEvent
                                                                                                                .EventType
                                                                                                                .PUT
                                                                                                ? "J:"
                                                                                                : "L:")
                                                                                        + e.getKeyValue()
                                                                                                .getKey());
                                                                    }
                                                                    if (tracking[0] && w.counted) {
                                                                        tracker.record(r - 1, r, now);
                                                                    }
                                                                    w.revision = Math.max(w.revision, r);
                                                                }
                                                                if (w.readyAt == 0 && w.revision >= target) {
                                                                    w.readyAt = now;
                                                                    ready.incrementAndGet();
                                                                }
                                                            },
                                                            t -> failures.incrementAndGet())));
                                }
                            }));
                }
                boolean all = SaturnScale.await(() -> ready.get() >= n, 180_000);
                long[] times = watchers.stream()
                        .mapToLong(w -> w.readyAt == 0 ? Long.MAX_VALUE : w.readyAt - t0)
                        .sorted()
                        .toArray();
                row.values.put(
                        "cold start 99 %",
                        times[Math.max(0, (int) Math.ceil(n * 0.99) - 1)] == Long.MAX_VALUE
                                ? "> 180 s"
                                : SaturnScale.ms(times[Math.max(0, (int) Math.ceil(n * 0.99) - 1)] / 1e6));
                row.values.put(
                        "cold start 100 %",
                        all ? SaturnScale.ms(times[n - 1] / 1e6) : "> 180 s (" + ready.get() + " of " + n + ")");
                System.err.printf(
                        Locale.ROOT,
                        "[saturn-scale] etcd N=%d cold start: %s / %s%n",
                        n,
                        row.values.get("cold start 99 %"),
                        row.values.get("cold start 100 %"));
                if (!all) {
                    row.values.put("client errors", Integer.toString(failures.get()));
                    return row;
                }
                Thread.sleep(2000); // as for Saturn: the cold start's work settles before the idle window
                double cpu0 = ProcStats.cpuSeconds(etcd.pid());
                long w0 = System.nanoTime();
                Thread.sleep(s.idleSeconds() * 1000L);
                double share =
                        ProcStats.coreShare(cpu0, ProcStats.cpuSeconds(etcd.pid()), (System.nanoTime() - w0) / 1e9);
                long rss = ProcStats.rssBytes(etcd.pid());
                row.values.put("idle CPU (server)", String.format(Locale.ROOT, "%.1f %% of a core", share * 100));
                row.values.put("RSS / node", SaturnScale.kb((rss - rssBefore) / (double) n));
                row.values.put("server RSS", String.format(Locale.ROOT, "%.0f MB", rss / 1048576.0));
                long churnLease =
                        clients.get(0).getLeaseClient().grant(600).get().getID();
                int[] serial = {0};
                for (int rate : new int[] {1, 10, 100}) {
                    int seconds = rate == 1 ? Math.max(s.churnSeconds(), 2) * 2 : s.churnSeconds();
                    int ops = Math.max(2, rate * seconds);
                    long start = watchers.get(0).revision;
                    tracking[0] = true;
                    ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
                    int[] done = {0};
                    var kv = clients.get(0).getKVClient();
                    var task = driver.scheduleAtFixedRate(
                            () -> {
                                if (done[0] >= ops) {
                                    return;
                                }
                                int j = serial[0];
                                if (done[0] % 2 == 0) {
                                    String key = PREFIX + "c" + j;
                                    sent.put("J:" + key, System.nanoTime());
                                    kv.put(
                                            bytes(key),
                                            bytes("127.0.0.1:2000"),
                                            PutOption.builder()
                                                    .withLeaseId(churnLease)
                                                    .build());
                                } else {
                                    String key = PREFIX + "c" + j;
                                    sent.put("L:" + key, System.nanoTime());
                                    kv.delete(bytes(key));
                                    serial[0]++;
                                }
                                done[0]++;
                            },
                            0,
                            1_000_000_000L / rate,
                            TimeUnit.NANOSECONDS);
                    SaturnScale.await(() -> done[0] >= ops, seconds * 1000L + 30_000);
                    task.cancel(false);
                    driver.shutdown();
                    SaturnScale.await(() -> watchers.get(0).revision >= start + ops, 10_000);
                    long end = watchers.get(0).revision;
                    SaturnScale.await(
                            () -> {
                                for (long r = start + 1; r <= end; r++) {
                                    if (tracker.count(r) < n) {
                                        return false;
                                    }
                                }
                                return true;
                            },
                            30_000);
                    tracking[0] = false;
                    Histogram h = new Histogram(3);
                    int incomplete = 0;
                    for (long r = start + 1; r <= end; r++) {
                        String key = names.get(r);
                        Long at = key == null ? null : sent.get(key);
                        if (at == null) {
                            continue;
                        }
                        if (tracker.count(r) < n) {
                            incomplete++;
                            continue;
                        }
                        h.recordValue(Math.max(1, (tracker.last(r) - at) / 1000));
                    }
                    String v = SaturnScale.ms(h.getValueAtPercentile(50) / 1000.0) + " / "
                            + SaturnScale.ms(h.getValueAtPercentile(99) / 1000.0)
                            + (incomplete > 0 ? " (" + incomplete + " incomplete)" : "");
                    row.values.put("churn " + rate + "/s p50 / p99", v);
                    System.err.printf(
                            Locale.ROOT,
                            "[saturn-scale] etcd N=%d churn %d/s: %s (%d changes)%n",
                            n,
                            rate,
                            v,
                            h.getTotalCount());
                }
                row.values.put("client errors", Integer.toString(failures.get()));
            } finally {
                synchronized (watches) {
                    watches.forEach(Watch.Watcher::close);
                }
                clients.forEach(Client::close);
            }
        }
        return row;
    }
}
