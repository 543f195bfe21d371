package services.ergo.registrar;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of the embedded registrar: registration over TCP (a name lives as long as the connection that
 * registered it) and resolution over UDP. Whatever a peer sends that is not our protocol is counted and the
 * connection closed (TCP) or the datagram dropped (UDP).
 *
 * <p>A name registered with a key ({@link services.ergo.gen.NameKey}) is kept with the key's SHA-256, and every
 * node that registered with a key is told the table (names, ports, verifiers) as it changes. When the serving node
 * goes, the node that takes over starts with the names of that table kept for their holders for a while: only the
 * key a verifier was made from registers such a name then, so a process that races the holders back cannot take
 * their names over or point them elsewhere.
 */
final class RegistrarServer {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrarServer.class);
    private static final java.util.regex.Pattern QUERY_ID = java.util.regex.Pattern.compile("[0-9A-Za-z]{8,32}");

    /**
     * A registered node: its acceptor port, the connection that holds the name (null for the server's own) and the
     * SHA-256 of its key (null when it registered without one, as the previous release does).
     */
    record Entry(int port, @Nullable Channel owner, byte @Nullable [] verifier) {}

    /** What the server counts, while this node serves. */
    record Counters(LongAdder rejected, LongAdder refusedNames) {}

    private final Map<String, Entry> nodes = new ConcurrentHashMap<>();
    /** Names kept for their holders after a takeover: the verifier each claim must match. */
    private final Map<String, byte[]> kept;

    private final long keptUntil;
    /** Connections registered with a key: they are told every change of the table. */
    private final Set<Channel> subscribers = ConcurrentHashMap.newKeySet();

    private final Counters counters;
    private volatile boolean closing;
    private Channel tcp;
    private Channel udp;

    private RegistrarServer(Counters counters, Map<String, byte[]> kept, long keptUntil) {
        this.counters = counters;
        this.kept = new ConcurrentHashMap<>(kept);
        this.keptUntil = keptUntil;
    }

    /**
     * Binds both sockets, with {@code local} (this node) registered before any other can ask; null when the port
     * is taken on either (someone else serves). Port 0 binds a free port, the same number for TCP and UDP. The
     * names of {@code kept} are kept for their holders for {@code keep}.
     */
    static @Nullable RegistrarServer tryBind(
            EventLoopGroup group,
            EmbeddedRegistrar.Options options,
            Counters counters,
            String local,
            Entry localEntry,
            Map<String, byte[]> kept,
            java.time.Duration keep) {
        for (int attempt = 0; attempt < (options.port() == 0 ? 20 : 1); attempt++) {
            Map<String, byte[]> others = new java.util.HashMap<>(kept);
            others.remove(local);
            RegistrarServer s = new RegistrarServer(counters, others, System.nanoTime() + keep.toNanos());
            s.nodes.put(local, localEntry);
            if (s.bind(group, options)) {
                if (!others.isEmpty()) {
                    LOG.info(
                            "registrar: keeping {} names for their holders for {} ms while they register again",
                            others.size(),
                            keep.toMillis());
                }
                return s;
            }
        }
        return null;
    }

    /**
     * UDP first, then TCP: once the TCP port is bound, nodes connect and register, so it must be the last step.
     * (Bound the other way round, a server whose UDP bind then failed closed its port but not the connections it
     * had accepted in between: a node registered there stayed registered with no one, and lost its name.)
     */
    private boolean bind(EventLoopGroup group, EmbeddedRegistrar.Options options) {
        try {
            InetSocketAddress at = options.resolveHost().equals("*")
                    ? new InetSocketAddress(options.port())
                    : new InetSocketAddress(options.resolveHost(), options.port());
            udp = new Bootstrap()
                    .group(group)
                    .channel(NioDatagramChannel.class)
                    .handler(new Resolution())
                    .bind(at)
                    .sync()
                    .channel();
        } catch (Exception e) {
            LOG.debug("registrar UDP port {} taken: {}", options.port(), e.toString());
            return false;
        }
        int port = ((InetSocketAddress) udp.localAddress()).getPort();
        try {
            tcp = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            RegistrarProtocol.lines(ch.pipeline(), new Registration());
                        }
                    })
                    .bind(options.host(), port)
                    .sync()
                    .channel();
            return true;
        } catch (Exception e) {
            LOG.debug("registrar port {}:{} taken: {}", options.host(), port, e.toString());
            udp.close().syncUninterruptibly();
            return false;
        }
    }

    /** The port bound, TCP and UDP. */
    int port() {
        return ((InetSocketAddress) tcp.localAddress()).getPort();
    }

    List<String> names() {
        return List.copyOf(nodes.keySet());
    }

    @Nullable
    Integer portOf(String node) {
        Entry e = nodes.get(node);
        return e == null ? null : e.port;
    }

    /** The table as the nodes registered with a key are told it: names, ports and verifiers. */
    Map<String, Entry> table() {
        return Map.copyOf(nodes);
    }

    void close() {
        // the nodes must not hear LEFT for each other while their connections close one by one: the one that
        // takes over keeps their names for them only if it still knows them
        subscribers.clear();
        closing = true;
        tcp.close().syncUninterruptibly();
        udp.close().syncUninterruptibly();
        for (Entry e : nodes.values()) {
            if (e.owner != null) {
                e.owner.close();
            }
        }
    }

    static String held(String name, Entry e) {
        return RegistrarProtocol.TAG + " HELD " + name + " " + e.port + " "
                + (e.verifier == null ? "-" : RegistrarProtocol.base64(e.verifier)) + "\n";
    }

    private void tell(String line) {
        for (Channel c : subscribers) {
            if (!c.isWritable()) {
                // a node reads its registrar connection at once; one that does not would make us buffer forever
                LOG.warn("registrar: closing {}, which does not read what it is told", c.remoteAddress());
                c.close();
                continue;
            }
            c.writeAndFlush(line);
        }
    }

    private static byte[] sha256(byte[] key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** One registering node's connection. */
    private final class Registration extends SimpleChannelInboundHandler<String> {
        /** Null until the connection registered its node. */
        private @Nullable String name;

        private @Nullable Entry entry;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            String[] w = RegistrarProtocol.words(line);
            if (name == null && w != null && w.length == 2 && w[1].equals("NODES")) {
                list(ctx);
                return;
            }
            if (name != null
                    || w == null
                    || w.length < 4
                    || !w[1].equals("REGISTER")
                    || !RegistrarProtocol.validName(w[2])
                    || RegistrarProtocol.port(w[3]) == null) {
                refuse(ctx, name != null ? "one registration per connection" : "not a registration: " + cut(line));
                return;
            }
            // words after the key are for later releases; this one ignores them
            byte[] key = w.length >= 5 ? RegistrarProtocol.unbase64(w[4], 32) : null;
            if (w.length >= 5 && key == null) {
                refuse(ctx, "not a name key: " + cut(line));
                return;
            }
            // a holder coming back for a kept name is let in past the cap, so made-up names cannot keep it out
            if (nodes.size() >= RegistrarProtocol.MAX_NAMES && !kept.containsKey(w[2])) {
                refuse(ctx, "the registrar holds " + RegistrarProtocol.MAX_NAMES + " names already");
                return;
            }
            String claimed = w[2];
            if (nodes.containsKey(claimed)) {
                taken(ctx, claimed, "held", "the name is held by a live node");
                return;
            }
            byte[] verifier = key == null ? null : sha256(key);
            byte[] keptFor = kept.get(claimed);
            if (keptFor != null) {
                if (System.nanoTime() - keptUntil < 0
                        && (verifier == null || !MessageDigest.isEqual(verifier, keptFor))) {
                    taken(
                            ctx,
                            claimed,
                            "kept",
                            "the name is kept for the node that held it, which proved another key, while it"
                                    + " registers again after the registrar moved");
                    return;
                }
                kept.remove(claimed);
            }
            Entry mine = new Entry(RegistrarProtocol.port(w[3]), ctx.channel(), verifier);
            if (nodes.putIfAbsent(claimed, mine) != null) {
                taken(ctx, claimed, "held", "the name is held by a live node");
                return;
            }
            name = claimed;
            entry = mine;
            tell(held(claimed, mine));
            if (key != null) {
                // the table first, then OK: the node knows its neighbours once it is registered
                for (Map.Entry<String, Entry> e : nodes.entrySet()) {
                    ctx.write(held(e.getKey(), e.getValue()));
                }
                subscribers.add(ctx.channel());
            }
            ctx.writeAndFlush(RegistrarProtocol.TAG + " OK\n");
            LOG.debug("registrar: node {} registered{}", name, key == null ? " without a key" : "");
        }

        private void list(ChannelHandlerContext ctx) {
            List<String> lines = new ArrayList<>();
            StringBuilder b = new StringBuilder(RegistrarProtocol.TAG + " NODES");
            for (String n : nodes.keySet()) {
                if (b.length() + n.length() + 2 > RegistrarProtocol.MAX_LINE) {
                    lines.add(b.append('\n').toString());
                    b = new StringBuilder(RegistrarProtocol.TAG + " NODES");
                }
                b.append(' ').append(n);
            }
            lines.add(b.append('\n').toString());
            for (String l : lines) {
                ctx.write(l);
            }
            ctx.writeAndFlush(RegistrarProtocol.TAG + " END\n").addListener(f -> ctx.close());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            subscribers.remove(ctx.channel());
            if (name != null && nodes.remove(name, entry) && !closing) {
                LOG.debug("registrar: node {} left", name);
                tell(RegistrarProtocol.TAG + " LEFT " + name + "\n");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            refuse(ctx, cause.toString());
        }

        private void taken(ChannelHandlerContext ctx, String claimed, String word, String why) {
            counters.refusedNames().increment();
            LOG.warn(
                    "registrar: refused node {} from {}: {}",
                    claimed,
                    ctx.channel().remoteAddress(),
                    why);
            ctx.writeAndFlush(RegistrarProtocol.TAG + " TAKEN " + word + "\n").addListener(f -> ctx.close());
        }

        private void refuse(ChannelHandlerContext ctx, String why) {
            counters.rejected().increment();
            LOG.debug("registrar: closing {}: {}", ctx.channel().remoteAddress(), why);
            ctx.writeAndFlush(RegistrarProtocol.TAG + " ERROR\n").addListener(f -> ctx.close());
        }
    }

    /**
     * Answers resolve queries, with the query's id when it carries one; an answer is never much larger than its
     * query, so the port reflects nothing bigger than what reaches it. The previous release's NODES query is not
     * answered.
     */
    private final class Resolution extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            int size = packet.content().readableBytes();
            if (size > RegistrarProtocol.MAX_LINE) {
                counters.rejected().increment();
                return;
            }
            String[] w = RegistrarProtocol.words(packet.content().toString(StandardCharsets.UTF_8));
            if (w == null
                    || !w[1].equals("RESOLVE")
                    || !(w.length == 3
                            || (w.length == 4 && QUERY_ID.matcher(w[3]).matches()))
                    || !RegistrarProtocol.validName(w[2])) {
                counters.rejected().increment();
                return;
            }
            Entry e = nodes.get(w[2]);
            String answer = e == null ? " UNKNOWN " + w[2] : " ROUTE " + w[2] + " " + e.port;
            if (w.length == 4) {
                answer += " " + w[3];
            }
            byte[] bytes = (RegistrarProtocol.TAG + answer).getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 2 * size) {
                counters.rejected().increment(); // cannot happen for a well-formed query; never amplify
                return;
            }
            ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), packet.sender()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            counters.rejected().increment();
        }
    }

    private static String cut(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
