package services.ergo.registrar.saturn;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;
import services.ergo.gen.ApplicationInfo;
import services.ergo.gen.ApplicationListener.ApplicationChange;
import services.ergo.gen.ApplicationRoute;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Event;
import services.ergo.gen.EventOptions;
import services.ergo.gen.InvalidOptionException;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.Ref;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarEvent;
import services.ergo.gen.RegistrarInfo;
import services.ergo.saturn.protocol.AppEntry;
import services.ergo.saturn.protocol.Change;
import services.ergo.saturn.protocol.Codec;
import services.ergo.saturn.protocol.ConfigEntry;
import services.ergo.saturn.protocol.FrameDecoder;
import services.ergo.saturn.protocol.Message;
import services.ergo.saturn.protocol.NodeEntry;
import services.ergo.saturn.protocol.Proofs;
import services.ergo.saturn.protocol.SaturnProtocolException;

/**
 * The Saturn registrar: the node keeps one TCP connection to a Saturn server, registers its route, applications
 * and metadata there, and receives every change of its cluster as it happens (pushed, not polled). Resolves,
 * {@link #nodes()} and {@link #resolveApplication} answer from the copy it holds.
 *
 * <pre>{@code
 * Node node = Ergo.startNode("worker1@host1", NodeOptions.builder()
 *         .registrar(() -> new SaturnRegistrar(SaturnRegistrarOptions.defaults()
 *                 .withServers("saturn:4499").withCluster("production").withToken(token)))
 *         .build());
 * List<ApplicationRoute> workers = node.network().registrar().resolveApplication("worker");
 * }</pre>
 *
 * <p>When the connection drops the registrar keeps answering from its copy, tells {@link
 * RegistrarEvent.Disconnected}, and reconnects with jittered exponential backoff over the servers in random
 * order. It registers again with its current applications and metadata, and resumes from the revision it holds:
 * the server sends the changes it missed, or a snapshot it compares with its copy, so either way it tells the
 * events of the gap before {@link RegistrarEvent.Connected}. The server knows it by a random incarnation drawn
 * once per registrar, so coming back takes over its own session instead of meeting "name taken".
 */
public final class SaturnRegistrar implements Registrar {
    /** The name of the node event that carries {@link RegistrarEvent}s (the same as the etcd registrar's). */
    public static final String EVENT = "ergo.registrar";

    private static final Logger LOG = LoggerFactory.getLogger(SaturnRegistrar.class);
    private static final List<String> SPOKEN = List.of("resume");

    private final SaturnRegistrarOptions options;
    private final Object lock = new Object();
    private final SaturnView view = new SaturnView();
    private final byte[] incarnation = Proofs.random(Codec.INCARNATION_BYTES);
    private final Map<String, AppEntry> apps = new LinkedHashMap<>();
    private Map<String, String> metadata = Map.of();

    private volatile boolean hidden;
    private @Nullable Node node;
    private @Nullable String self;
    private @Nullable NetworkRoute route;
    private @Nullable Ref eventToken;
    private @Nullable ScheduledExecutorService executor;

    /** The registered connection; null while there is none. */
    private @Nullable Link link;
    /** What the copy holds: the server's epoch and the revision it is at (-1: nothing yet). */
    private long epoch;

    private long revision = -1;
    /** The server's revision as last learned (its welcome, its pings, the deltas it sent); -1: not yet. */
    private long serverRevision = -1;
    /** When the copy fell behind {@link #serverRevision} ({@link System#nanoTime()}); -1 while level. */
    private long behindSince = -1;
    /** The first view is the start, not news: its differences are not told. */
    private boolean viewLoaded;

    private volatile boolean connected;
    private volatile boolean terminated;
    private int attempt;

    public SaturnRegistrar(SaturnRegistrarOptions options) {
        this.options = options == null ? SaturnRegistrarOptions.defaults() : options;
    }

    public SaturnRegistrarOptions options() {
        return options;
    }

    // ------------------------------------------------------------------ registration

    @Override
    public void registerHidden(Node owner) {
        hidden = true;
        register(owner, null);
    }

