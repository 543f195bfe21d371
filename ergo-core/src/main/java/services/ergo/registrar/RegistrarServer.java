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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of the embedded registrar: registration over TCP (a name lives as long as the connection that
 * registered it) and resolution over UDP. Whatever a peer sends that is not our protocol is counted and the
 * connection closed (TCP) or the datagram dropped (UDP).
 */
final class RegistrarServer {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrarServer.class);

    /** A registered node: its acceptor port and the connection that holds the name (null for the server's own). */
    private record Entry(int port, @Nullable Channel owner) {}

    private final Map<String, Entry> nodes = new ConcurrentHashMap<>();
    private final LongAdder rejected;
    private Channel tcp;
    private Channel udp;

    private RegistrarServer(LongAdder rejected) {
        this.rejected = rejected;
    }

    /**
     * Binds both sockets; null when the port is taken on either (someone else serves). Port 0 binds a free port,
     * the same number for TCP and UDP.
     */
    static @Nullable RegistrarServer tryBind(
            EventLoopGroup group, EmbeddedRegistrar.Options options, LongAdder rejected) {
        for (int attempt = 0; attempt < (options.port() == 0 ? 20 : 1); attempt++) {
            RegistrarServer s = new RegistrarServer(rejected);
            if (s.bind(group, options)) {
                return s;
            }
        }
        return null;
    }

    private boolean bind(EventLoopGroup group, EmbeddedRegistrar.Options options) {
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
                    .bind(options.host(), options.port())
                    .sync()
                    .channel();
        } catch (Exception e) {
            LOG.debug("registrar port {}:{} taken: {}", options.host(), options.port(), e.toString());
            return false;
        }
        int port = port();
        try {
            InetSocketAddress at = options.resolveHost().equals("*")
                    ? new InetSocketAddress(port)
                    : new InetSocketAddress(options.resolveHost(), port);
            udp = new Bootstrap()
                    .group(group)
                    .channel(NioDatagramChannel.class)
                    .handler(new Resolution())
                    .bind(at)
                    .sync()
                    .channel();
            return true;
        } catch (Exception e) {
            LOG.debug("registrar UDP port {} taken: {}", port, e.toString());
            tcp.close().syncUninterruptibly();
            return false;
        }
    }

    /** The port bound, TCP and UDP. */
    int port() {
        return ((InetSocketAddress) tcp.localAddress()).getPort();
    }

    void registerLocal(String node, int port) {
        nodes.put(node, new Entry(port, null));
    }

    List<String> names() {
        return List.copyOf(nodes.keySet());
    }

    @Nullable
    Integer portOf(String node) {
        Entry e = nodes.get(node);
        return e == null ? null : e.port;
    }

    void close() {
        tcp.close().syncUninterruptibly();
        udp.close().syncUninterruptibly();
        for (Entry e : nodes.values()) {
            if (e.owner != null) {
                e.owner.close();
            }
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
            if (name != null
                    || w == null
                    || w.length != 4
                    || !w[1].equals("REGISTER")
                    || !RegistrarProtocol.validName(w[2])
                    || RegistrarProtocol.port(w[3]) == null) {
                refuse(ctx, name != null ? "one registration per connection" : "not a registration: " + cut(line));
                return;
            }
            Entry mine = new Entry(RegistrarProtocol.port(w[3]), ctx.channel());
            Entry held = nodes.putIfAbsent(w[2], mine);
            if (held != null) {
                LOG.warn("registrar: refused node {}: the name is held by a live node", w[2]);
                ctx.writeAndFlush(RegistrarProtocol.TAG + " TAKEN\n").addListener(f -> ctx.close());
                return;
            }
            name = w[2];
            entry = mine;
            ctx.writeAndFlush(RegistrarProtocol.TAG + " OK\n");
            LOG.debug("registrar: node {} registered", name);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (name != null && nodes.remove(name, entry)) {
                LOG.debug("registrar: node {} left", name);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            refuse(ctx, cause.toString());
        }

        private void refuse(ChannelHandlerContext ctx, String why) {
            rejected.increment();
            LOG.debug("registrar: closing {}: {}", ctx.channel().remoteAddress(), why);
            ctx.writeAndFlush(RegistrarProtocol.TAG + " ERROR\n").addListener(f -> ctx.close());
        }
    }

    /** Answers resolve and list queries. */
    private final class Resolution extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (packet.content().readableBytes() > RegistrarProtocol.MAX_LINE) {
                rejected.increment();
                return;
            }
            String[] w = RegistrarProtocol.words(packet.content().toString(StandardCharsets.UTF_8));
            String answer;
            if (w != null && w.length == 3 && w[1].equals("RESOLVE") && RegistrarProtocol.validName(w[2])) {
                Entry e = nodes.get(w[2]);
                answer = e == null ? " UNKNOWN " + w[2] : " ROUTE " + w[2] + " " + e.port;
            } else if (w != null && w.length == 2 && w[1].equals("NODES")) {
                StringBuilder b = new StringBuilder(" NODES");
                for (String n : nodes.keySet()) {
                    if (b.length() + n.length() + 1 > RegistrarProtocol.MAX_DATAGRAM - 64) {
                        break;
                    }
                    b.append(' ').append(n);
                }
                answer = b.toString();
            } else {
                rejected.increment();
                return;
            }
            byte[] bytes = (RegistrarProtocol.TAG + answer).getBytes(StandardCharsets.UTF_8);
            ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), packet.sender()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            rejected.increment();
        }
    }

    private static String cut(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
