package services.ergo.registrar;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import services.ergo.gen.ErgoException;
import services.ergo.gen.InvalidOptionException;
import services.ergo.gen.NameKey;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarInfo;

/**
 * The default registrar, with no infrastructure: the first node on a host binds the registrar port (TCP on
 * {@code host}, for registration; UDP on {@code resolveHost}, for resolution); the others register with it over TCP
 * and keep the connection. When it goes, the others race to bind the port within about a second: one wins and
 * serves, the rest register with it again. A node on another host is resolved by one UDP query to that host's
 * registrar, at the host part of the node's name.
 *
 * <pre>{@code
 * NodeOptions.builder()
 *         .registrar(() -> new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults().withPort(4500)))
 *         .build();
 * }</pre>
 *
 * <p>It knows nodes only: no applications, configuration, events or node metadata (the etcd registrar has those;
 * {@link #info()} says so), and it runs hidden nodes.
 *
 * <p>A node registers with the key of its name ({@link NameKey}, derived from its cookie): while it lives, no other
 * process takes the name or points it elsewhere, and when the serving node goes, the name is kept for it while it
 * registers again with whichever node serves next. A free name is anyone's to claim, as with Erlang's epmd. A
 * resolve across hosts carries a random id and takes only the answer with that id, from the address and port it
 * asked.
 */
