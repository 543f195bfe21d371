package services.ergo.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import services.ergo.gen.Network;
import services.ergo.gen.NetworkStats;
import services.ergo.gen.Node;
import services.ergo.gen.NodeInfo;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.ProcessShortInfo;

/**
 * Publishes a node's {@code ergo_*} series to Micrometer: the seed's ten base series under exactly its names, and
 * the counters the Go metrics actor adds (processes spawned and terminated, applications, connections, handshake
 * errors, events, the deepest mailboxes). Every series carries the tag {@code node}; the per-remote-node series
 * also {@code remote_node}. The Spring Boot starter binds it to every {@code MeterRegistry}; without Spring, bind
 * it yourself:
 *
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry();          // or a PrometheusMeterRegistry
 * ErgoMetrics metrics = new ErgoMetrics(node, ErgoMetrics.Options.defaults().withTopMailboxes(5));
 * metrics.bindTo(registry);
 * registry.get("ergo.processes").functionCounter().count();   // ergo_processes_total
 * metrics.close();                                             // stops the refresh thread
 * }</pre>
 *
 * <p>Gauges read the node when scraped (its {@link NodeInfo} is cached for a fraction of a second so one scrape
 * reads it once). The remote nodes and the top mailboxes change, so a background task looks at them every
 * refresh interval and registers what is new.
 */
