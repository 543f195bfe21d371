package services.ergo.saturn.server;

import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;
import services.ergo.saturn.protocol.FrameDecoder;
import services.ergo.saturn.protocol.NodeEntry;

/**
 * A Saturn server: the registrar service that nodes of large clusters keep one connection to. It holds each
 * cluster's nodes (route, metadata, applications) at a revision and pushes every change to every client of the
 * cluster, merged into one frame per client per round; clients that reconnect resume from the revision they hold.
 * This is the core without Spring, which tests and tools start in-process.
 *
 * <pre>{@code
 * try (SaturnServer server = SaturnServer.start(SaturnServerOptions.defaults()
 *         .withClusters(Map.of("production", "a-token-of-16-chars-or-more")))) {
 *     String address = "127.0.0.1:" + server.port(); // ergo.registrar.saturn.servers
 * }
 * }</pre>
 */
public final class SaturnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SaturnServer.class);

    private final SaturnServerOptions options;
    private final SaturnCounters counters = new SaturnCounters();
    private final Map<String, ClusterState> clusters = new TreeMap<>();
    /** Tells a restarted server from the one a client's revision came from: revisions restart with it. */
    private final long epoch = new SecureRandom().nextLong() & Long.MAX_VALUE | 1;

    private final DisposableServer bound;
    /** Set by {@link #close()}: connections closed by the stop remove no one (the others would hear it first). */
    private volatile boolean stopping;
    /** Every open connection, closed with the server (a stopped server leaves no client half-connected). */
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private final byte[] fingerprint;
    private final Admission admission;

    private SaturnServer(SaturnServerOptions options) {
        this.options = options;
        this.admission = new Admission(options.registrationsPerSecond(), options.registrationBurst());
        this.fingerprint = options.tls() == null ? new byte[0] : options.tls().fingerprint();
        options.clusters()
                .keySet()
                .forEach(name -> clusters.put(name, new ClusterState(name, options.historySize(), counters)));
        options.tokens()
                .forEach(t -> clusters.computeIfAbsent(
                        t.cluster(), name -> new ClusterState(name, options.historySize(), counters)));
        int queue = options.clientQueueBytes();
        long ttl = options.ttl().toMillis();
        TcpServer tcp = TcpServer.create()
                .host(options.host())
                .port(options.port())
                // a restart's herd connects at once: a short accept queue drops SYNs into second-long retries
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(queue / 2, queue))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .doOnConnection(conn -> {
                    channels.add(conn.channel());
                    FrameDecoder decoder = new FrameDecoder(options.limits(), true);
                    conn.addHandlerLast("saturn.idle", new IdleStateHandler(ttl, 0, 0, TimeUnit.MILLISECONDS));
                    conn.addHandlerLast("saturn.frames", decoder);
                    conn.addHandlerLast("saturn.session", new Session(this, decoder, conn.channel()));
                    // reactor-netty reads on demand of its own inbound flux, which we do not use: our handlers read
                    conn.channel().config().setAutoRead(true);
                })
                .handle((in, out) -> Mono.never());
        SaturnTls tls = options.tls();
        if (tls != null) {
            var context = tls.context();
            tcp = tcp.secure(spec -> spec.sslContext(context));
        }
        if (options.socketSendBufferBytes() > 0) {
            tcp = tcp.childOption(ChannelOption.SO_SNDBUF, options.socketSendBufferBytes());
        }
        this.bound = tcp.bindNow(Duration.ofSeconds(10));
        LOG.info("saturn server on {} for clusters {}", bound.address(), clusters.keySet());
    }

    /** Starts a server; {@link #close()} stops it. */
    public static SaturnServer start(SaturnServerOptions options) {
        return new SaturnServer(options);
    }

    public SaturnServerOptions options() {
        return options;
    }

    public SaturnCounters counters() {
        return counters;
    }

    /** The port it listens on (the chosen one when the options said 0). */
    public int port() {
        return ((InetSocketAddress) bound.address()).getPort();
    }

    /** {@code host:port}, as a client's server list names it. */
    public String address() {
        return options.host() + ":" + port();
    }

    /** This run's epoch: a client's revision is only good with the epoch it came with. */
    public long epoch() {
        return epoch;
    }

    /** The names of the clusters it serves now, in name order (for health and metrics). */
    public java.util.SortedSet<String> clusters() {
        synchronized (clusters) {
            return new java.util.TreeSet<>(clusters.keySet());
        }
    }

    /** Whether {@link #close()} was called: a closed server accepts and serves no one. */
    public boolean isClosed() {
        return stopping;
    }

    /** A cluster's revision now (0 before its first change); -1 for an unknown cluster. */
    public long revision(String cluster) {
        ClusterState c = clusters.get(cluster);
        return c == null ? -1 : c.revision();
    }

    /** A cluster's entries now, in name order: what a newcomer's snapshot holds. */
    public List<NodeEntry> entries(String cluster) {
        ClusterState c = clusters.get(cluster);
        return c == null ? List.of() : c.entries();
    }

    /** How many clients are registered to a cluster (hidden ones too). */
    public int sessions(String cluster) {
        ClusterState c = clusters.get(cluster);
        return c == null ? 0 : c.sessions.size();
    }

    /** The most bytes waiting to be sent to any one client of {@code cluster} now. */
    public long maxQueuedBytes(String cluster) {
        ClusterState c = clusters.get(cluster);
        return c == null
                ? 0
                : c.sessions.stream().mapToLong(Session::queuedBytes).max().orElse(0);
    }

    Admission admission() {
        return admission;
    }

    /** The token {@code id} of {@code cluster} ({@code ""}: the cluster's own); null when there is none. */
    @Nullable
    SaturnToken token(String cluster, String id) {
        if (id.isEmpty()) {
            String own = options.clusters().get(cluster);
            return own == null ? null : new SaturnToken(cluster, "own", own, null);
        }
        for (SaturnToken t : options.tokens()) {
            if (t.cluster().equals(cluster) && t.id().equals(id)) {
                return t;
            }
        }
        return null;
    }

    boolean stopping() {
        return stopping;
    }

    /**
     * Sets configuration {@code item} at {@code scope} in {@code cluster} and pushes it to the cluster's nodes:
     * scope {@code "*"} for every node, a node's full or short name for that node ({@code ConfigEntry}); the
     * value is typed by its prefix ({@code int:20}, {@code float:1.5}, {@code bool:true}, else a string). What a
     * reload of {@code saturn.yaml} will call.
     *
     * <pre>{@code
     * server.putConfig("production", "*", "db.pool_size", "int:20");
     * server.putConfig("production", "node1", "db.pool_size", "int:50");
     * }</pre>
     *
     * @throws IllegalArgumentException for an unknown cluster
     */
    public void putConfig(String cluster, String scope, String item, String value) {
        changeConfig(cluster, scope, item, value);
    }

    /** Removes configuration {@code item} at {@code scope} in {@code cluster}; the next level applies again. */
    public void removeConfig(String cluster, String scope, String item) {
        changeConfig(cluster, scope, item, null);
    }

    /** Sets {@code item} for every cluster of this server: the least specific level. */
    public void putGlobalConfig(String item, String value) {
        clusters.keySet().forEach(c -> changeConfig(c, "", item, value));
    }

    private void changeConfig(String cluster, String scope, String item, @Nullable String value) {
        ClusterState c = clusters.get(cluster);
        if (c == null) {
            throw new IllegalArgumentException("saturn has no cluster '" + cluster + "'");
        }
        if (item == null || item.isEmpty()) {
            throw new IllegalArgumentException("a config item needs a name");
        }
        if (c.config(scope == null ? "" : scope, item, value)) {
            wake(c);
        }
    }

    @Nullable
    ClusterState cluster(String name) {
        return clusters.get(name);
    }

    /** The certificate fingerprint the proofs cover: none on plain TCP. */
    byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** A round: every client of {@code cluster} is told to send what it lacks, on its own event loop. */
    void wake(ClusterState cluster) {
        for (Session s : cluster.sessions) {
            s.wake();
        }
    }

    @Override
    public void close() {
        int port = port();
        stopping = true;
        bound.disposeNow(Duration.ofSeconds(5));
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        synchronized (clusters) {
            clusters.values().forEach(ClusterState::close);
        }
        LOG.info("saturn server on port {} stopped", port);
    }
}
