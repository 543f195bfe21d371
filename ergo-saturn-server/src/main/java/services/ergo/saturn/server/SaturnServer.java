package services.ergo.saturn.server;

import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;
import services.ergo.saturn.protocol.ConfigEntry;
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
 *
 * <p>Or with its clusters, tokens and configuration in a {@code saturn.yaml} ({@link SaturnConfigFile}), read at
 * the start and again whenever it changes, pushing only what changed:
 *
 * <pre>{@code
 * SaturnServer server = SaturnServer.start(SaturnServerOptions.defaults()
 *         .withPort(4499)
 *         .withConfigFile(Path.of("/etc/saturn/saturn.yaml")));
 * }</pre>
 */
public final class SaturnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SaturnServer.class);

    private final SaturnServerOptions options;
    private final SaturnCounters counters = new SaturnCounters();
    /** Read by every handshake, changed by a reload of the file. */
    private final Map<String, ClusterState> clusters = new ConcurrentSkipListMap<>();
    /** The tokens handshakes prove against: the options' and the file's in force, replaced whole on a reload. */
    private volatile Tokens tokens;
    /** Serialises {@link #apply} and {@link #reload()}; guards {@link #applied}. */
    private final Object applying = new Object();
    /** The file's configuration in force: what the next one is diffed against. */
    private SaturnConfig applied = SaturnConfig.empty();
    /** Told after each configuration put in force: {@link #addConfigListener}. */
    private final List<Runnable> configListeners = new CopyOnWriteArrayList<>();

    private final @Nullable SaturnConfigWatcher watcher;
    /** Set once the constructor applied the file: clusters added after get an epoch of their own. */
    private volatile boolean started;
    /** Tells a restarted server from the one a client's revision came from: revisions restart with it. */
    private final long epoch = new SecureRandom().nextLong() & Long.MAX_VALUE | 1;

    private final DisposableServer bound;
    private final LoopResources loops;
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
                .forEach(name -> clusters.put(name, new ClusterState(name, epoch, options.historySize(), counters)));
        options.tokens()
                .forEach(t -> clusters.computeIfAbsent(
                        t.cluster(), name -> new ClusterState(name, epoch, options.historySize(), counters)));
        this.tokens = Tokens.of(options, SaturnConfig.empty());
        Path file = options.configFile();
        if (file != null) {
            // a bad file stops the start: a server without its clusters would refuse everyone
            put(SaturnConfigFile.load(file, options.limits()));
        }
        int queue = options.clientQueueBytes();
        long ttl = options.ttl().toMillis();
        // reactor-netty's own default is at least four loops: on a small server they take turns on its cores in
        // every round, which costs more than it spreads (measured with saturn-scale)
        this.loops = LoopResources.create("saturn", options.effectiveIoThreads(), true);
        TcpServer tcp = TcpServer.create()
                .runOn(loops)
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
        try {
            this.bound = tcp.bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            loops.dispose();
            throw e;
        }
        this.started = true;
        this.watcher = file == null ? null : new SaturnConfigWatcher(file, this::reload);
        if (watcher != null) {
            watcher.watch(applied.files());
        }
        LOG.info(
                "saturn server on {} for clusters {}{}",
                bound.address(),
                clusters.keySet(),
                file == null ? "" : ", configured by " + file);
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

    /**
     * This run's epoch: a client's revision is only good with the epoch it came with. A cluster that a reload of
     * the file added has an epoch of its own.
     */
    public long epoch() {
        return epoch;
    }

    /** The names of the clusters it serves now, the options' and the file's, in name order. */
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
        Tokens now = tokens;
        if (id.isEmpty()) {
            String own = now.own().get(cluster);
            return own == null ? null : new SaturnToken(cluster, "own", own, null);
        }
        for (SaturnToken t : now.named()) {
            if (t.cluster().equals(cluster) && t.id().equals(id)) {
                return t;
            }
        }
        return null;
    }

    /** The tokens of the options and of the file in force. */
    private record Tokens(Map<String, String> own, List<SaturnToken> named) {
        static Tokens of(SaturnServerOptions options, SaturnConfig file) {
            Map<String, String> own = new HashMap<>(options.clusters());
            List<SaturnToken> named = new ArrayList<>(options.tokens());
            file.clusters().values().forEach(c -> {
                if (c.token() != null) {
                    own.put(c.name(), c.token());
                }
                named.addAll(c.tokens());
            });
            return new Tokens(Map.copyOf(own), List.copyOf(named));
        }
    }

    /** A cluster's configuration now, every scope: what a newcomer's snapshot carries. */
    public List<ConfigEntry> config(String cluster) {
        ClusterState c = clusters.get(cluster);
        return c == null ? List.of() : c.config();
    }

    /**
     * Puts {@code next} in force in place of the file's configuration in force, changing only what differs:
     * clusters it adds are created, clusters it no longer names are removed (their clients are disconnected,
     * and a client that tries again is refused as for an unknown cluster), tokens are replaced for the
     * handshakes to come, and each configuration item that is new,
     * changed or gone is one change, pushed as any other. A registered client whose token is no longer in force
     * (removed, or its secret changed) or no longer lets it claim its name is disconnected (counted
     * {@code revoked}); to rotate a token without that, add the new one as a named token, move the nodes to it,
     * then remove the old one. Items set by {@link #putConfig} that the file does not
     * name are left alone. A file's clusters may not be named by the options too.
     *
     * <pre>{@code
     * server.apply(SaturnConfigFile.load(Path.of("saturn.yaml"), server.options().limits()));
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code next} names a cluster of the options; nothing changed then
     */
    public void apply(SaturnConfig next) {
        synchronized (applying) {
            put(next);
            configApplied();
        }
    }

    private void put(SaturnConfig next) {
        synchronized (applying) {
            for (String name : next.clusters().keySet()) {
                if (fromOptions(name)) {
                    throw new IllegalArgumentException("saturn cluster '" + name
                            + "' is in the server's options and in its file; name it in one of them");
                }
            }
            for (String name : next.clusters().keySet()) {
                clusters.computeIfAbsent(name, n -> {
                    LOG.info("saturn: cluster '{}' added", n);
                    // a new epoch unless starting: a client of a removed cluster of the same name must not resume
                    long e = started ? new SecureRandom().nextLong() & Long.MAX_VALUE | 1 : epoch;
                    return new ClusterState(n, e, options.historySize(), counters);
                });
            }
            // tokens first: a removed cluster's clients that come back find it gone
            Tokens previous = tokens;
            tokens = Tokens.of(options, next);
            if (!tokens.equals(previous)) {
                clusters.values().forEach(c -> c.sessions.forEach(Session::recheckToken));
            }
            for (String name : applied.clusters().keySet()) {
                if (!next.clusters().containsKey(name)) {
                    ClusterState gone = clusters.remove(name);
                    if (gone != null) {
                        LOG.info(
                                "saturn: cluster '{}' removed; closing its {} connections", name, gone.sessions.size());
                        gone.close();
                        gone.sessions.forEach(Session::close);
                    }
                }
            }
            for (ClusterState c : clusters.values()) {
                Map<String, String> before = applied.items(c.name);
                Map<String, String> after = next.items(c.name);
                boolean changed = false;
                for (Map.Entry<String, String> e : after.entrySet()) {
                    changed |= configure(c, e.getKey(), e.getValue());
                }
                for (String key : before.keySet()) {
                    if (!after.containsKey(key)) {
                        changed |= configure(c, key, null);
                    }
                }
                if (changed) {
                    wake(c);
                }
            }
            applied = next;
        }
    }

    /** Under {@link #applying}: listeners are told one at a time, in the order the configurations came in force. */
    private void configApplied() {
        for (Runnable listener : configListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // the configuration is in force already: a listener's failure must not read as the file's
                LOG.warn("saturn: a config listener failed: {}", e.toString());
            }
        }
    }

    /**
     * Calls {@code listener} after each configuration put in force by {@link #apply} or a successful
     * {@link #reload()} (the watcher's too), once each, even when nothing changed, with the counters already
     * counting it; never for a file refused, nor for the one read at the start (no listener was there yet). It runs
     * on the reloading thread, one call at a time and in order, while the next reload waits: keep it short. It is
     * how what follows the clusters ({@link #clusters()}) learns that they came or went, meters for instance.
     *
     * <pre>{@code
     * Runnable listener = () -> log.info("saturn clusters now {}", server.clusters());
     * server.addConfigListener(listener);
     * // ...
     * server.removeConfigListener(listener);
     * }</pre>
     */
    public void addConfigListener(Runnable listener) {
        if (listener == null) {
            throw new IllegalArgumentException("a config listener is needed");
        }
        configListeners.add(listener);
    }

    /** Stops calling a listener given to {@link #addConfigListener}; nothing when it is not there. */
    public void removeConfigListener(Runnable listener) {
        configListeners.remove(listener);
    }

    /** One item, keyed {@code scope + '\0' + item}; true when it changed what the cluster holds. */
    private static boolean configure(ClusterState c, String key, @Nullable String value) {
        int zero = key.indexOf('\0');
        return c.config(key.substring(0, zero), key.substring(zero + 1), value);
    }

    private boolean fromOptions(String cluster) {
        return options.clusters().containsKey(cluster)
                || options.tokens().stream().anyMatch(t -> t.cluster().equals(cluster));
    }

    /**
     * Reads the options' {@code configFile} again and puts it in force ({@link #apply}); the watcher calls it when
     * the file changes, and anyone may. A file that does not read or validate is logged and counted
     * ({@code configReloadFailures}) and changes nothing: the configuration in force stays.
     *
     * <pre>{@code
     * if (!server.reload()) {
     *     // see the log: the file names the key and the problem
     * }
     * }</pre>
     *
     * @return true when the file was put in force (whether it changed anything or not)
     * @throws IllegalStateException when the server has no file
     */
    public boolean reload() {
        Path file = options.configFile();
        if (file == null) {
            throw new IllegalStateException("this saturn server has no config file (SaturnServerOptions.configFile)");
        }
        synchronized (applying) {
            if (stopping) {
                return false;
            }
            try {
                put(SaturnConfigFile.load(file, options.limits()));
            } catch (RuntimeException e) {
                counters.configReloadFailures.incrementAndGet();
                LOG.warn("saturn: {}; the configuration in force stays", e.getMessage());
                return false;
            }
            counters.configReloads.incrementAndGet();
            if (watcher != null) {
                watcher.watch(applied.files());
            }
            configApplied();
            return true;
        }
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
        if (watcher != null) {
            watcher.close();
        }
        bound.disposeNow(Duration.ofSeconds(5));
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        clusters.values().forEach(ClusterState::close);
        LOG.info("saturn server on port {} stopped", port);
    }
}