public final class ErgoMetrics implements MeterBinder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ErgoMetrics.class);
    private static final long INFO_CACHE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /**
     * What the binder publishes beyond the fixed series, and how often it looks again. Defaults ({@link
     * #defaults()}): the {@value #DEFAULT_TOP_MAILBOXES} deepest mailboxes, refreshed every 5 seconds.
     *
     * <pre>{@code
     * ErgoMetrics.Options.defaults().withTopMailboxes(0).withRefreshInterval(Duration.ofSeconds(1));
     * }</pre>
     *
     * @param topMailboxes how many of the deepest mailboxes to publish as {@code ergo_process_mailbox_depth}; 0
     *     publishes none
     * @param refreshInterval how often newly connected nodes get their series and the deepest mailboxes are ranked
     *     again; at least {@link #MIN_REFRESH_INTERVAL}
     */
    public record Options(int topMailboxes, Duration refreshInterval) {
        public static final int DEFAULT_TOP_MAILBOXES = 10;
        public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);
        // ranking the mailboxes walks every process: more often than this would cost the node more than it tells
        public static final Duration MIN_REFRESH_INTERVAL = Duration.ofMillis(100);

        public Options {
            if (topMailboxes < 0) {
                throw new IllegalArgumentException("topMailboxes must be >= 0, got " + topMailboxes);
            }
            if (refreshInterval == null || refreshInterval.compareTo(MIN_REFRESH_INTERVAL) < 0) {
                throw new IllegalArgumentException("refreshInterval must be at least 100ms, got " + refreshInterval);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_TOP_MAILBOXES, DEFAULT_REFRESH_INTERVAL);
        }

        public Options withTopMailboxes(int value) {
            return new Options(value, refreshInterval);
        }

        public Options withRefreshInterval(Duration value) {
            return new Options(topMailboxes, value);
        }
    }

    private final Node node;
    private final Options options;
    private final Set<String> remotesBound = ConcurrentHashMap.newKeySet();
    private final List<MeterRegistry> registries = new ArrayList<>();
    private final List<MultiGauge> mailboxGauges = new ArrayList<>();
    /** Null until the first read. */
    private volatile @Nullable NodeInfo info;

    private volatile long infoAt;
    /** Null until the first bind, and after close. */
    private @Nullable ScheduledExecutorService refresher;

    /** The node's series with the {@linkplain Options#defaults() default options}. */
    public ErgoMetrics(Node node) {
        this(node, Options.defaults());
    }

    /** The same as {@code new ErgoMetrics(node, new Options(topMailboxes, refreshInterval))}. */
    public ErgoMetrics(Node node, int topMailboxes, Duration refreshInterval) {
        this(node, new Options(topMailboxes, refreshInterval));
    }

    public ErgoMetrics(Node node, Options options) {
        this.node = node;
        this.options = options;
    }

    /** The options it was made with (the starter's properties default to {@link Options#defaults()}). */
    public Options options() {
        return options;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of("node", node.name());
        gauge(registry, "ergo.node.uptime", "seconds", "Node uptime", tags, i -> i.uptimeMillis() / 1000.0);
        // The seed's ergo_processes_total and ergo_connected_nodes_total are counts that go down. Prometheus' data
        // model reserves the _total suffix for counters, so a gauge cannot carry these names: they are published as
        // counters to keep the seed's names. Read them as values; rate() of them means nothing.
        counter(registry, "ergo.processes", "Total process count", tags, NodeInfo::processesTotal);
        gauge(registry, "ergo.processes.running", null, "Actively processing", tags, NodeInfo::processesRunning);
        gauge(registry, "ergo.memory.used", "bytes", "Memory from OS", tags, NodeInfo::memoryUsedBytes);
        gauge(registry, "ergo.memory.alloc", "bytes", "Heap allocation", tags, NodeInfo::memoryAllocBytes);
        gauge(registry, "ergo.applications.loaded", null, "Applications loaded", tags, NodeInfo::applicationsTotal);
        gauge(registry, "ergo.applications.running", null, "Applications running", tags, i -> i.applicationsRunning());
        counter(registry, "ergo.processes.spawned", "Processes spawned", tags, NodeInfo::processesSpawned);
        counter(registry, "ergo.processes.terminated", "Processes terminated", tags, NodeInfo::processesTerminated);
        counter(registry, "ergo.events.published", "Events published", tags, NodeInfo::eventsPublished);
        counter(registry, "ergo.send.errors", "Sends that failed at the sender", tags, NodeInfo::sendErrors);
        counter(registry, "ergo.call.errors", "Calls that failed or timed out", tags, NodeInfo::callErrors);
        Network network = network();
        if (network != null) {
            FunctionCounter.builder(
                            "ergo.connected.nodes",
                            network,
                            n -> node.isAlive() ? n.nodes().size() : 0)
                    .description("Remote connections")
                    .tags(tags)
                    .register(registry);
            networkCounter(
                    registry,
                    network,
                    "ergo.connections.established",
                    "Connections established",
                    tags,
                    null,
                    s -> s.connects());
            networkCounter(
                    registry, network, "ergo.connections.lost", "Connections lost", tags, null, s -> s.disconnects());
            networkCounter(
                    registry,
                    network,
                    "ergo.handshake.errors",
                    "Handshakes refused or failed",
                    tags,
                    null,
                    s -> s.handshakeFailures());
            networkCounter(
                    registry,
                    network,
                    "ergo.protocol.errors",
                    "Connections closed for bad input",
                    tags,
                    null,
                    s -> s.protocolErrors());
            networkCounter(
                    registry,
                    network,
                    "ergo.outbox.full",
                    "Messages refused because a node's outbox was full",
                    tags,
                    null,
                    s -> s.outboxFull());
            // one series per kind the network lists (always all of them), so a dashboard can alert on any
            for (String kind : network.refusals().keySet()) {
                FunctionCounter.builder(
                                "ergo.network.refusals",
                                network,
                                n -> node.isAlive() ? n.refusals().getOrDefault(kind, 0L) : 0)
                        .description("What the network refused from other nodes, by kind (see docs/security.md)")
                        .tags(tags.and("kind", kind))
                        .register(registry);
            }
        }
        if (options.topMailboxes() > 0) {
            mailboxGauges.add(MultiGauge.builder("ergo.process.mailbox.depth")
                    .description("Messages waiting in the deepest mailboxes")
                    .tags(tags)
                    .register(registry));
        }
        if (network != null) {
            // refresh() binds only nodes it has not seen yet: those seen for an earlier registry get theirs here
            for (String remote : remotesBound) {
                bindRemote(registry, network, tags, remote);
            }
        }
        registries.add(registry);
        refresh();
        if (refresher == null) {
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ergo-metrics-" + node.name());
                t.setDaemon(true);
                return t;
            });
            long every = options.refreshInterval().toMillis();
            refresher.scheduleWithFixedDelay(this::refreshQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private @Nullable Network network() {
        try {
            return node.network();
        } catch (NotAllowedException off) {
            return null;
        }
    }

    private void gauge(
            MeterRegistry registry,
            String name,
            @Nullable String unit,
            String description,
            Tags tags,
            ToDoubleFunction<NodeInfo> value) {
        Gauge.builder(name, this, m -> m.read(value))
                .description(description)
                .baseUnit(unit)
                .tags(tags)
                .register(registry);
    }

    private void counter(
            MeterRegistry registry, String name, String description, Tags tags, ToDoubleFunction<NodeInfo> value) {
        FunctionCounter.builder(name, this, m -> m.read(value))
                .description(description)
                .tags(tags)
                .register(registry);
    }

    private void networkCounter(
            MeterRegistry registry,
            Network network,
            String name,
            String description,
            Tags tags,
            @Nullable String remote,
            ToDoubleFunction<NetworkStats> value) {
        FunctionCounter.builder(name, network, n -> {
                    NetworkStats s = node.isAlive() ? n.stats(remote) : null;
                    return s == null ? 0 : value.applyAsDouble(s);
                })
                .description(description)
                .tags(remote == null ? tags : tags.and("remote_node", remote))
                .register(registry);
    }

    private double read(ToDoubleFunction<NodeInfo> value) {
        NodeInfo i = info;
        long now = System.nanoTime();
        if (i == null || now - infoAt > INFO_CACHE_NANOS) {
            if (!node.isAlive()) {
                return i == null ? Double.NaN : value.applyAsDouble(i);
            }
            i = node.info();
            info = i;
            infoAt = now;
        }
        return value.applyAsDouble(i);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.debug("node {}: metrics refresh failed: {}", node.name(), e.toString());
        }
    }

    /** Registers the series of newly connected nodes and re-ranks the deepest mailboxes. */
    synchronized void refresh() {
        if (!node.isAlive()) {
            return;
        }
        Tags tags = Tags.of("node", node.name());
        Network network = network();
        if (network != null) {
            for (String remote : network.nodes()) {
                if (remotesBound.add(remote)) {
                    for (MeterRegistry registry : registries) {
                        bindRemote(registry, network, tags, remote);
                    }
                }
            }
        }
        if (options.topMailboxes() > 0) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (ProcessShortInfo p : deepestMailboxes()) {
                String name = p.name() == null || p.name().isEmpty() ? "" : p.name();
                rows.add(MultiGauge.Row.of(Tags.of("pid", p.pid().toString(), "process_name", name), p.mailboxDepth()));
            }
            mailboxGauges.forEach(g -> g.register(rows, true));
        }
    }

    private void bindRemote(MeterRegistry registry, Network network, Tags tags, String remote) {
        networkCounter(
                registry,
                network,
                "ergo.remote.messages.in",
                "Messages received per node",
                tags,
                remote,
                s -> s.messagesIn());
        networkCounter(
                registry,
                network,
                "ergo.remote.messages.out",
                "Messages sent per node",
                tags,
                remote,
                s -> s.messagesOut());
        networkCounter(
                registry, network, "ergo.remote.bytes.in", "Bytes received per node", tags, remote, s -> s.bytesIn());
        networkCounter(
                registry, network, "ergo.remote.bytes.out", "Bytes sent per node", tags, remote, s -> s.bytesOut());
        Gauge.builder("ergo.remote.outbox", network, n -> {
                    NetworkStats s = node.isAlive() ? n.stats(remote) : null;
                    return s == null ? 0 : s.outboxBytes();
                })
                .description("Bytes waiting for the node to read them")
                .baseUnit("bytes")
                .tags(tags.and("remote_node", remote))
                .register(registry);
    }

    private List<ProcessShortInfo> deepestMailboxes() {
        PriorityQueue<ProcessShortInfo> top =
                new PriorityQueue<>(Comparator.comparingLong(ProcessShortInfo::mailboxDepth));
        node.forEachProcess(p -> {
            if (p.mailboxDepth() > 0) {
                top.add(p);
                if (top.size() > options.topMailboxes()) {
                    top.poll();
                }
            }
        });
        List<ProcessShortInfo> result = new ArrayList<>(top);
        result.sort(Comparator.comparingLong(ProcessShortInfo::mailboxDepth).reversed());
        return result;
    }

    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
            refresher = null;
        }
    }
}
