package services.ergo.benchmark;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import services.ergo.Ergo;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarEvent;
import services.ergo.registrar.etcd.EtcdRegistrar;
import services.ergo.registrar.etcd.EtcdRegistrarOptions;
import services.ergo.testkit.EtcdServer;
import services.ergo.testkit.TestProbe;

/**
 * The etcd scenarios. The peer here is not Pekko but raw jetcd on the same etcd: the floor a registrar built on
 * etcd cannot beat. {@code etcd-discovery}: a node registers → another node's mirror shows it (ours: from the
 * node's create transaction, its connection and lease ready, to the NodeJoined event in a process of the other
 * node; floor: a put → the watch event, on connected clients).
 * {@code etcd-resolve}: the cost of one resolve (ours: from the mirror; floor: a GET).
 */
final class EtcdBench {
    private EtcdBench() {}

    static List<Measurement> run(String side, String scenario, boolean smoke) throws Exception {
        try (EtcdServer etcd = EtcdServer.start()) {
            return switch (scenario) {
                case "etcd-discovery" ->
                    side.equals("ours") ? discovery(etcd, smoke ? 10 : 200) : putToWatch(etcd, smoke ? 10 : 200);
                case "etcd-node-left" -> nodeLeft(side, etcd, smoke ? 1 : 5);
                case "etcd-resolve" ->
                    side.equals("ours") ? resolve(etcd, smoke ? 10_000 : 2_000_000) : get(etcd, smoke ? 100 : 5_000);
                default -> throw new IllegalArgumentException(scenario);
            };
        }
    }

    private static EtcdRegistrarOptions options(EtcdServer etcd) {
        return EtcdRegistrarOptions.defaults()
                .withEndpoints(etcd.endpoint())
                .withCluster("bench")
                .withLeaseTtl(TTL);
    }