public final class EmbeddedRegistrar implements Registrar {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistrar.class);

    /**
     * Where the embedded registrar lives. Defaults ({@link #defaults()}, each a {@code DEFAULT_} constant):
     * registration on {@code localhost:4499} over TCP, resolution on UDP port 4499 on every address ({@code "*"}), a
     * resolve waits up to 3 s and takes only answers with its id, a node that lost the server tries again every
     * second. A refused value throws
     * {@link InvalidOptionException} naming it.
     *
     * @param host the address the registration port binds and registering nodes connect to
     * @param resolveHost the address the resolution port binds; {@code "*"} for every address
     * @param port the registrar port, TCP and UDP; 0 gives the node a registrar of its own on a free port, which
     *     no other node finds (static routes only; for tests and benchmarks)
     * @param resolveTimeout how long a resolve waits for the other host's answer
     * @param retryInterval how often a node that lost the server tries to serve or re-register
     * @param legacyResolve also take answers without the query's id, as a registrar of the previous release sends
     *     them, when resolving a node on another host: only while a rolling upgrade runs, since such an answer can
     *     be forged by anyone who can send to this node's port
     */
    public record Options(
            String host,
            String resolveHost,
            int port,
            Duration resolveTimeout,
            Duration retryInterval,
            boolean legacyResolve) {
        public static final String DEFAULT_HOST = "localhost";
        /** Every address. */
        public static final String DEFAULT_RESOLVE_HOST = "*";

        public static final int DEFAULT_PORT = 4499;
        public static final Duration DEFAULT_RESOLVE_TIMEOUT = Duration.ofSeconds(3);
        public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(1);
        /** Answers without the query's id are ignored. */
        public static final boolean DEFAULT_LEGACY_RESOLVE = false;

        public Options {
            if (host == null || host.isBlank()) {
                throw new InvalidOptionException("host", "registrar host must not be empty");
            }
            if (resolveHost == null || resolveHost.isBlank()) {
                throw new InvalidOptionException("resolveHost", "registrar resolveHost must not be empty");
            }
            if (port < 0 || port > 65535) {
                throw new InvalidOptionException(
                        "port", "registrar port must be 0..65535 (0: a registrar of the node's own), got " + port);
            }
            if (resolveTimeout == null || resolveTimeout.toMillis() < 1) {
                throw new InvalidOptionException(
                        "resolveTimeout", "registrar resolveTimeout must be >= 1 ms, got " + resolveTimeout);
            }
            if (retryInterval == null || retryInterval.toMillis() < 1) {
                throw new InvalidOptionException(
                        "retryInterval", "registrar retryInterval must be >= 1 ms, got " + retryInterval);
            }
        }

        /** The options as the previous release had them, {@code legacyResolve} off. */
        public Options(String host, String resolveHost, int port, Duration resolveTimeout, Duration retryInterval) {
            this(host, resolveHost, port, resolveTimeout, retryInterval, DEFAULT_LEGACY_RESOLVE);
        }

        public static Options defaults() {
            return new Options(
                    DEFAULT_HOST,
                    DEFAULT_RESOLVE_HOST,
                    DEFAULT_PORT,
                    DEFAULT_RESOLVE_TIMEOUT,
                    DEFAULT_RETRY_INTERVAL,
                    DEFAULT_LEGACY_RESOLVE);
        }

        public Options withPort(int value) {
            return new Options(host, resolveHost, value, resolveTimeout, retryInterval, legacyResolve);
        }

        /** Both ports on one address: how several "hosts" share one machine on loopback addresses. */
        public Options withAddress(String value) {
            return new Options(value, value, port, resolveTimeout, retryInterval, legacyResolve);
        }

        public Options withResolveTimeout(Duration value) {
            return new Options(host, resolveHost, port, value, retryInterval, legacyResolve);
        }

        public Options withRetryInterval(Duration value) {
            return new Options(host, resolveHost, port, resolveTimeout, value, legacyResolve);
        }

        /**
         * Whether a resolve across hosts also asks as the previous release did and takes its answer, which has no
         * id: on during a rolling upgrade from that release, off again once every host runs this one.
         *
         * <pre>{@code
         * EmbeddedRegistrar.Options.defaults().withLegacyResolve(true);   // while hosts of 0.1 remain
         * }</pre>
         */
        public Options withLegacyResolve(boolean value) {
            return new Options(host, resolveHost, port, resolveTimeout, retryInterval, value);
        }
    }

    private final Options options;
    private final RegistrarServer.Counters counters = new RegistrarServer.Counters(new LongAdder(), new LongAdder());
    /** The key of this node's name; null until it registered. */
    private volatile @Nullable NameKey key;
    /**
     * The serving node's table as it was last told (names, ports, verifiers): the neighbours this node lists and
     * resolves, and the names it keeps for their holders if it takes over. Empty while registered with a server of
     * the previous release, which tells nothing.
     */
    private volatile Map<String, RegistrarServer.Entry> table = Map.of();
    /** Whether the server this node is registered with took its key (this release); false for the previous one. */
    private volatile boolean keyed;

    private final Object lock = new Object();
    /** Made by {@link #register}; a hidden node has none. */
    private @Nullable EventLoopGroup group;

    private @Nullable ScheduledExecutorService retries;
    /** Null until the node registered (or joined hidden). */
    private volatile @Nullable String nodeName;

    private volatile int nodePort;
    /** Set while this node serves its host's registrar. */
    private volatile @Nullable RegistrarServer server;
    /** The connection to the serving node, while this node is registered with it. */
    private volatile @Nullable Channel client;

    private volatile boolean terminated;
    private volatile boolean hidden;

    public EmbeddedRegistrar(Options options) {
        this.options = options == null ? Options.defaults() : options;
    }

    public EmbeddedRegistrar() {
        this(Options.defaults());
    }

    public Options options() {
        return options;
    }

    /** Whether this node serves the registrar for its host now. */
    public boolean serving() {
        return server != null;
    }

    /** Whether this node serves the registrar or is registered with the node that does. */
    @Override
    public boolean connected() {
        Channel c = client;
        return !terminated && (hidden || server != null || (c != null && c.isActive()));
    }

    /** Lines and datagrams refused as not our protocol, while this node served. */
    public long rejected() {
        return counters.rejected().sum();
    }

    /**
     * Registrations refused, while this node served, because the name was held by a live node or kept for the node
     * that held it (which proved another key) while it registered again. Each also logs a warning.
     */
    public long refusedNames() {
        return counters.refusedNames().sum();
    }

    /**
     * A hidden node neither serves nor registers: it resolves the others with the same queries any node sends to
     * its host's registrar, and no one learns of it.
     */
    @Override
    public void registerHidden(Node owner) {
        synchronized (lock) {
            if (nodeName != null) {
                throw new IllegalStateException("an embedded registrar serves one node; it already serves " + nodeName);
            }
            nodeName = owner.name();
            hidden = true;
        }
    }

    /**
     * Registers {@code owner} with a key anyone can derive (that of an empty cookie); the network calls {@link
     * #register(Node, NetworkRoute, NameKey)} with the key of its cookie instead.
     */
    @Override
    public void register(Node owner, NetworkRoute route) {
        register(owner, route, NameKey.derive("", owner.name()));
    }

    @Override
    public void register(Node owner, NetworkRoute route, NameKey nameKey) {
        String node = owner.name();
        synchronized (lock) {
            if (nodeName != null) {
                throw new IllegalStateException("an embedded registrar serves one node; it already serves " + nodeName);
            }
            if (!RegistrarProtocol.validName(node)) {
                throw new IllegalArgumentException("not a node name: " + node);
            }
            if (!nameKey.name().equals(node)) {
                throw new IllegalArgumentException("the key of " + nameKey.name() + " cannot register " + node);
            }
            nodeName = node;
            nodePort = route.port();
            key = nameKey;
            group = new MultiThreadIoEventLoopGroup(
                    1, new DefaultThreadFactory("ergo-registrar", true), NioIoHandler.newFactory());
            retries = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ergo-registrar-retry");
                t.setDaemon(true);
                return t;
            });
        }
        long deadline = System.nanoTime()
                + Math.max(3_000_000_000L, 3 * options.retryInterval().toNanos());
        try {
            while (!attach()) {
                if (System.nanoTime() > deadline) {
                    throw new ErgoException("cannot serve the embedded registrar on " + options.host() + ":"
                            + options.port() + " nor register with the one there: the port is taken by something"
                            + " that does not answer as a registrar");
                }
                Thread.sleep(50 + ThreadLocalRandom.current().nextInt(100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminate();
            throw new ErgoException("interrupted while registering " + node);
        } catch (RuntimeException e) {
            terminate();
            throw e;
        }
    }

    /** One attempt to serve, or else to register with the server: true when this node is served now. */
    private boolean attach() {
        synchronized (lock) {
            if (terminated) {
                return true;
            }
            Map<String, byte[]> kept = new java.util.HashMap<>();
            table.forEach((name, e) -> {
                if (e.verifier() != null) {
                    kept.put(name, e.verifier());
                }
            });
            RegistrarServer s = RegistrarServer.tryBind(
                    group,
                    options,
                    counters,
                    nodeName,
                    new RegistrarServer.Entry(nodePort, null, key.verifier()),
                    kept,
                    keep());
            if (s != null) {
                server = s;
                table = Map.of();
                LOG.info("node {} serves the embedded registrar on {}:{}", nodeName, options.host(), s.port());
                return true;
            }
            Registered r = connectAndRegister(true);
            if (r.answer.equals("ERROR")) {
                // a server of the previous release refuses a line with a key: register as that release does
                r = connectAndRegister(false);
            }
            if (r.answer.equals("TAKEN")) {
                throw new NameTakenException(
                        nodeName,
                        r.why.equals("kept")
                                ? "the embedded registrar on " + options.host() + " keeps it for the node that held"
                                        + " it, which proved another key (another cluster's cookie), while it"
                                        + " registers again"
                                : "another live node registered it with the embedded registrar on " + options.host());
            }
            if (r.channel == null) {
                return false;
            }
            Channel c = r.channel;
            client = c;
            keyed = r.keyed;
            table = r.table;
            c.closeFuture().addListener(f -> lost(c));
            LOG.debug(
                    "node {} registered with the embedded registrar on {}:{}{}",
                    nodeName,
                    options.host(),
                    options.port(),
                    r.keyed ? "" : " (a registrar of the previous release: without a key)");
            return true;
        }
    }

    /** How long a node that takes over keeps the names of the table for their holders. */
    private Duration keep() {
        return Duration.ofMillis(Math.max(3000, 3 * options.retryInterval().toMillis()));
    }

    /**
     * What a registration came to: the channel when it succeeded ({@code answer} OK), else the answer (TAKEN and
     * why, ERROR, or empty when no registrar answered).
     */
    private record Registered(
            @Nullable Channel channel,
            String answer,
            String why,
            boolean keyed,
            Map<String, RegistrarServer.Entry> table) {}

    /** Registers over a new connection, with the key or as the previous release does. */
    private Registered connectAndRegister(boolean withKey) {
        CompletableFuture<String[]> answer = new CompletableFuture<>();
        Map<String, RegistrarServer.Entry> told = new ConcurrentHashMap<>();
        ChannelFuture connected = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RegistrarProtocol.lines(ch.pipeline(), new SimpleChannelInboundHandler<String>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, String line) {
                                String[] w = RegistrarProtocol.words(line);
                                if (w == null) {
                                    answer.complete(new String[] {"", ""});
                                } else if (withKey && !answer.isDone() && learn(w, told)) {
                                    // the table, before OK
                                } else if (!answer.isDone()) {
                                    answer.complete(new String[] {w[1], w.length > 2 ? w[2] : ""});
                                } else if (withKey) {
                                    learn(w, told); // the table as it changes
                                }
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                answer.complete(new String[] {"", ""});
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                })
                .connect(options.host(), options.port())
                .awaitUninterruptibly();
        if (!connected.isSuccess()) {
            return new Registered(null, "", "", false, Map.of());
        }
        Channel c = connected.channel();
        c.writeAndFlush(RegistrarProtocol.TAG + " REGISTER " + nodeName + " " + nodePort
                + (withKey ? " " + key.encoded() : "") + "\n");
        String[] line;
        try {
            line = answer.get(options.resolveTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            line = new String[] {"", ""};
        }
        if (line[0].equals("OK")) {
            // the map the connection goes on updating: what this node knows of its neighbours from now on
            return new Registered(c, "OK", "", withKey, withKey ? told : Map.of());
        }
        c.close();
        return new Registered(null, line[0], line[1], false, Map.of());
    }

    /** Applies a HELD or LEFT line to {@code table}; false when the line is neither. */
    private static boolean learn(String[] w, Map<String, RegistrarServer.Entry> table) {
        if (w.length == 5 && w[1].equals("HELD") && RegistrarProtocol.validName(w[2])) {
            Integer port = RegistrarProtocol.port(w[3]);
            byte[] verifier = w[4].equals("-") ? null : RegistrarProtocol.unbase64(w[4], 32);
            if (port != null && (verifier != null || w[4].equals("-")) && table.size() < RegistrarProtocol.MAX_NAMES) {
                table.put(w[2], new RegistrarServer.Entry(port, null, verifier));
            }
            return true;
        }
        if (w.length == 3 && w[1].equals("LEFT")) {
            table.remove(w[2]);
            return true;
        }
        return false;
    }

    private void lost(Channel c) {
        if (terminated || client != c) {
            return;
        }
        client = null;
        LOG.info(
                "node {}: the embedded registrar on {}:{} went; taking over or registering again",
                nodeName,
                options.host(),
                options.port());
        retry(ThreadLocalRandom.current().nextInt(100), 1);
    }

    private void retry(long delayMs, int attempt) {
        if (terminated) {
            return;
        }
        retries.schedule(
                () -> {
                    boolean done;
                    try {
                        done = attach();
                    } catch (NameTakenException e) {
                        LOG.error("node {}: {}", nodeName, e.getMessage());
                        done = false;
                    } catch (RuntimeException e) {
                        LOG.warn("node {}: registrar attempt failed: {}", nodeName, e.toString());
                        done = false;
                    }
                    if (!done) {
                        // quick tries first, so a takeover lands well within a second, then the steady interval
                        long next = Math.min(options.retryInterval().toMillis(), 100L * attempt);
                        retry(next + ThreadLocalRandom.current().nextInt(50), attempt + 1);
                    }
                },
                delayMs,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<NetworkRoute> resolve(String node) {
        if (!RegistrarProtocol.validName(node)) {
            return Optional.empty();
        }
        String host = RegistrarProtocol.host(node);
        if (node.equals(nodeName)) {
            return Optional.of(new NetworkRoute(host, nodePort));
        }
        boolean sameHost = nodeName != null && host.equals(RegistrarProtocol.host(nodeName));
        RegistrarServer s = server;
        if (s != null && sameHost) {
            Integer port = s.portOf(node);
            return port == null ? Optional.empty() : Optional.of(new NetworkRoute(host, port));
        }
        if (sameHost && keyed && client != null) {
            // told by the server over the registration connection: no query needed
            RegistrarServer.Entry e = table.get(node);
            return e == null ? Optional.empty() : Optional.of(new NetworkRoute(host, e.port()));
        }
        // this host's registrar of the previous release answers without ids; it is the one this node registered
        // with, over TCP, so it is trusted as much as that
        boolean legacy = options.legacyResolve() || (sameHost && client != null && !keyed);
        String id = RegistrarProtocol.newId();
        List<String> queries = legacy
                ? List.of(
                        RegistrarProtocol.TAG + " RESOLVE " + node + " " + id,
                        RegistrarProtocol.TAG + " RESOLVE " + node)
                : List.of(RegistrarProtocol.TAG + " RESOLVE " + node + " " + id);
        String answer;
        try {
            answer = RegistrarProtocol.query(host, port(), queries, options.resolveTimeout(), a -> {
                String[] w = RegistrarProtocol.words(a);
                if (w == null || w.length < 3 || !w[2].equals(node)) {
                    return false;
                }
                int withId = w[1].equals("ROUTE") ? 5 : w[1].equals("UNKNOWN") ? 4 : -1;
                return (w.length == withId && w[withId - 1].equals(id)) || (legacy && w.length == withId - 1);
            });
        } catch (IOException e) {
            LOG.debug("node {}: cannot resolve {}: {}", nodeName, node, e.toString());
            return Optional.empty();
        }
        String[] w = answer == null ? null : RegistrarProtocol.words(answer);
        if (w == null || !w[1].equals("ROUTE") || RegistrarProtocol.port(w[3]) == null) {
            return Optional.empty();
        }
        return Optional.of(new NetworkRoute(host, RegistrarProtocol.port(w[3])));
    }

    @Override
    public List<String> nodes() {
        RegistrarServer s = server;
        if (s != null) {
            return s.names();
        }
        if (keyed && client != null) {
            return List.copyOf(table.keySet());
        }
        if (hidden || client == null) {
            List<String> listed = listOverTcp();
            if (listed != null) {
                return listed;
            }
        }
        // a server of the previous release lists its nodes over UDP only; it is this host's, asked from a socket
        // connected to it
        try {
            String answer = RegistrarProtocol.query(
                    options.host(),
                    options.port(),
                    List.of(RegistrarProtocol.TAG + " NODES"),
                    options.resolveTimeout(),
                    a -> {
                        String[] w = RegistrarProtocol.words(a);
                        return w != null && w[1].equals("NODES");
                    });
            if (answer != null) {
                String[] w = RegistrarProtocol.words(answer);
                return List.copyOf(Arrays.asList(w).subList(2, w.length));
            }
        } catch (IOException e) {
            LOG.debug("node {}: cannot list nodes: {}", nodeName, e.toString());
        }
        return nodeName == null || hidden ? List.of() : List.of(nodeName);
    }

    /** The serving node's list, asked over a connection of its own (a hidden node's way); null when refused. */
    private @Nullable List<String> listOverTcp() {
        int timeout = (int) Math.min(Integer.MAX_VALUE, options.resolveTimeout().toMillis());
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(options.host(), options.port()), timeout);
            socket.setSoTimeout(timeout);
            socket.getOutputStream()
                    .write((RegistrarProtocol.TAG + " NODES\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            List<String> names = new java.util.ArrayList<>();
            // what answers on the port may be anyone's: a line and the number of lines are bounded, so an endless
            // answer costs this node at most MAX_NAMES lines of MAX_LINE characters, never its memory
            for (int lines = 0; lines <= RegistrarProtocol.MAX_NAMES; lines++) {
                String line = boundedLine(in, RegistrarProtocol.MAX_LINE);
                if (line == null) {
                    break;
                }
                String[] w = RegistrarProtocol.words(line);
                if (w != null && w[1].equals("END")) {
                    return List.copyOf(names);
                }
                if (w == null || !w[1].equals("NODES") || line.length() > RegistrarProtocol.MAX_LINE) {
                    return null; // the previous release: ERROR
                }
                for (int i = 2; i < w.length && names.size() < RegistrarProtocol.MAX_NAMES; i++) {
                    names.add(w[i]);
                }
            }
        } catch (IOException e) {
            LOG.debug("node {}: cannot list nodes over TCP: {}", nodeName, e.toString());
        }
        return null;
    }

    /** The next line without its end, null at the end of the stream; longer than {@code max}: an IOException. */
    private static @Nullable String boundedLine(java.io.Reader in, int max) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() > max) {
                throw new IOException("a line of more than " + max + " characters");
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    /** The registrar port: the configured one, or the one bound when that is 0. */
    public int port() {
        RegistrarServer s = server;
        return s != null ? s.port() : options.port();
    }

    /**
     * Nodes only, and hidden nodes: no applications, events, configuration or node metadata (those calls answer
     * empty). The description says whether this node serves its host's registrar, is registered with the node that
     * does, or is hidden.
     */
    @Override
    public RegistrarInfo info() {
        return new RegistrarInfo(description(), false, false, false, true, false);
    }

    private String description() {
        String at = options.host() + ":" + port();
        if (hidden) {
            return "embedded, hidden, resolving through " + at;
        }
        return server != null ? "embedded, serving on " + at : "embedded, registered with " + at;
    }

    @Override
    public void terminate() {
        synchronized (lock) {
            terminated = true;
            Channel c = client;
            client = null;
            if (c != null) {
                c.close();
            }
            RegistrarServer s = server;
            server = null;
            if (s != null) {
                s.close();
            }
            if (retries != null) {
                retries.shutdownNow();
            }
            if (group != null) {
                group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
            }
        }
    }
}
