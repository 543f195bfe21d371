package services.ergo.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import services.ergo.act.Actor;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.testkit.ErgoTestKit;
import services.ergo.testkit.TestProbe;

/**
 * Two plain-Java nodes over TCP, no Spring: the seed's {@code ergo_*} series show what the seed node did, in a
 * {@link SimpleMeterRegistry}. Micrometer names are dotted ({@code ergo.remote.messages.out}); a Prometheus
 * registry writes them as the seed's names ({@code ergo_remote_messages_out_total}).
 */
class ErgoMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MESSAGES = 5;

    /** Answers every message with the same message, to whoever sent it. */
    static final class Echo extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) {
            send(from, message);
        }
    }

    /** Holds its first message until released, so the ones after it wait in its mailbox. */
    static final class Stuck extends Actor {
        private CountDownLatch release;

        @Override
        protected void init(Object... args) {
            release = (CountDownLatch) args[0];
        }

        @Override
        protected void handleMessage(Pid from, Object message) throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
        }
    }

    private final ErgoTestKit kit = new ErgoTestKit(NodeOptions.builder()
            .cookie("metrics")
            .callTimeout(Duration.ofSeconds(3))
            .network(NetworkOptions.on().withPort(0))
            // a registrar of each node's own: the test never meets one something else on the machine serves
            .registrar(() ->
                    new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults().withPort(0)))
            .build());
    private final List<ErgoMetrics> bound = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private Node seed;
    private Node peer;

    @BeforeEach
    void startTwoNodes() {
        seed = kit.startNode("seed@localhost");
        peer = kit.startNode("peer@localhost");
        seed.network().addRoute(peer.name(), peer.network().acceptor());
        peer.network().addRoute(seed.name(), seed.network().acceptor());
        peer.spawnRegister("echo", Echo::new, ProcessOptions.defaults());
    }

    @AfterEach
    void stop() {
        release.countDown();
        bound.forEach(ErgoMetrics::close);
        kit.close();
    }

    private ErgoMetrics bind(Node node, ErgoMetrics.Options options, MeterRegistry registry) {
        ErgoMetrics metrics = new ErgoMetrics(node, options);
        bound.add(metrics);
        metrics.bindTo(registry);
        return metrics;
    }

    private static double count(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private static double gauge(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    /** A seed process sends to the peer's echo and takes the answers back. */
    private void talk() {
        TestProbe probe = TestProbe.spawn(seed);
        for (int i = 0; i < MESSAGES; i++) {
            probe.send(new ProcessId("echo", peer.name()), "ping " + i);
        }
        for (int i = 0; i < MESSAGES; i++) {
            assertThat(probe.expectMessage(WAIT)).isEqualTo("ping " + i);
        }
    }

    @Test
    void aPlainNodePublishesWhatItDidAsTheSeedsSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        bind(seed, ErgoMetrics.Options.defaults().withRefreshInterval(Duration.ofMillis(100)), registry);
        long before = seed.info().processesTotal();

        seed.spawn(Echo::new, ProcessOptions.defaults());
        seed.spawn(Echo::new, ProcessOptions.defaults());
        talk(); // the probe is a third process

        String node = "seed@localhost";
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(count(registry, "ergo.processes", "node", node)).isEqualTo(before + 3);
            assertThat(count(registry, "ergo.processes.spawned", "node", node))
                    .isEqualTo(seed.info().processesSpawned());
            assertThat(count(registry, "ergo.connected.nodes", "node", node)).isEqualTo(1);
            // counted per lane: one connection is a pool of three TCP connections by default
            assertThat(count(registry, "ergo.connections.established", "node", node))
                    .isEqualTo(3);
            // the per-remote-node series appear once the refresh saw the connection
            String[] remote = {"node", node, "remote_node", "peer@localhost"};
            assertThat(count(registry, "ergo.remote.messages.out", remote)).isEqualTo(MESSAGES);
            assertThat(count(registry, "ergo.remote.messages.in", remote)).isEqualTo(MESSAGES);
            assertThat(count(registry, "ergo.remote.bytes.out", remote))
                    .isEqualTo(seed.network().stats("peer@localhost").bytesOut())
                    .isPositive();
            assertThat(count(registry, "ergo.remote.bytes.in", remote))
                    .isEqualTo(seed.network().stats("peer@localhost").bytesIn())
                    .isPositive();
        });
        assertThat(gauge(registry, "ergo.node.uptime", "node", node)).isPositive();
        assertThat(registry.get("ergo.node.uptime").gauge().getId().getBaseUnit())
                .isEqualTo("seconds");
        assertThat(gauge(registry, "ergo.memory.alloc", "node", node)).isPositive();
        assertThat(count(registry, "ergo.handshake.errors", "node", node)).isZero();
        assertThat(count(registry, "ergo.outbox.full", "node", node)).isZero();
        assertThat(count(registry, "ergo.network.refusals", "node", node, "kind", "name-held"))
                .isZero();
        assertThat(registry.get("ergo.network.refusals").functionCounters()).hasSize(5);
        assertThat(registry.get("ergo.remote.outbox")
                        .tag("remote_node", "peer@localhost")
                        .gauge()
                        .getId()
                        .getBaseUnit())
                .isEqualTo("bytes");
        assertThat(count(registry, "ergo.send.errors", "node", node)).isZero();
        assertThat(registry.get("ergo.processes").meter().getId().getDescription())
                .isEqualTo("Total process count");
        assertThat(registry.find("ergo.remote.messages.out")
                        .tag("remote_node", "seed@localhost")
                        .meters())
                .as("no series for the node itself")
                .isEmpty();
    }

    @Test
    void theSeriesAreTheSeedsFamilies() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        bind(seed, ErgoMetrics.Options.defaults().withRefreshInterval(Duration.ofMillis(100)), registry);
        talk();
        await().atMost(WAIT)
                .until(() -> !registry.find("ergo.remote.messages.out").meters().isEmpty());

        Set<String> counters = new TreeSet<>();
        Set<String> gauges = new TreeSet<>();
        for (Meter m : registry.getMeters()) {
            (m instanceof FunctionCounter ? counters : gauges).add(m.getId().getName());
        }
        assertThat(counters)
                .containsExactly(
                        "ergo.call.errors",
                        "ergo.connected.nodes",
                        "ergo.connections.established",
                        "ergo.connections.lost",
                        "ergo.events.published",
                        "ergo.handshake.errors",
                        "ergo.network.refusals",
                        "ergo.outbox.full",
                        "ergo.processes",
                        "ergo.processes.spawned",
                        "ergo.processes.terminated",
                        "ergo.protocol.errors",
                        "ergo.remote.bytes.in",
                        "ergo.remote.bytes.out",
                        "ergo.remote.messages.in",
                        "ergo.remote.messages.out",
                        "ergo.send.errors");
        // ergo.process.mailbox.depth is a MultiGauge: no meter until a mailbox holds something
        assertThat(gauges)
                .containsExactly(
                        "ergo.applications.loaded",
                        "ergo.applications.running",
                        "ergo.memory.alloc",
                        "ergo.memory.used",
                        "ergo.node.uptime",
                        "ergo.processes.running",
                        "ergo.remote.outbox");
    }

    @Test
    void aPrometheusRegistryWritesThemUnderTheSeedsNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bind(seed, ErgoMetrics.Options.defaults().withRefreshInterval(Duration.ofMillis(100)), registry);
        talk();
        String out = "ergo_remote_messages_out_total{node=\"seed@localhost\",remote_node=\"peer@localhost\"} 5.0";
        await().atMost(WAIT).until(() -> registry.scrape().contains(out));

        String scrape = registry.scrape();
        assertThat(scrape.lines().filter(l -> l.startsWith("# TYPE ergo_")))
                .containsExactlyInAnyOrder(
                        "# TYPE ergo_node_uptime_seconds gauge",
                        "# TYPE ergo_processes_total counter",
                        "# TYPE ergo_processes_running gauge",
                        "# TYPE ergo_memory_used_bytes gauge",
                        "# TYPE ergo_memory_alloc_bytes gauge",
                        "# TYPE ergo_connected_nodes_total counter",
                        "# TYPE ergo_remote_messages_in_total counter",
                        "# TYPE ergo_remote_messages_out_total counter",
                        "# TYPE ergo_remote_bytes_in_total counter",
                        "# TYPE ergo_remote_bytes_out_total counter",
                        "# TYPE ergo_processes_spawned_total counter",
                        "# TYPE ergo_processes_terminated_total counter",
                        "# TYPE ergo_applications_loaded gauge",
                        "# TYPE ergo_applications_running gauge",
                        "# TYPE ergo_connections_established_total counter",
                        "# TYPE ergo_connections_lost_total counter",
                        "# TYPE ergo_handshake_errors_total counter",
                        "# TYPE ergo_protocol_errors_total counter",
                        "# TYPE ergo_outbox_full_total counter",
                        "# TYPE ergo_network_refusals_total counter",
                        "# TYPE ergo_remote_outbox_bytes gauge",
                        "# TYPE ergo_events_published_total counter",
                        "# TYPE ergo_send_errors_total counter",
                        "# TYPE ergo_call_errors_total counter");
        assertThat(scrape).contains("ergo_connected_nodes_total{node=\"seed@localhost\"} 1.0");
    }

    @Test
    void theDeepestMailboxesAreRankedByDepth() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        bind(seed, new ErgoMetrics.Options(1, Duration.ofMillis(100)), registry);
        Pid stuck = seed.spawnRegister("stuck", Stuck::new, ProcessOptions.defaults(), release);
        for (int i = 0; i < 4; i++) {
            seed.send(stuck, i);
        }
        // an unbounded mailbox counts the message in hand until the turn ends, so the held one counts too

        await().atMost(WAIT).untilAsserted(() -> {
            Search depth = registry.find("ergo.process.mailbox.depth");
            assertThat(depth.gauges()).hasSize(1);
            assertThat(depth.tag("pid", stuck.toString())
                            .tag("process_name", "stuck")
                            .gauge()
                            .value())
                    .isEqualTo(4);
        });
        release.countDown();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                registry.find("ergo.process.mailbox.depth").gauges())
                        .as("an empty mailbox is not among the deepest")
                        .isEmpty());
    }

    @Test
    void aSecondRegistryGetsTheSeriesOfNodesConnectedBeforeIt() {
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        ErgoMetrics metrics =
                bind(seed, ErgoMetrics.Options.defaults().withRefreshInterval(Duration.ofMillis(100)), first);
        talk();
        String[] remote = {"node", "seed@localhost", "remote_node", "peer@localhost"};
        await().atMost(WAIT)
                .until(() -> !first.find("ergo.remote.messages.out").meters().isEmpty());

        SimpleMeterRegistry second = new SimpleMeterRegistry();
        metrics.bindTo(second);
        assertThat(count(second, "ergo.remote.messages.out", remote)).isEqualTo(MESSAGES);
        assertThat(count(second, "ergo.remote.bytes.in", remote))
                .isEqualTo(count(first, "ergo.remote.bytes.in", remote));
    }

    @Test
    void aLocalNodeHasNoNetworkSeries() {
        Node local = kit.startNode(
                "local@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        bind(local, ErgoMetrics.Options.defaults(), registry);

        assertThat(count(registry, "ergo.processes", "node", "local@localhost"))
                .isEqualTo(local.info().processesTotal());
        assertThat(registry.find("ergo.connected.nodes").meters()).isEmpty();
        assertThat(registry.find("ergo.handshake.errors").meters()).isEmpty();
    }

    @Test
    void closeStopsTheRefreshThread() {
        ErgoMetrics metrics = bind(seed, ErgoMetrics.Options.defaults(), new SimpleMeterRegistry());
        assertThat(refreshThreadRuns()).isTrue();
        metrics.close();
        await().atMost(WAIT).until(() -> !refreshThreadRuns());
    }

    private static boolean refreshThreadRuns() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("ergo-metrics-seed@localhost") && t.isAlive());
    }

    @Test
    void optionsRefuseWhatCannotWork() {
        assertThat(ErgoMetrics.Options.defaults())
                .isEqualTo(new ErgoMetrics.Options(10, Duration.ofSeconds(5)))
                .isEqualTo(new ErgoMetrics(seed).options());
        assertThatThrownBy(() -> new ErgoMetrics(seed, -1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topMailboxes must be >= 0");
        assertThatThrownBy(() -> ErgoMetrics.Options.defaults().withRefreshInterval(Duration.ofMillis(99)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 100ms");
    }
}