    private static Node node(String name, EtcdServer etcd) {
        return Ergo.startNode(
                name,
                NodeOptions.builder()
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new EtcdRegistrar(options(etcd)))
                        .build());
    }

    private static List<Measurement> discovery(EtcdServer etcd, int rounds) {
        Node watcher = node("watcher@localhost", etcd);
        try {
            TestProbe probe = TestProbe.spawn(watcher);
            probe.monitorEvent(watcher.network().registrar().event().orElseThrow());
            Histogram h = new Histogram(3);
            for (int i = 0; i < rounds + rounds / 5; i++) {
                Node n = node("n" + i + "@localhost", etcd);
                long t1 = 0;
                while (t1 == 0) {
                    MessageEvent e = probe.expectEvent(Duration.ofSeconds(10));
                    if (e.message() instanceof RegistrarEvent.NodeJoined j
                            && j.node().equals(n.name())) {
                        t1 = System.nanoTime();
                    }
                }
                if (i >= rounds / 5) { // the first fifth warms up
                    h.recordValue(t1 - ((EtcdRegistrar) n.network().registrar()).registeredAtNanos());
                }
                n.stop();
                while (!(probe.expectEvent(Duration.ofSeconds(10)).message() instanceof RegistrarEvent.NodeLeft)) {
                    // skip to the node's goodbye
                }
            }
            return percentiles("etcd-discovery", h);
        } finally {
            watcher.stopForce();
        }
    }

    private static List<Measurement> putToWatch(EtcdServer etcd, int rounds) throws Exception {
        try (Client writer = Client.builder().endpoints(etcd.endpoint()).build();
                Client reader = Client.builder().endpoints(etcd.endpoint()).build()) {
            BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
            // watch() returns before etcd has created the watch; without a start revision, a put made in between
            // is never reported (CI saw "no watch event for put 0"). From the revision after now, none is lost.
            try (Watch.Watcher w = reader.getWatchClient()
                    .watch(
                            bytes("floor/"),
                            WatchOption.builder()
                                    .isPrefix(true)
                                    .withRevision(nextRevision(reader))
                                    .build(),
                            r -> r.getEvents().forEach(e -> seen.add(System.nanoTime())))) {
                Histogram h = new Histogram(3);
                for (int i = 0; i < rounds + rounds / 5; i++) {
                    long t0 = System.nanoTime();
                    writer.getKVClient()
                            .put(bytes("floor/" + i), bytes("localhost:1"))
                            .get(10, TimeUnit.SECONDS);
                    Long t1 = seen.poll(10, TimeUnit.SECONDS);
                    if (t1 == null) {
                        throw new IllegalStateException("no watch event for put " + i);
                    }
                    if (i >= rounds / 5) {
                        h.recordValue(t1 - t0);
                    }
                }
                return percentiles("etcd-discovery", h);
            }
        }
    }

    private static List<Measurement> resolve(EtcdServer etcd, int count) {
        Node a = node("a@localhost", etcd);
        Node b = node("b@localhost", etcd);
        try {
            Registrar r = a.network().registrar();
            long found = 0;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    found += r.resolve("b@localhost").isPresent() ? 1 : 0;
                }
                double ns = (System.nanoTime() - t0) / (double) count;
                if (round == 2) {
                    if (found != 3L * count) {
                        throw new IllegalStateException("resolve missed");
                    }
                    return List.of(new Measurement("etcd-resolve", ns / 1000.0, "us", false));
                }
            }
            throw new IllegalStateException();
        } finally {
            a.stopForce();
            b.stopForce();
        }
    }

    private static List<Measurement> get(EtcdServer etcd, int count) throws Exception {
        try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            client.getKVClient()
                    .put(bytes("floor/b@localhost"), bytes("localhost:1"))
                    .get();
            double us = 0;
            for (int round = 0; round < 2; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    client.getKVClient().get(bytes("floor/b@localhost")).get(10, TimeUnit.SECONDS);
                }
                us = (System.nanoTime() - t0) / 1000.0 / count;
            }
            return List.of(new Measurement("etcd-resolve", us, "us", false));
        }
    }

    static final Duration TTL = Duration.ofSeconds(2);

    /**
     * A registered node in a JVM of its own is killed with SIGKILL: how long until another node's process hears
     * NodeLeft (ours), or until a watch sees the key of a raw jetcd client's lease go (floor). Both are bound by the
     * lease TTL, 2 s here; the median of the rounds.
     */
    private static List<Measurement> nodeLeft(String side, EtcdServer etcd, int rounds) throws Exception {
        double[] ms = new double[rounds];
        Node watcher = side.equals("ours") ? node("watcher@localhost", etcd) : null;
        try (Client reader = Client.builder().endpoints(etcd.endpoint()).build()) {
            for (int i = 0; i < rounds; i++) {
                BlockingQueue<Long> gone = new LinkedBlockingQueue<>();
                TestProbe probe = null;
                Watch.Watcher w = null;
                if (watcher != null) {
                    probe = TestProbe.spawn(watcher);
                    probe.monitorEvent(watcher.network().registrar().event().orElseThrow());
                } else {
                    w = reader.getWatchClient()
                            .watch(
                                    bytes("floor/victim"),
                                    WatchOption.builder()
                                            .withRevision(nextRevision(reader))
                                            .build(),
                                    r -> r.getEvents().forEach(e -> {
                                        if (e.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE) {
                                            gone.add(System.nanoTime());
                                        }
                                    }));
                }
                try (Peer victim = Peer.start(side, "etcd-node-left", "full", etcd.endpoint())) {
                    if (probe != null) {
                        while (!(probe.expectEvent(Duration.ofSeconds(10)).message()
                                instanceof RegistrarEvent.NodeJoined)) {
                            // wait until the victim is known
                        }
                    }
                    long t0 = System.nanoTime();
                    victim.process.destroyForcibly();
                    long t1;
                    if (probe != null) {
                        while (!(probe.expectEvent(Duration.ofSeconds(30)).message()
                                instanceof RegistrarEvent.NodeLeft)) {
                            // other events
                        }
                        t1 = System.nanoTime();
                    } else {
                        Long seen = gone.poll(30, TimeUnit.SECONDS);
                        if (seen == null) {
                            throw new IllegalStateException("the floor's key did not go");
                        }
                        t1 = seen;
                    }
                    ms[i] = (t1 - t0) / 1e6;
                } finally {
                    if (w != null) {
                        w.close();
                    }
                }
            }
        } finally {
            if (watcher != null) {
                watcher.stopForce();
            }
        }
        java.util.Arrays.sort(ms);
        return List.of(new Measurement("etcd-node-left", ms[rounds / 2], "ms", false));
    }

    /** The victim of {@code etcd-node-left}: registers (ours: a node; floor: a leased key) and waits to be killed. */
    static void peer(String side, String endpoint) throws Exception {
        if (side.equals("ours")) {
            Node n = Ergo.startNode(
                    "victim@localhost",
                    NodeOptions.builder()
                            .network(NetworkOptions.on().withPort(0))
                            .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults()
                                    .withEndpoints(endpoint)
                                    .withCluster("bench")
                                    .withLeaseTtl(TTL)))
                            .build());
            System.out.println("READY 0");
            n.await();
        } else {
            Client client = Client.builder().endpoints(endpoint).build();
            long lease = client.getLeaseClient().grant(TTL.toSeconds()).get().getID();
            client.getLeaseClient().keepAlive(lease, new io.grpc.stub.StreamObserver<>() {
                @Override
                public void onNext(io.etcd.jetcd.lease.LeaseKeepAliveResponse value) {}

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
            });
            client.getKVClient()
                    .put(
                            bytes("floor/victim"),
                            bytes("localhost:1"),
                            io.etcd.jetcd.options.PutOption.builder()
                                    .withLeaseId(lease)
                                    .build())
                    .get();
            System.out.println("READY 0");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static List<Measurement> percentiles(String name, Histogram h) {
        return List.of(
                new Measurement(name + "-p50", h.getValueAtPercentile(50) / 1e6, "ms", false),
                new Measurement(name + "-p99", h.getValueAtPercentile(99) / 1e6, "ms", false));
    }

    /** The revision after etcd's current one: a watch from it sees every change made after this call. */
    private static long nextRevision(Client client) throws Exception {
        return client.getKVClient()
                        .get(bytes("floor/"))
                        .get(10, TimeUnit.SECONDS)
                        .getHeader()
                        .getRevision()
                + 1;
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
