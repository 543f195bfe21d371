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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 */
public final class EmbeddedRegistrar implements Registrar {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistrar.class);

    /**
     * Where the embedded registrar lives. Defaults ({@link #defaults()}, each a {@code DEFAULT_} constant):
     * registration on {@code localhost:4499} over TCP, resolution on UDP port 4499 on every address ({@code "*"}), a
     * resolve waits up to 3 s, a node that lost the server tries again every second. A refused value throws
     * {@link InvalidOptionException} naming it.
     *
     * @param host the address the registration port binds and registering nodes connect to
     * @param resolveHost the address the resolution port binds; {@code "*"} for every address
     * @param port the registrar port, TCP and UDP; 0 gives the node a registrar of its own on a free port, which
     *     no other node finds (static routes only; for tests and benchmarks)
     * @param resolveTimeout how long a resolve waits for the other host's answer
     * @param retryInterval how often a node that lost the server tries to serve or re-register
     */
    public record Options(String host, String resolveHost, int port, Duration resolveTimeout, Duration retryInterval) {
        public static final String DEFAULT_HOST = "localhost";
        /** Every address. */
        public static final String DEFAULT_RESOLVE_HOST = "*";

        public static final int DEFAULT_PORT = 4499;
        public static final Duration DEFAULT_RESOLVE_TIMEOUT = Duration.ofSeconds(3);
        public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(1);

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

        public static Options defaults() {
            return new Options(
                    DEFAULT_HOST, DEFAULT_RESOLVE_HOST, DEFAULT_PORT, DEFAULT_RESOLVE_TIMEOUT, DEFAULT_RETRY_INTERVAL);
        }

        public Options withPort(int value) {
            return new Options(host, resolveHost, value, resolveTimeout, retryInterval);
        }

        /** Both ports on one address: how several "hosts" share one machine on loopback addresses. */
        public Options withAddress(String value) {
            return new Options(value, value, port, resolveTimeout, retryInterval);
        }

        public Options withResolveTimeout(Duration value) {
            return new Options(host, resolveHost, port, value, retryInterval);
        }

        public Options withRetryInterval(Duration value) {
            return new Options(host, resolveHost, port, resolveTimeout, value);
        }
    }

    private final Options options;
    private final LongAdder rejected = new LongAdder();
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
        return rejected.sum();
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

    @Override
    public void register(Node owner, NetworkRoute route) {
        String node = owner.name();
        synchronized (lock) {
            if (nodeName != null) {
                throw new IllegalStateException("an embedded registrar serves one node; it already serves " + nodeName);
            }
            if (!RegistrarProtocol.validName(node)) {
                throw new IllegalArgumentException("not a node name: " + node);
            }
            nodeName = node;
            nodePort = route.port();
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
            RegistrarServer s = RegistrarServer.tryBind(group, options, rejected);
            if (s != null) {
                s.registerLocal(nodeName, nodePort);
                server = s;
                LOG.info("node {} serves the embedded registrar on {}:{}", nodeName, options.host(), s.port());
                return true;
            }
            Channel c = connectAndRegister();
            if (c == null) {
                return false;
            }
            client = c;
            c.closeFuture().addListener(f -> lost(c));
            LOG.debug(
                    "node {} registered with the embedded registrar on {}:{}",
                    nodeName,
                    options.host(),
                    options.port());
            return true;
        }
    }

    /** Registers over a new connection; null when no registrar answered; throws when the name is taken. */
    private @Nullable Channel connectAndRegister() {
        CompletableFuture<String> answer = new CompletableFuture<>();
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
                                answer.complete(line);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                answer.complete("");
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
            return null;
        }
        Channel c = connected.channel();
        c.writeAndFlush(RegistrarProtocol.TAG + " REGISTER " + nodeName + " " + nodePort + "\n");
        String line;
        try {
            line = answer.get(options.resolveTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            line = "";
        }
        String[] w = RegistrarProtocol.words(line);
        if (w != null && w[1].equals("OK")) {
            return c;
        }
        c.close();
        if (w != null && w[1].equals("TAKEN")) {
            throw new NameTakenException(
                    nodeName, "another live node registered it with the embedded registrar on " + options.host());
        }
        return null;
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
        RegistrarServer s = server;
        if (s != null && host.equals(RegistrarProtocol.host(nodeName))) {
            Integer port = s.portOf(node);
            return port == null ? Optional.empty() : Optional.of(new NetworkRoute(host, port));
        }
        String answer;
        try {
            answer = RegistrarProtocol.query(
                    host, port(), RegistrarProtocol.TAG + " RESOLVE " + node, options.resolveTimeout(), a -> {
                        String[] w = RegistrarProtocol.words(a);
                        return w != null && w.length >= 3 && w[2].equals(node);
                    });
        } catch (IOException e) {
            LOG.debug("node {}: cannot resolve {}: {}", nodeName, node, e.toString());
            return Optional.empty();
        }
        String[] w = answer == null ? null : RegistrarProtocol.words(answer);
        if (w == null || w.length != 4 || !w[1].equals("ROUTE") || RegistrarProtocol.port(w[3]) == null) {
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
        try {
            String answer = RegistrarProtocol.query(
                    options.host(), options.port(), RegistrarProtocol.TAG + " NODES", options.resolveTimeout(), a -> {
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
        return nodeName == null ? List.of() : List.of(nodeName);
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
