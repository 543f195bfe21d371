package services.ergo.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import services.ergo.gen.Compression;
import services.ergo.gen.ErgoException;
import services.ergo.gen.NameKey;
import services.ergo.gen.Network;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.NetworkStats;
import services.ergo.gen.NoConnectionException;
import services.ergo.gen.OutboxFullException;
import services.ergo.gen.Pid;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;
import services.ergo.gen.Registrar;
import services.ergo.node.Core;
import services.ergo.node.MailboxQueue;
import services.ergo.node.RemoteRouter;
import services.ergo.registrar.EmbeddedRegistrar;

/**
 * A node's network on Netty: one acceptor, one {@link Connection} per peer node carried by a pool of lanes, the
 * handshake on each lane, and the encoding of what the node sends. Connections are made on demand, on the first
 * message to a node, from its route.
 */
public final class NetworkService implements Network, RemoteRouter {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkService.class);
    /** The event loops' thread names start with this, then the node's name. */
    static final String EVENT_LOOP_PREFIX = "ergo-net-";

    /** The kinds {@link #refusals()} counts, always listed (zero until one happens). */
    static final String REFUSED_NAME_HELD = "name-held";

    static final String REFUSED_PENDING_HANDSHAKES = "pending-handshakes";
    static final String REFUSED_SILENT_LANE = "silent-lane";
    static final String REFUSED_DIAL_ON_EVENT_LOOP = "dial-on-event-loop";
    static final String REFUSED_SIGNAL = "signal-without-relation";
    private static final List<String> REFUSAL_KINDS = List.of(
            REFUSED_NAME_HELD,
            REFUSED_PENDING_HANDSHAKES,
            REFUSED_SILENT_LANE,
            REFUSED_DIAL_ON_EVENT_LOOP,
            REFUSED_SIGNAL);

    private static final AttributeKey<InetAddress> PENDING = AttributeKey.valueOf("ergo.pendingHandshake");
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final Core core;
    private final NetworkOptions options;
    private final String cookie;
    private final ForyCodec codec = new ForyCodec();
    private final EventLoopGroup group;
    private final Channel acceptor;
    private final NetworkRoute acceptorRoute;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, NetworkRoute> routes = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Connection>> dialing = new ConcurrentHashMap<>();
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();
    private final LongAdder undelivered = new LongAdder();
    private final Map<String, Boolean> loggedOnce = new ConcurrentHashMap<>();
    private final RemoteOperations remoteOps;
    private final Registrar registrar;
    /** Null when TLS is off. */
    private final @Nullable Tls tls;
    /** Per remote node, for nodes that ever connected or failed a handshake; bounded against made-up names. */
    private final Map<String, PeerCounters> counters = new ConcurrentHashMap<>();
    /** Accepted connections still in their handshake, in all and per remote address (M1 of the review). */
    private final AtomicInteger pendingHandshakes = new AtomicInteger();

    private final Map<InetAddress, AtomicInteger> pendingByAddress = new ConcurrentHashMap<>();
    /** The message types registered here, by name, with their schema fingerprints (told to peers). */
    private final Map<String, Long> types = new ConcurrentHashMap<>();
    /** Why lanes and frames were refused, by kind: what the adversarial tests and the log-once lines count. */
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    /** When a lane's drain stops handing frames to Netty, and when it goes on: see {@link #waterMark}. */
    private final WriteBufferWaterMark waterMark;

    private NetworkService(Core core) {
        this.core = core;
        this.options = core.options().network();
        this.cookie = core.options().cookie();
        this.group = new MultiThreadIoEventLoopGroup(
                Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())),
                new DefaultThreadFactory(EVENT_LOOP_PREFIX + core.name(), true),
                NioIoHandler.newFactory());
        this.remoteOps = new RemoteOperations(this, core);
        this.waterMark = waterMark(options.maxOutboxBytes());
        try {
            this.tls = Tls.of(options.tls(), core.name());
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        this.acceptor = bind();
        InetSocketAddress bound = (InetSocketAddress) acceptor.localAddress();
        if (cookie.isEmpty()) {
            refuseAnEmptyCookieBeyondLoopback(bound.getAddress());
        }
        this.acceptorRoute = new NetworkRoute(options.host(), bound.getPort());
        Supplier<? extends Registrar> makeRegistrar = core.options().registrar();
        this.registrar = makeRegistrar == null ? new EmbeddedRegistrar() : makeRegistrar.get();
        try {
            if (options.hidden()) {
                registrar.registerHidden(core.node());
            } else {
                // the cookie stays here: the registrar gets the key of this node's name, derived from it
                registrar.register(core.node(), acceptorRoute, NameKey.derive(cookie, core.name()));
            }
        } catch (RuntimeException e) {
            acceptor.close();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /**
     * An empty cookie is a key everyone has: on loopback only processes of this host can use it, which is worth a
     * warning; on any other address (the wildcard included) anyone who reaches it could join, so the start stops.
     */
    private void refuseAnEmptyCookieBeyondLoopback(InetAddress bound) {
        if (bound.isLoopbackAddress()) {
            LOG.warn(
                    "node {}: the cookie is empty; any process on this host can join this node's cluster (set one:"
                            + " the cookie option, ergo.node.cookie with the Spring Boot starter)",
                    core.name());
            return;
        }
        acceptor.close();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        throw new services.ergo.gen.InvalidOptionException(
                "cookie",
                "the cookie is empty and the acceptor listens on " + bound.getHostAddress()
                        + ", beyond loopback: anyone who reaches it could join this node's cluster. Set a cookie"
                        + " (ergo.node.cookie with the Spring Boot starter), or bind the acceptor to loopback");
    }

    /** Starts the network of the node behind {@code core} and attaches it. */
    public static NetworkService start(Core core) {
        NetworkService service = new NetworkService(core);
        core.attachNetwork(service, service);
        LOG.info(
                "node {} accepts connections on {}; registrar: {}",
                core.name(),
                service.acceptorRoute,
                service.registrar.info());
        return service;
    }

    /**
     * Netty's default marks (32/64 KiB) would park a busy lane's drain every few hundred microseconds at a million
     * small messages a second and shrink its batches; 1 MiB keeps a socket's send buffer fed between two event loop
     * turns while what Netty holds for one lane stays small next to the default 64 MiB outbox. The high mark is at
     * most a quarter of the outbox, so a small outbox still parks drains before it fills: the frames then wait in the
     * lane's queue, compact, rather than as Netty's per-write entries. Low at a quarter of high: no flapping.
     */
    static WriteBufferWaterMark waterMark(long maxOutboxBytes) {
        int high = (int) Math.min(1 << 20, maxOutboxBytes / 4);
        return new WriteBufferWaterMark(high / 4, high);
    }

    private Channel bind() {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (admitHandshake(ch)) {
                            pipeline(ch, null, null, null, new byte[0]);
                        } else {
                            ch.close();
                        }
                    }
                });
        int first = options.port();
        int tries = first == 0 ? 1 : options.portRange();
        ErgoException last = null;
        for (int i = 0; i < tries; i++) {
            int port = first == 0 ? 0 : first + i;
            try {
                return b.bind(options.host(), port).sync().channel();
            } catch (Exception e) {
                if (!(e instanceof BindException) && !(e.getCause() instanceof BindException)) {
                    group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                    throw new ErgoException(
                            "cannot start the acceptor on " + options.host() + ":" + port + ": " + e, e);
                }
                last = new ErgoException("ports " + first + ".." + port + " on " + options.host() + " are taken", e);
            }
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        throw last;
    }

    /** A lane's handlers: an accepted lane has no {@code expected} peer, no {@code done} and no {@code route}. */
    private void pipeline(
            Channel ch,
            @Nullable String expected,
            @Nullable CompletableFuture<Lane> done,
            @Nullable NetworkRoute route,
            byte[] connectionId) {
        int maxFrame = options.maxMessageSize() + 4096;
        if (tls != null) {
            ch.pipeline()
                    .addLast(
                            "tls",
                            route == null
                                    ? tls.server.newHandler(ch.alloc())
                                    : tls.client.newHandler(ch.alloc(), route.host(), route.port()));
        }
        ch.pipeline()
                .addLast("frames", new FrameDecoder(maxFrame))
                .addLast("handshake", new Handshake(this, expected, done, connectionId));
    }

    /**
     * Counts an accepted connection into its handshake, or refuses it when too many are in theirs, for the node or
     * for its remote address: a flood of connections that prove nothing holds a bounded amount of memory.
     */
    private boolean admitHandshake(SocketChannel ch) {
        InetAddress from =
                ch.remoteAddress() == null ? null : ch.remoteAddress().getAddress();
        if (from == null) {
            return false;
        }
        AtomicInteger mine = pendingByAddress.computeIfAbsent(from, a -> new AtomicInteger());
        if (pendingHandshakes.incrementAndGet() > options.maxPendingHandshakes()
                | mine.incrementAndGet() > options.maxPendingHandshakesPerAddress()) {
            pendingHandshakes.decrementAndGet();
            release(from, mine);
            refused(
                    REFUSED_PENDING_HANDSHAKES,
                    "node {}: refused a connection from {}: too many handshakes in progress (maxPendingHandshakes"
                            + " {}, per address {})",
                    core.name(),
                    from.getHostAddress(),
                    options.maxPendingHandshakes(),
                    options.maxPendingHandshakesPerAddress());
            handshakeFailures.increment();
            return false;
        }
        ch.attr(PENDING).set(from);
        return true;
    }

    /** The handshake of {@code channel} ended, either way: it no longer counts as pending. Idempotent. */
    void handshakeEnded(Channel channel) {
        InetAddress from = channel.attr(PENDING).getAndSet(null);
        if (from != null) {
            pendingHandshakes.decrementAndGet();
            AtomicInteger n = pendingByAddress.get(from);
            if (n != null) {
                release(from, n);
            }
        }
    }

    private void release(InetAddress from, AtomicInteger n) {
        if (n.decrementAndGet() <= 0) {
            pendingByAddress.remove(from, n);
        }
    }

    /** Handshakes of accepted connections in progress now; for tests. */
    int pendingHandshakes() {
        return pendingHandshakes.get();
    }

    /** Counts a refusal of {@code kind} and logs it once per kind and peer. */
    void refused(String kind, String format, Object... args) {
        refusals.computeIfAbsent(kind, k -> new LongAdder()).increment();
        logOnce("refused:" + kind + ":" + (args.length > 1 ? args[1] : ""), format, args);
    }

    /** How many times something of {@code kind} was refused; for tests and the docs' counters. */
    long refusals(String kind) {
        return refusals().getOrDefault(kind, 0L);
    }

    @Override
    public Map<String, Long> refusals() {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (String kind : REFUSAL_KINDS) {
            out.put(kind, 0L);
        }
        refusals.forEach((kind, n) -> out.put(kind, n.sum()));
        out.put(REFUSED_SIGNAL, core.refusedFromRemote());
        return out;
    }

    // ------------------------------------------------------------------ for the handlers

    /**
     * Throws {@link ProtocolException} when TLS proves names (certificates mode) and the certificate of
     * {@code channel}'s peer does not name {@code peer}, the node it claims to be; see {@link Tls#checkPeerName}.
     */
    void checkPeerName(Channel channel, String peer) {
        if (tls != null) {
            tls.checkPeerName(channel.pipeline().get(SslHandler.class), peer);
        }
    }

    Core core() {
        return core;
    }

    NetworkOptions options() {
        return options;
    }

    ForyCodec codec() {
        return codec;
    }

    RemoteOperations remoteOps() {
        return remoteOps;
    }

    /** Sends a request frame whose body {@code body} writes, to {@code peer}. */
    void sendRequest(String peer, byte type, RemoteNodeHandle.Body body) {
        Lane lane = lane(peer, 0);
        ByteBuf b = frame(lane.channel.alloc(), type);
        try {
            body.write(b);
            checkSize(b, lane);
        } catch (RuntimeException e) {
            b.release();
            throw e;
        }
        lane.send(sealed(b));
    }

    String nodeName() {
        return core.name();
    }

    long creation() {
        return core.creation();
    }

    String cookie() {
        return cookie;
    }

    /** A frame with its length still to be filled in by {@link #sealed}. */
    ByteBuf frame(ByteBufAllocator alloc, byte type) {
        ByteBuf b = alloc.buffer(128);
        b.writeInt(0);
        b.writeByte(type);
        return b;
    }

    static ByteBuf sealed(ByteBuf frame) {
        frame.setInt(0, frame.readableBytes() - 4);
        return frame;
    }

    /**
     * Adds an authenticated lane to the connection with {@code peer}, or refuses it. A name that a live connection
     * holds is taken by no other connection: an accepted lane joins only with the creation and the connection id of
     * the lanes there (the other lanes of the same dial), so a cookie holder claiming the name cannot join the pool,
     * and a restarted node takes over once the old incarnation's lanes are gone (closed, or silent past the
     * keepalive), after its death was reported. A dialed lane reached the node the route named and proved it; it
     * joins a live connection of the same creation (two nodes that dialed each other at once), never another.
     */
    Lane laneUp(
            Channel channel,
            String peer,
            long peerCreation,
            int maxMessage,
            Features features,
            byte[] connectionId,
            boolean dialed) {
        synchronized (connections) {
            Connection c = connections.get(peer);
            if (c != null && c.lanes.isEmpty()) {
                connections.remove(peer, c);
                c = null;
            }
            if (c != null) {
                if (c.creation != peerCreation) {
                    probe(c);
                    throw refuse(
                            REFUSED_NAME_HELD,
                            peer,
                            "a connection to " + peer + " of creation " + c.creation + " is still up; creation "
                                    + peerCreation + " takes over once it is gone");
                }
                if (!dialed && !c.hasConnectionId(connectionId)) {
                    probe(c);
                    throw refuse(REFUSED_NAME_HELD, peer, peer + " is connected already, by another connection");
                }
            } else {
                c = new Connection(peer, peerCreation, counters(peer, true), options.maxOutboxBytes());
                connections.put(peer, c);
            }
            c.addConnectionId(connectionId);
            Lane lane = new Lane(channel, peer, peerCreation, maxMessage, features, c);
            c.lanes.add(lane);
            c.counters.connects.increment();
            LOG.debug("node {}: lane to {} up ({} lanes)", core.name(), peer, c.lanes.size());
            return lane;
        }
    }

    /**
     * Pings the lanes of a connection whose name another lane just claimed: if the old peer is gone without a word
     * (its host rebooted, a half-open connection), the write draws a reset and the lanes close now, not after the
     * keepalive, so the claimant's retry gets in.
     */
    private void probe(Connection c) {
        for (Lane l : c.lanes) {
            if (l.speaks(Features.KEEPALIVE)) {
                l.channel.writeAndFlush(sealed(frame(l.channel.alloc(), Wire.PING)), l.channel.voidPromise());
            }
        }
    }

    /** The handshake logs and counts the failure; this counts its kind. */
    private LaneRefusedException refuse(String kind, String peer, String why) {
        refusals.computeIfAbsent(kind, k -> new LongAdder()).increment();
        return new LaneRefusedException(why);
    }

    void laneDown(Lane lane) {
        Connection c = lane.connection;
        c.counters.disconnects.increment();
        synchronized (connections) {
            c.lanes.remove(lane);
            if (c.lanes.isEmpty() && connections.remove(c.peer, c)) {
                LOG.info("node {}: connection to {} lost", core.name(), c.peer);
                // under the lock: a new incarnation's lane waits until the old one's death is reported, or the
                // report (by node name) would also cut what was just made with the new one
                core.nodeDown(c.peer);
            }
        }
    }

    void handshakeFailed(Channel channel, @Nullable String peer, String why) {
        handshakeFailures.increment();
        PeerCounters c = peer == null ? null : counters(peer, false);
        if (c != null) {
            c.handshakeFailures.increment();
        }
        logOnce(
                "handshake:" + peer + ":" + why,
                "node {}: handshake with {} ({}) failed: {}",
                core.name(),
                peer,
                channel.remoteAddress(),
                why);
    }

    void protocolError(Channel channel, @Nullable String peer, String why) {
        protocolErrors.increment();
        PeerCounters c = peer == null ? null : counters(peer, false);
        if (c != null) {
            c.protocolErrors.increment();
        }
        // one line per peer and kind of error: the part of the reason before what the frame itself claimed
        String kind = peer == null ? why : why.replace(peer, "");
        logOnce(
                "protocol:" + peer + ":" + kind.substring(0, Math.min(kind.length(), 24)),
                "node {}: closing the lane to {} ({}): {}",
                core.name(),
                peer,
                channel.remoteAddress(),
                why);
    }

    void undelivered(String peer, Object to, ErgoException e) {
        undelivered.increment();
        LOG.debug("node {}: message from {} to {} not delivered: {}", core.name(), peer, to, e.getMessage());
    }

    /**
     * The counters of {@code peer}. Nodes that proved themselves always get theirs; names only claimed by a
     * handshake that failed get one while fewer than 1000 are kept, so a flood of made-up names stays bounded.
     */
    private @Nullable PeerCounters counters(String peer, boolean proven) {
        PeerCounters c = counters.get(peer);
        if (c == null && (proven || counters.size() < 1000)) {
            c = counters.computeIfAbsent(peer, p -> new PeerCounters());
        }
        return c;
    }

    private void logOnce(String key, String format, Object... args) {
        if (loggedOnce.size() < 1000 && loggedOnce.putIfAbsent(key, Boolean.TRUE) == null) {
            LOG.warn(format, args);
        } else {
            LOG.debug(format, args);
        }
    }

    // ------------------------------------------------------------------ RemoteRouter

    @Override
    public void route(
            String peer,
            Pid from,
            Object to,
            byte kind,
            Object message,
            @Nullable Ref ref,
            MailboxQueue queue,
            @Nullable Compression compression) {
        Lane lane = lane(peer, from.id());
        ByteBuf b = frame(
                lane.channel.alloc(),
                kind == REQUEST ? Wire.REQUEST : kind == IMPORTANT ? Wire.SEND_IMPORTANT : Wire.SEND);
        try {
            Wire.writePid(b, from);
            Wire.writeTarget(b, to);
            if (kind == REQUEST) {
                Wire.writeRef(b, ref);
            } else if (kind == IMPORTANT) {
                Wire.writeRef(b, ref);
                b.writeByte(queue.wire());
            } else {
                b.writeByte(queue.wire());
            }
            int payloadStart = b.writerIndex();
            codec.encode(message, b);
            if (compression != null && PayloadCompression.compress(b, payloadStart, compression)) {
                b.setByte(4, b.getByte(4) | Wire.COMPRESSED);
            }
            checkSize(b, lane);
        } catch (RuntimeException e) {
            b.release();
            throw e;
        }
        lane.send(sealed(b));
    }

    @Override
    public void respond(String peer, Pid from, Pid to, Ref ref, @Nullable Object value, @Nullable ErgoException error) {
        Lane lane;
        try {
            lane = lane(peer, from.id());
        } catch (ErgoException e) {
            LOG.debug("node {}: answer to {} lost: {}", core.name(), to, e.getMessage());
            return;
        }
        ByteBuf b = frame(lane.channel.alloc(), Wire.RESPONSE);
        try {
            Wire.writePid(b, from);
            Wire.writePid(b, to);
            Wire.writeRef(b, ref);
            if (error == null) {
                b.writeByte(1);
                codec.encode(value, b);
            } else {
                b.writeByte(0);
                Wire.writeString(b, error.getClass().getSimpleName());
                Wire.writeString(b, truncate(String.valueOf(error.getMessage())));
            }
            checkSize(b, lane);
        } catch (RuntimeException e) {
            b.release();
            // the answer cannot travel (unregistered type, too big): tell the caller that instead
            if (error == null) {
                respond(
                        peer,
                        from,
                        to,
                        ref,
                        null,
                        e instanceof ErgoException ee ? ee : new ErgoException(e.toString()));
            }
            return;
        }
        try {
            lane.send(sealed(b));
        } catch (OutboxFullException e) {
            // counted; the caller waits for its timeout, as for an answer lost with its connection
            LOG.debug("node {}: answer to {} lost: {}", core.name(), to, e.getMessage());
        }
    }

    @Override
    public void exit(String peer, Pid from, Object to, Reason reason, @Nullable String fromName) {
        control(peer, from, to, Wire.EXIT, null, reason, fromName, false);
    }

    @Override
    public void link(String peer, Pid from, Object to) {
        control(peer, from, to, Wire.LINK, null, null, null, true);
    }

    @Override
    public void unlink(String peer, Pid from, Object to) {
        control(peer, from, to, Wire.UNLINK, null, null, null, false);
    }

    @Override
    public void monitor(String peer, Pid from, Object to, Ref ref) {
        control(peer, from, to, Wire.MONITOR, ref, null, null, true);
    }

    @Override
    public void demonitor(String peer, Pid from, Object to, Ref ref) {
        control(peer, from, to, Wire.DEMONITOR, ref, null, null, false);
    }

    @Override
    public void down(String peer, Pid from, Pid owner, Ref ref, Reason reason) {
        control(peer, from, owner, Wire.DOWN, ref, reason, null, false);
    }

    /**
     * A control frame: from, the target (a Pid or a ProcessId), then a ref, a reason and the sender's name when the
     * type has them. Link and monitor must reach the peer, so their failure to connect or a full outbox is thrown;
     * the others are best effort (a lost peer reports itself; one that does not read loses them, counted).
     */
    private void control(
            String peer,
            Pid from,
            Object to,
            byte type,
            @Nullable Ref ref,
            @Nullable Reason reason,
            @Nullable String fromName,
            boolean mustReach) {
        Lane lane;
        try {
            lane = lane(peer, from.id());
        } catch (ErgoException e) {
            if (mustReach) {
                throw e;
            }
            return;
        }
        ByteBuf b = frame(lane.channel.alloc(), type);
        Wire.writePid(b, from);
        Wire.writeTarget(b, to);
        if (ref != null) {
            Wire.writeRef(b, ref);
        }
        if (reason != null) {
            Wire.writeString(b, truncate(reason.text()));
        }
        if (type == Wire.EXIT) {
            Wire.writeString(b, fromName == null ? "" : fromName);
        }
        try {
            lane.send(sealed(b));
        } catch (OutboxFullException e) {
            if (mustReach) {
                throw e;
            }
            LOG.debug("node {}: signal {} from {} to {} lost: {}", core.name(), type, from, to, e.getMessage());
        }
    }

    private static String truncate(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }

    private void checkSize(ByteBuf b, Lane lane) {
        if (b.readableBytes() - 4 > lane.maxMessage) {
            throw new ErgoException("message of " + (b.readableBytes() - 4) + " bytes is larger than " + lane.maxMessage
                    + " bytes, the most " + lane.peer + " accepts (maxMessageSize)");
        }
    }

    private Lane lane(String peer, long senderId) {
        Connection c = connections.get(peer);
        Lane lane = c == null ? null : c.laneFor(senderId);
        if (lane != null) {
            return lane;
        }
        if (onEventLoop()) {
            // a frame's consequence (an answer, an exit, a down) for a node not connected now: dialing would block
            // the loop that carries every lane (H1 of the review), so it is dropped and counted instead
            refused(
                    REFUSED_DIAL_ON_EVENT_LOOP,
                    "node {}: not dialing {} from the network's event loop; what was for it is dropped",
                    core.name(),
                    peer);
            throw new NoConnectionException(peer, "not connected, and the network's event loop never dials");
        }
        c = dial(peer);
        lane = c.laneFor(senderId);
        if (lane == null) {
            throw new NoConnectionException(peer, "the connection closed as it opened");
        }
        return lane;
    }

    /** Whether this thread is one of this network's event loops, which must never wait. */
    boolean onEventLoop() {
        for (io.netty.util.concurrent.EventExecutor loop : group) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** Opens the pool of lanes to {@code peer}, once, however many senders ask at the same time. */
    private Connection dial(String peer) {
        CompletableFuture<Connection> mine = new CompletableFuture<>();
        CompletableFuture<Connection> pending = dialing.putIfAbsent(peer, mine);
        if (pending == null) {
            pending = mine;
            try {
                NetworkRoute route = route(peer);
                List<CompletableFuture<Lane>> lanes = new ArrayList<>();
                byte[] connectionId = new byte[Features.ID_BYTES];
                RANDOM.nextBytes(connectionId);
                for (int i = 0; i < options.poolSize(); i++) {
                    lanes.add(openLane(peer, route, connectionId));
                }
                CompletableFuture.allOf(lanes.toArray(new CompletableFuture[0])).whenComplete((v, e) -> {
                    // out of the map before anyone is woken: a caller retrying at once (after a failed dial, a
                    // changed route) must start a dial of its own, not join this finished one (TlsTest saw that)
                    dialing.remove(peer, mine);
                    Connection c = connections.get(peer);
                    if (c != null && !c.lanes.isEmpty()) {
                        mine.complete(c);
                    } else {
                        mine.completeExceptionally(e != null ? e : new NoConnectionException(peer));
                    }
                });
            } catch (RuntimeException e) {
                dialing.remove(peer, mine);
                mine.completeExceptionally(e);
            }
        }
        try {
            // the dialer's own steps are bounded (resolve, connect, handshake); this bound is only a backstop
            return pending.get(options.handshakeTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause =
                    e.getCause() instanceof java.util.concurrent.CompletionException ce ? ce.getCause() : e.getCause();
            if (cause instanceof ErgoException ee) {
                throw ee;
            }
            throw new NoConnectionException(peer, String.valueOf(cause));
        } catch (TimeoutException e) {
            throw new NoConnectionException(
                    peer, "no handshake within " + options.handshakeTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoConnectionException(peer, "interrupted while connecting");
        }
    }

    private NetworkRoute route(String peer) {
        NetworkRoute route = routes.get(peer);
        if (route != null) {
            return route;
        }
        return registrar
                .resolve(peer)
                .orElseThrow(() -> new NoConnectionException(
                        peer,
                        "no route to it: no static route and the registrar (" + registrar.info() + ") does not"
                                + " know it"));
    }

    private CompletableFuture<Lane> openLane(String peer, NetworkRoute route, byte[] connectionId) {
        CompletableFuture<Lane> done = new CompletableFuture<>();
        new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        options.handshakeTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline(ch, peer, done, route, connectionId);
                    }
                })
                .connect(route.host(), route.port())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        done.completeExceptionally(new NoConnectionException(
                                peer, "cannot reach " + route + ": " + f.cause().getMessage()));
                    }
                });
        return done;
    }

    // ------------------------------------------------------------------ Network

    @Override
    public NetworkRoute acceptor() {
        return acceptorRoute;
    }

    @Override
    public void registerType(Class<?> type) {
        registerTypes(List.of(type));
    }

    @Override
    public void registerTypes(Collection<Class<?>> registering) {
        codec.registerAll(registering);
        Map<String, Long> news = new LinkedHashMap<>();
        for (Class<?> type : registering) {
            Long fingerprint = TypeFingerprint.of(type);
            if (!fingerprint.equals(types.put(type.getName(), fingerprint))) {
                news.put(type.getName(), fingerprint);
            }
        }
        if (news.isEmpty()) {
            return;
        }
        // peers learn a type registered later too; lane 0 of each connection carries the news
        for (Connection c : connections.values()) {
            Lane l = c.laneFor(0);
            if (l != null && l.speaks(Features.TYPES)) {
                try {
                    l.send(typesFrame(l.channel.alloc(), news));
                } catch (ErgoException e) {
                    LOG.debug(
                            "node {}: {} not told of types {}: {}", core.name(), c.peer, news.keySet(), e.getMessage());
                }
            }
        }
    }

    /** A TYPES frame: a count, then each type's name and fingerprint. */
    ByteBuf typesFrame(ByteBufAllocator alloc, Map<String, Long> of) {
        ByteBuf b = frame(alloc, Wire.TYPES);
        b.writeInt(of.size());
        of.forEach((name, fingerprint) -> {
            Wire.writeString(b, name);
            b.writeLong(fingerprint);
        });
        return sealed(b);
    }

    /** Every type registered here, for a new lane. */
    Map<String, Long> types() {
        return Map.copyOf(types);
    }

    /**
     * The message types {@code peer} told it registered, with their schema fingerprints; empty for a peer of the
     * first release, which does not tell.
     */
    Map<String, Long> peerTypes(String peer) {
        Connection c = connections.get(peer);
        return c == null ? Map.of() : Map.copyOf(c.peerTypes);
    }

    /** Notes the types a peer told: a type both registered with different schemas is worth a warning. */
    void peerTypes(Lane lane, Map<String, Long> told) {
        Connection c = lane.connection;
        for (Map.Entry<String, Long> e : told.entrySet()) {
            if (c.peerTypes.size() >= Connection.MAX_PEER_TYPES && !c.peerTypes.containsKey(e.getKey())) {
                throw new ProtocolException("more than " + Connection.MAX_PEER_TYPES + " message types");
            }
            c.peerTypes.put(e.getKey(), e.getValue());
            Long mine = types.get(e.getKey());
            if (mine != null && !mine.equals(e.getValue())) {
                logOnce(
                        "schema:" + c.peer + ":" + e.getKey(),
                        "node {}: {} registered {} with another schema; fields are matched by name, and a field only"
                                + " one side has is left empty",
                        core.name(),
                        c.peer,
                        e.getKey());
            }
        }
    }

    @Override
    public Registrar registrar() {
        return registrar;
    }

    @Override
    public void addRoute(String peer, NetworkRoute route) {
        routes.put(peer, route);
    }

    @Override
    public void removeRoute(String peer) {
        routes.remove(peer);
    }

    @Override
    public List<String> nodes() {
        return List.copyOf(connections.keySet());
    }

    @Override
    public void connect(String peer) {
        lane(peer, 0);
    }

    @Override
    public void disconnect(String peer) {
        Connection c = connections.get(peer);
        if (c != null) {
            for (Lane l : c.lanes) {
                l.channel.close();
            }
        }
    }

    @Override
    public void enableSpawn(String name, services.ergo.gen.ProcessFactory factory, String... allowedNodes) {
        remoteOps.enableSpawn(name, factory, allowedNodes);
    }

    @Override
    public void disableSpawn(String name) {
        remoteOps.disableSpawn(name);
    }

    @Override
    public void enableApplicationStart(String name, String... allowedNodes) {
        remoteOps.enableApplicationStart(name, allowedNodes);
    }

    @Override
    public void disableApplicationStart(String name) {
        remoteOps.disableApplicationStart(name);
    }

    @Override
    public void checkApplicationStart(String name, String node) {
        remoteOps.checkApplicationStart(node, name);
    }

    @Override
    public services.ergo.gen.RemoteNode node(String name) {
        if (name == null || name.equals(core.name())) {
            throw new IllegalArgumentException("node(...) is for other nodes, got " + name);
        }
        return new RemoteNodeHandle(this, core, name);
    }

    /** The lanes to {@code peer} now; for tests that must write past the sender's checks. */
    List<Lane> lanes(String peer) {
        Connection c = connections.get(peer);
        return c == null ? List.of() : List.copyOf(c.lanes);
    }

    @Override
    public NetworkStats stats(@Nullable String peer) {
        if (peer != null) {
            PeerCounters c = counters.get(peer);
            if (c == null) {
                return new NetworkStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            }
            Connection now = connections.get(peer);
            return c.stats(now == null ? 0 : now.outboxBytes());
        }
        long in = 0, out = 0, bin = 0, bout = 0, con = 0, dis = 0, writes = 0, full = 0, outbox = 0;
        for (PeerCounters c : counters.values()) {
            NetworkStats s = c.stats(0);
            in += s.messagesIn();
            out += s.messagesOut();
            bin += s.bytesIn();
            bout += s.bytesOut();
            con += s.connects();
            dis += s.disconnects();
            writes += s.writes();
            full += s.outboxFull();
        }
        for (Connection c : connections.values()) {
            outbox += c.outboxBytes();
        }
        // failures are counted as a whole too: many happen before a peer has named itself
        return new NetworkStats(
                in, out, bin, bout, con, dis, handshakeFailures.sum(), protocolErrors.sum(), writes, full, outbox);
    }

    @Override
    public void stop() {
        remoteOps.stop();
        registrar.terminate();
        acceptor.close();
        for (Connection c : connections.values()) {
            for (Lane l : c.lanes) {
                l.channel.close();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
