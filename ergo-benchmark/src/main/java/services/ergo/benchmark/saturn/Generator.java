package services.ergo.benchmark.saturn;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The generator's side: N simulated nodes on a few event loops in one JVM, each with its own connection to the
 * server. What the clients see is gathered here: how many hold the cold start's revision, when each revision
 * reached the counted ones ({@link Tracker}), which node each revision changed (from the observer), and when the
 * driver made each change.
 */
final class Generator implements AutoCloseable {
    private final EventLoopGroup loops;
    private final @Nullable SslContext ssl;
    private final int port;

    final List<LoadClient> clients = new ArrayList<>();
    final Tracker tracker = new Tracker(1 << 20);
    /** Revision → "J:name" or "L:name", told by the observer. */
    final ConcurrentHashMap<Long, String> names = new ConcurrentHashMap<>();
    /** "J:name" / "L:name" → when the driver's client sent the registration or the leave (nanoTime). */
    final ConcurrentHashMap<String, Long> sent = new ConcurrentHashMap<>();

    volatile long coldTarget = Long.MAX_VALUE;
    volatile boolean tracking;
    volatile boolean closing;
    final AtomicInteger ready = new AtomicInteger();
    final AtomicInteger welcomes = new AtomicInteger();
    final AtomicLong busy = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final ConcurrentLinkedQueue<String> firstFailures = new ConcurrentLinkedQueue<>();

    Generator(int threads, int port, @Nullable File certificate) throws Exception {
        // epoll where it is there, as the server's reactor-netty does: the generator should cost no more than it must
        this.loops = new MultiThreadIoEventLoopGroup(
                threads, Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.port = port;
        this.ssl = certificate == null
                ? null
                : SslContextBuilder.forClient().trustManager(certificate).build();
    }

    LoadClient add(String name, boolean full, boolean observer, int entryPort) {
        LoadClient c = new LoadClient(this, name, full, observer, false, entryPort);
        clients.add(c);
        return c;
    }

    void connect(LoadClient client) {
        if (closing) {
            return;
        }
        new Bootstrap()
                .group(loops)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            // the certificate names localhost, and the client checks the name
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), "localhost", port));
                        }
                        ch.pipeline().addLast("frames", new Frames(client.full));
                        ch.pipeline().addLast("load", client);
                    }
                })
                .connect("localhost", port)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        // channelInactive does not come for a connection that never opened
                        loops.next()
                                .schedule(
                                        () -> connect(client),
                                        200 + (long) (Math.random() * 800),
                                        TimeUnit.MILLISECONDS);
                    }
                });
    }

    void welcomed(LoadClient c) {
        welcomes.incrementAndGet();
    }

    void fail(String what) {
        if (failures.incrementAndGet() <= 5) {
            firstFailures.add(what);
        }
    }

    /** The clients that hold at least {@code revision}, among {@code of}. */
    static long holding(List<LoadClient> of, long revision) {
        return of.stream().filter(c -> c.revision >= revision).count();
    }

    @Override
    public void close() {
        closing = true;
        clients.forEach(c -> {
            var ch = c.channel;
            if (ch != null) {
                ch.close();
            }
        });
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
