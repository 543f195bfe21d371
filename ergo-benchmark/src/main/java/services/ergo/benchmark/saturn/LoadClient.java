package services.ergo.benchmark.saturn;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import services.ergo.saturn.protocol.Change;
import services.ergo.saturn.protocol.Codec;
import services.ergo.saturn.protocol.Message;
import services.ergo.saturn.protocol.NodeEntry;
import services.ergo.saturn.protocol.Proofs;

/**
 * One simulated node: its own connection, the handshake as a registrar makes it (the server's proof checked, the
 * proof bound to the certificate it saw), heartbeats when it has nothing else to send, and a small state: the
 * revision it holds. A full client also keeps the view, entry by entry, to be checked against a newcomer's at the
 * end; the observer among them also notes which node each revision changed, for the latency tables.
 *
 * <p>Sharable only in Netty's sense: a client that reconnects puts itself in its new connection's pipeline, while
 * the old one is closed; it is never in two open ones.
 */
@ChannelHandler.Sharable
final class LoadClient extends ChannelInboundHandlerAdapter {
    private static final List<String> SPOKEN = List.of("resume");

    final Generator generator;
    final String name;
    final boolean full;
    final boolean observer;
    /** Counted clients are the ones a change must reach before its propagation is complete. */
    volatile boolean counted;
    /** The revision this client holds: -1 before its first snapshot. */
    volatile long revision = -1;
    /** When this client first held the cold start's target revision (nanoTime), 0 before. */
    volatile long readyAt;

    volatile boolean welcomed;
    volatile @Nullable Channel channel;
    /** The view of a full client, by name. */
    final TreeMap<String, NodeEntry> view = new TreeMap<>();

    private byte[] nonce = Proofs.random(Codec.NONCE_BYTES);
    private final byte[] incarnation = Proofs.random(Codec.INCARNATION_BYTES);
    private @Nullable List<NodeEntry> pages;
    private boolean pagesStarted;
    private int attempts;
    /** Set once this client left on purpose: it does not come back. */
    volatile boolean left;

    private final @Nullable NodeEntry entry;

    LoadClient(Generator generator, String name, boolean full, boolean observer, boolean hidden, int port) {
        this.generator = generator;
        this.name = name;
        this.full = full;
        this.observer = observer;
        this.entry = hidden ? null : new NodeEntry(name, "127.0.0.1", port, Map.of("role", "load"), List.of());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        nonce = Proofs.random(Codec.NONCE_BYTES);
        ctx.writeAndFlush(Codec.encode(
                new Message.Hello(Codec.VERSION, SPOKEN, ScaleServer.CLUSTER, "", nonce), ctx.alloc(), Frames.LIMITS));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = System.nanoTime();
        if (msg instanceof Frames.DeltaHead d) {
            delta(d.from(), d.to(), now);
        } else if (msg instanceof Frames.PageHead p) {
            if (p.last()) {
                revision = p.revision();
                reached(now);
            }
        } else if (msg instanceof Message.Delta d) {
            for (Change c : d.changes()) {
                if (c instanceof Change.Set s) {
                    view.put(s.name(), s.entry());
                    if (observer) {
                        generator.names.put(c.revision(), "J:" + s.name());
                    }
                } else if (c instanceof Change.Remove r) {
                    view.remove(r.name());
                    if (observer) {
                        generator.names.put(c.revision(), "L:" + r.name());
                    }
                }
            }
            delta(d.fromRevision(), d.toRevision(), now);
        } else if (msg instanceof Message.SnapshotPage p) {
            if (p.first()) {
                pages = new ArrayList<>();
            }
            if (pages != null) {
                pages.addAll(p.entries());
                if (p.last()) {
                    view.clear();
                    pages.forEach(e -> view.put(e.name(), e));
                    pages = null;
                    revision = p.revision();
                    reached(now);
                }
            }
        } else if (msg instanceof Message.Challenge c) {
            challenge(ctx, c);
        } else if (msg instanceof Message.Welcome w) {
            welcomed = true;
            attempts = 0;
            ctx.pipeline()
                    .addBefore("load", "idle", new IdleStateHandler(0, w.heartbeatMillis(), 0, TimeUnit.MILLISECONDS));
            generator.welcomed(this);
        } else if (msg instanceof Message.Refused r) {
            if (r.code() == Message.Refused.BUSY) {
                generator.busy.incrementAndGet();
                ctx.close(); // channelInactive comes back after the server's retry-after
                retryAfter = r.retryAfterMillis();
            } else {
                generator.fail(name + " refused: " + r.reason());
                left = true;
                ctx.close();
            }
        }
    }

    private long retryAfter;

    private void challenge(ChannelHandlerContext ctx, Message.Challenge c) {
        byte[] fingerprint = fingerprint(ctx);
        byte[] expected = Proofs.server(
                ScaleServer.TOKEN, nonce, c.nonce(), ScaleServer.CLUSTER, c.version(), c.features(), fingerprint);
        if (!Proofs.same(expected, c.proof())) {
            generator.fail(name + ": the server's proof does not hold");
            ctx.close();
            return;
        }
        byte[] proof = Proofs.client(
                ScaleServer.TOKEN, nonce, c.nonce(), ScaleServer.CLUSTER, c.version(), c.features(), name, fingerprint);
        generator.sent.putIfAbsent("J:" + name, System.nanoTime());
        ctx.writeAndFlush(
                Codec.encode(new Message.Register(proof, incarnation, name, entry, 0, -1), ctx.alloc(), Frames.LIMITS));
    }

    private static byte[] fingerprint(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return new byte[0];
        }
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(tls.engine().getSession().getPeerCertificates()[0].getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void delta(long from, long to, long now) {
        if (from != revision) {
            generator.fail(name + ": a delta from " + from + " while holding " + revision);
        }
        revision = to;
        if (counted && generator.tracking) {
            generator.tracker.record(from, to, now);
        }
        reached(now);
    }

    private void reached(long now) {
        if (readyAt == 0 && revision >= generator.coldTarget) {
            readyAt = now;
            generator.ready.incrementAndGet();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.writeAndFlush(Codec.encode(new Message.Ping(revision), ctx.alloc(), Frames.LIMITS));
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Leaves the cluster, as a node that stops: its entry goes at once. */
    void leave() {
        left = true;
        Channel c = channel;
        if (c != null) {
            generator.sent.put("L:" + name, System.nanoTime());
            c.writeAndFlush(Codec.encode(new Message.Leave(), c.alloc(), Frames.LIMITS))
                    .addListener(f -> c.close());
        }
    }

    /** Stops reading (a slow consumer) or reads again. */
    void reading(boolean on) {
        Channel c = channel;
        if (c != null) {
            c.config().setAutoRead(on);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        boolean wasWelcomed = welcomed;
        welcomed = false;
        revision = -1;
        if (left || generator.closing) {
            return;
        }
        if (wasWelcomed) {
            generator.lost.incrementAndGet();
        }
        // as a registrar does: the server's retry-after when it said busy, else jittered exponential backoff
        long backoff = retryAfter > 0 ? retryAfter : Math.min(5000, 100L << Math.min(attempts, 6));
        retryAfter = 0;
        attempts++;
        long delay = (long) (backoff * (0.5 + Math.random()));
        ctx.channel().eventLoop().schedule(() -> generator.connect(this), delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        generator.fail(name + ": " + cause);
        ctx.close();
    }
}