    @Override
    public void register(Node owner, @Nullable NetworkRoute acceptor) {
        if (options.servers().isEmpty()) {
            throw new InvalidOptionException(
                    "ergo.registrar.saturn.servers", "ergo.registrar.saturn.servers names no server");
        }
        synchronized (lock) {
            if (self != null) {
                throw new IllegalStateException("a saturn registrar serves one node; it already serves " + self);
            }
            node = owner;
            self = owner.name();
            route = acceptor;
            view.self(self, why -> LOG.warn("saturn registrar of {}: {}", self, why));
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ergo-saturn-registrar-" + self);
            t.setDaemon(true);
            return t;
        });
        try {
            eventToken = owner.registerEvent(EVENT, EventOptions.defaults());
            if (!hidden) {
                owner.addApplicationListener(this::applicationChanged);
                synchronized (lock) {
                    for (ApplicationInfo app : owner.applications()) {
                        apps.put(app.name(), SaturnView.entry(app.name(), app.weight(), app.mode(), app.state()));
                    }
                }
            }
            connectFirst();
            connected = true;
            LOG.info("node {} registered with saturn {} in cluster '{}'", self, options.servers(), options.cluster());
        } catch (ErgoException e) {
            terminate();
            throw e;
        } catch (Exception e) {
            terminate();
            throw new ErgoException("cannot register " + self + " with saturn " + options.servers() + ": " + e, e);
        }
    }

    /** Registers through the first server that takes it, trying them in random order for three register timeouts. */
    private void connectFirst() throws InterruptedException {
        long deadline = System.nanoTime() + 3 * options.registerTimeout().toNanos();
        long bound = options.backoffMin().toMillis();
        Throwable last = null;
        while (true) {
            long retryAfter = 0;
            for (String server : shuffled()) {
                try {
                    attempt(server);
                    return;
                } catch (Refusal r) {
                    if (r.code == Message.Refused.NAME_TAKEN) {
                        throw new NameTakenException(self, r.reason);
                    }
                    if (r.code == Message.Refused.NAME_NOT_ALLOWED) {
                        throw new ErgoException("saturn " + server + " refused node " + self + ": " + r.reason
                                + " (check ergo.registrar.saturn.token-id)");
                    }
                    if (r.code == Message.Refused.BAD_PROOF) {
                        throw new ErgoException("saturn " + server + " refused node " + self + ": " + r.reason
                                + " (check ergo.registrar.saturn.token and cluster '" + options.cluster() + "')");
                    }
                    retryAfter = Math.max(retryAfter, r.retryAfter);
                    last = r;
                } catch (Exception e) {
                    javax.net.ssl.SSLException tls = tlsFailure(e);
                    if (tls != null) {
                        // a certificate that does not verify stays so: say it now instead of retrying for long
                        throw new ErgoException(
                                "saturn " + server + ": the TLS handshake failed for node " + self + ": "
                                        + tls.getMessage() + " (check ergo.registrar.saturn.tls)",
                                e);
                    }
                    last = e;
                }
            }
            long delay = Math.max(retryAfter, jitter(bound));
            if (System.nanoTime() + delay * 1_000_000 > deadline) {
                throw new ErgoException(
                        "cannot register " + self + " with saturn " + options.servers() + ": "
                                + (last == null ? "no answer" : last.getMessage()),
                        last);
            }
            Thread.sleep(delay);
            bound = Math.min(options.backoffMax().toMillis(), bound * 2);
        }
    }

    private @Nullable SslContext ssl;

    /** Built once: reading the trusted certificates is not a per-dial cost. */
    private synchronized SslContext sslContext() {
        if (ssl == null) {
            ssl = options.tls().context();
        }
        return ssl;
    }

    private static javax.net.ssl.@Nullable SSLException tlsFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof javax.net.ssl.SSLHandshakeException h) {
                return h;
            }
        }
        return null;
    }

    private List<String> shuffled() {
        List<String> order = new ArrayList<>(options.servers());
        Collections.shuffle(order);
        return order;
    }

    /** A delay drawn from the upper half of {@code bound}: spread out, never a stampede at zero. */
    private static long jitter(long bound) {
        return bound / 2 + ThreadLocalRandom.current().nextLong(bound / 2 + 1);
    }

    /** Connects to {@code server} and waits until it registered and holds the view; throws why not. */
    private void attempt(String server) throws Exception {
        int colon = server.lastIndexOf(':');
        Link l = new Link(server);
        TcpClient tcp = TcpClient.create();
        if (options.tls().enabled()) {
            tcp = tcp.secure(spec -> spec.sslContext(sslContext()));
        }
        tcp.host(server.substring(0, colon))
                .port(Integer.parseInt(server.substring(colon + 1)))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        options.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .doOnConnected(conn -> {
                    if (conn.channel().localAddress().equals(conn.channel().remoteAddress())) {
                        // a dial to a free local port can connect to itself (TCP simultaneous open): not a server,
                        // and it holds the port the server needs to come back on
                        l.ready.completeExceptionally(new IOException(server + ": connected to itself, no server"));
                        conn.channel().close();
                        return;
                    }
                    conn.addHandlerLast("saturn.frames", new FrameDecoder(options.limits(), false));
                    conn.addHandlerLast("saturn.link", l);
                    conn.channel().config().setAutoRead(true);
                })
                .handle((in, out) -> Mono.never())
                .connect()
                .subscribe(c -> {}, l.ready::completeExceptionally);
        try {
            l.ready.get(options.registerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            l.close();
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            l.close();
            throw new TimeoutException(server + " did not register us within "
                    + options.registerTimeout().toMillis() + " ms");
        }
    }

    // ------------------------------------------------------------------ reconnecting

    private void linkClosed(Link closed, String why) {
        synchronized (lock) {
            if (terminated || closed != link) {
                return;
            }
            link = null;
        }
        connected = false;
        LOG.warn("node {}: saturn connection to {} lost ({}); reconnecting", self, closed.server, why);
        publish(new RegistrarEvent.Disconnected(info().description(), why));
        scheduleReconnect(0);
    }

    private void scheduleReconnect(long atLeastMillis) {
        ScheduledExecutorService ex = executor;
        if (ex == null || terminated) {
            return;
        }
        long bound =
                Math.min(options.backoffMax().toMillis(), options.backoffMin().toMillis() << Math.min(attempt++, 20));
        long delay = Math.max(atLeastMillis, jitter(bound));
        try {
            ex.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // terminated meanwhile
        }
    }

    private void reconnect() {
        long retryAfter = 0;
        for (String server : shuffled()) {
            if (terminated) {
                return;
            }
            try {
                attempt(server);
                attempt = 0;
                connected = true;
                LOG.info("node {}: saturn {} is back; view re-synchronised", self, server);
                publish(new RegistrarEvent.Connected(info().description()));
                return;
            } catch (Refusal r) {
                LOG.warn("node {}: saturn {} refused us: {}", self, server, r.reason);
                retryAfter = Math.max(retryAfter, r.retryAfter);
            } catch (Exception e) {
                LOG.debug("node {}: saturn {} not reached: {}", self, server, e.getMessage());
            }
        }
        scheduleReconnect(retryAfter);
    }

    // ------------------------------------------------------------------ our own entry

    /** What this node is now: route, metadata, applications (null for a hidden node). Under {@link #lock}. */
    private @Nullable NodeEntry entry() {
        if (hidden || route == null) {
            return null;
        }
        return new NodeEntry(self, route.host(), route.port(), metadata, List.copyOf(apps.values()));
    }

    private void applicationChanged(ApplicationInfo info, ApplicationChange change) {
        synchronized (lock) {
            if (terminated) {
                return;
            }
            if (change == ApplicationChange.UNLOADED) {
                apps.remove(info.name());
            } else {
                apps.put(info.name(), SaturnView.entry(info.name(), info.weight(), info.mode(), info.state()));
            }
            sendEntry();
        }
    }

    /** Sends our entry as it is now over the registered link, if there is one; under {@link #lock}. */
    private void sendEntry() {
        Link l = link;
        NodeEntry e = entry();
        if (l != null && e != null) {
            l.channel()
                    .writeAndFlush(
                            Codec.encode(new Message.Update(e), l.channel().alloc(), options.limits()));
            l.sent = e;
        }
    }

    /** Published next to the route; kept through reconnects. */
    @Override
    public void setNodeMetadata(Map<String, String> md) {
        if (hidden) {
            return;
        }
        synchronized (lock) {
            if (self == null) {
                throw new IllegalStateException("register the node before publishing its metadata");
            }
            metadata = md == null ? Map.of() : Map.copyOf(md);
            sendEntry();
        }
    }

    // ------------------------------------------------------------------ events

    private void publish(RegistrarEvent event) {
        Node n = node;
        Ref token = eventToken;
        if (n == null || token == null || terminated) {
            return;
        }
        try {
            n.sendEvent(EVENT, token, event);
        } catch (ErgoException e) {
            LOG.debug("node {}: registrar event {} not delivered: {}", self, event, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ Registrar

    @Override
    public Optional<NetworkRoute> resolve(String name) {
        synchronized (lock) {
            return Optional.ofNullable(view.route(name));
        }
    }

    @Override
    public List<ApplicationRoute> resolveApplication(String name) {
        synchronized (lock) {
            return view.application(name);
        }
    }

    @Override
    public List<String> applications() {
        synchronized (lock) {
            return view.applicationNames();
        }
    }

    @Override
    public List<String> nodes() {
        synchronized (lock) {
            return view.nodes();
        }
    }

    @Override
    public Map<String, String> nodeMetadata(String name) {
        synchronized (lock) {
            return view.metadata(name);
        }
    }

    /** The entries this registrar holds, in name order (tests compare it with the server's and a newcomer's). */
    public List<NodeEntry> view() {
        synchronized (lock) {
            return view.entries();
        }
    }

    /** The cluster revision this registrar's view is at; -1 before the first. */
    public long revision() {
        synchronized (lock) {
            return revision;
        }
    }

    /**
     * Under {@link #lock}: the server is at {@code server} (a welcome or a ping says so exactly, even lower after a
     * new epoch; a delta only proves it reached that far), and whether the copy is behind it since when.
     */
    private void learnServerRevision(long server, boolean exact) {
        serverRevision = exact ? server : Math.max(serverRevision, server);
        if (revision >= serverRevision) {
            behindSince = -1;
        } else if (behindSince < 0) {
            behindSince = System.nanoTime();
        }
    }

    /**
     * Where this registrar is and how far behind: {@code server} (the address of the server it is connected to;
     * absent while disconnected), {@code connected}, {@code revision} (the one its copy holds), {@code
     * lagRevisions} (the server's revision as last learned, from its pings, minus the one held; never negative)
     * and {@code lagMillis} (how long the copy has been behind; 0 while level).
     *
     * <pre>{@code
     * registrar.status(); // {server=saturn2:4499, connected=true, revision=42, lagRevisions=0, lagMillis=0}
     * }</pre>
     */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (lock) {
            Link l = link;
            if (l != null && connected) {
                out.put("server", l.server);
            }
            out.put("connected", connected);
            out.put("revision", revision);
            out.put("lagRevisions", Math.max(0, serverRevision - revision));
            out.put("lagMillis", behindSince < 0 ? 0L : (System.nanoTime() - behindSince) / 1_000_000);
        }
        return out;
    }

    @Override
    public Optional<Event> event() {
        return self == null ? Optional.empty() : Optional.of(new Event(EVENT, self));
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public Map<String, Object> config(String... items) {
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (lock) {
            for (String item : items) {
                Object v = view.config(item);
                if (v != null) {
                    out.put(item, v);
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> configAll() {
        synchronized (lock) {
            return view.configAll();
        }
    }

    /** Every capability: applications, events, configuration, hidden nodes and node metadata. */
    @Override
    public RegistrarInfo info() {
        String description = (hidden ? "hidden, " : "") + "saturn " + String.join(",", options.servers()) + ", cluster "
                + options.cluster() + (connected || self == null ? "" : " (disconnected)");
        return new RegistrarInfo(description, true, true, true, true, true);
    }

    /** Leaves the cluster at once (the server removes this node now, not after the TTL) and closes. */
    @Override
    public void terminate() {
        Link l;
        synchronized (lock) {
            if (terminated) {
                return;
            }
            terminated = true;
            l = link;
            link = null;
        }
        connected = false;
        if (executor != null) {
            executor.shutdownNow();
        }
        if (l != null) {
            try {
                l.channel()
                        .writeAndFlush(
                                Codec.encode(new Message.Leave(), l.channel().alloc(), options.limits()))
                        .addListener(f -> l.channel().close());
                l.channel().closeFuture().await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ one connection

    /** A server's refusal, with its code. */
    private static final class Refusal extends Exception {
        final int code;
        final int retryAfter;
        final String reason;

        Refusal(int code, int retryAfter, String reason) {
            super(reason);
            this.code = code;
            this.retryAfter = retryAfter;
            this.reason = reason;
        }
    }

    /**
     * One connection to one server: the handshake, then the view's frames. It becomes the registrar's {@link
     * #link} once registered and holding the view ({@link #ready}).
     */
    private final class Link extends ChannelInboundHandlerAdapter {
        final String server;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        private final byte[] nonce = Proofs.random(Codec.NONCE_BYTES);
        private @Nullable Channel channel;
        private boolean challenged;
        private boolean welcomed;
        private Message.@Nullable Welcome welcome;
        private @Nullable List<NodeEntry> pages;
        private List<ConfigEntry> pagesConfig = List.of();
        /** On a resume: the server's revision at the welcome, which the gap's deltas bring us to. */
        private long catchUpTo = Long.MAX_VALUE;
        /** Our entry as the server last got it. */
        @Nullable
        NodeEntry sent;

        Link(String server) {
            this.server = server;
        }

        Channel channel() {
            return channel;
        }

        void close() {
            Channel c = channel;
            if (c != null) {
                c.close();
            }
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ctx.writeAndFlush(Codec.encode(
                    new Message.Hello(Codec.VERSION, SPOKEN, options.cluster(), options.tokenId(), nonce),
                    ctx.alloc(),
                    options.limits()));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Message m = (Message) msg;
            if (m instanceof Message.Challenge c) {
                onChallenge(ctx, c);
            } else if (m instanceof Message.Refused r) {
                ready.completeExceptionally(new Refusal(r.code(), r.retryAfterMillis(), r.reason()));
                ctx.close();
            } else if (!challenged) {
                throw new SaturnProtocolException(
                        "expected CHALLENGE, got " + m.getClass().getSimpleName());
            } else if (m instanceof Message.Welcome w) {
                onWelcome(ctx, w);
            } else if (m instanceof Message.SnapshotPage p && welcomed) {
                onPage(p);
            } else if (m instanceof Message.Delta d && welcomed) {
                onDelta(d);
            } else if (m instanceof Message.Ping p) {
                synchronized (lock) {
                    if (link == this) {
                        learnServerRevision(p.revision(), true);
                    }
                }
            } else {
                throw new SaturnProtocolException("unexpected " + m.getClass().getSimpleName() + " from the server");
            }
        }

        private void onChallenge(ChannelHandlerContext ctx, Message.Challenge c) {
            if (challenged) {
                throw new SaturnProtocolException("a second CHALLENGE");
            }
            challenged = true;
            if (c.version() < 1 || c.version() > Codec.VERSION) {
                ready.completeExceptionally(new ErgoException("saturn " + server + " speaks protocol version "
                        + c.version() + ", we speak 1.." + Codec.VERSION));
                ctx.close();
                return;
            }
            byte[] fingerprint = peerFingerprint(ctx);
            byte[] expected = Proofs.server(
                    options.token(), nonce, c.nonce(), options.cluster(), c.version(), c.features(), fingerprint);
            if (!Proofs.same(expected, c.proof())) {
                ready.completeExceptionally(new Refusal(
                        Message.Refused.BAD_PROOF,
                        0,
                        "the server did not prove the token of cluster '" + options.cluster()
                                + "' (another token, another cluster, or not our server)"));
                ctx.close();
                return;
            }
            byte[] proof = Proofs.client(
                    options.token(), nonce, c.nonce(), options.cluster(), c.version(), c.features(), self, fingerprint);
            Message.Register register;
            synchronized (lock) {
                sent = entry();
                register = new Message.Register(proof, incarnation, self, sent, epoch, revision);
            }
            ctx.writeAndFlush(Codec.encode(register, ctx.alloc(), options.limits()));
        }

        /** SHA-256 of the certificate the server presented, as this side saw it; empty on plain TCP. */
        private byte[] peerFingerprint(ChannelHandlerContext ctx) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls == null) {
                return new byte[0];
            }
            try {
                return MessageDigest.getInstance("SHA-256")
                        .digest(tls.engine()
                                .getSession()
                                .getPeerCertificates()[0]
                                .getEncoded());
            } catch (GeneralSecurityException | javax.net.ssl.SSLPeerUnverifiedException e) {
                throw new SaturnProtocolException("no server certificate to bind the proofs to: " + e.getMessage());
            }
        }

        private void onWelcome(ChannelHandlerContext ctx, Message.Welcome w) {
            if (welcomed) {
                throw new SaturnProtocolException("a second WELCOME");
            }
            welcomed = true;
            welcome = w;
            ctx.pipeline()
                    .addBefore(
                            "saturn.link",
                            "saturn.idle",
                            new IdleStateHandler(w.ttlMillis(), w.heartbeatMillis(), 0, TimeUnit.MILLISECONDS));
            if (!w.snapshot()) {
                boolean caughtUp;
                synchronized (lock) {
                    if (w.epoch() != epoch) {
                        throw new SaturnProtocolException("a resume across server epochs");
                    }
                    becomeCurrent();
                    catchUpTo = w.revision();
                    learnServerRevision(w.revision(), true);
                    caughtUp = revision >= catchUpTo;
                }
                // connected once the gap's changes are told, as after a snapshot: a listener hears them first
                if (caughtUp) {
                    ready.complete(null);
                }
            }
        }

        private void onPage(Message.SnapshotPage p) {
            if (p.first()) {
                pages = new ArrayList<>();
                pagesConfig = p.config();
            } else if (pages == null) {
                throw new SaturnProtocolException("a snapshot page before the first");
            }
            pages.addAll(p.entries());
            if (!p.last()) {
                return;
            }
            List<RegistrarEvent> events;
            boolean told;
            synchronized (lock) {
                events = view.replace(pages, pagesConfig);
                epoch = welcome.epoch();
                revision = p.revision();
                learnServerRevision(p.revision(), true);
                told = viewLoaded;
                viewLoaded = true;
                pages = null;
                if (!ready.isDone()) {
                    becomeCurrent();
                }
            }
            if (told) {
                events.forEach(SaturnRegistrar.this::publish);
            }
            ready.complete(null);
        }

        private void onDelta(Message.Delta d) {
            List<RegistrarEvent> events = new ArrayList<>();
            synchronized (lock) {
                if (link != this && ready.isDone()) {
                    return; // replaced
                }
                if (d.fromRevision() != revision) {
                    throw new SaturnProtocolException(
                            "a delta from revision " + d.fromRevision() + " while we hold " + revision);
                }
                for (Change c : d.changes()) {
                    events.addAll(view.apply(c));
                }
                revision = d.toRevision();
                viewLoaded = true;
                learnServerRevision(d.toRevision(), false);
            }
            events.forEach(SaturnRegistrar.this::publish);
            if (!ready.isDone() && d.toRevision() >= catchUpTo) {
                ready.complete(null);
            }
        }

        /** Under {@link #lock}: this is the registrar's connection now; the server learns what changed meanwhile. */
        private void becomeCurrent() {
            if (terminated) {
                close();
                return;
            }
            Link old = link;
            link = this;
            if (old != null && old != this) {
                old.close();
            }
            NodeEntry now = entry();
            if (now != null && !now.equals(sent)) {
                sendEntry();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.READER_IDLE) {
                    LOG.warn("node {}: saturn {} silent past the TTL; closing", self, server);
                    ctx.close();
                } else if (idle.state() == IdleState.WRITER_IDLE) {
                    long rev;
                    synchronized (lock) {
                        rev = revision;
                    }
                    ctx.writeAndFlush(Codec.encode(new Message.Ping(rev), ctx.alloc(), options.limits()));
                }
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ready.completeExceptionally(new IOException(server + " closed the connection"));
            linkClosed(this, server + " closed the connection");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                    ? cause.getCause()
                    : cause;
            LOG.warn("node {}: closing the saturn connection to {}: {}", self, server, c.getMessage());
            ready.completeExceptionally(c);
            ctx.close();
        }
    }
}
