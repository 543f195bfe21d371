package services.ergo.saturn.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import services.ergo.saturn.protocol.Codec;
import services.ergo.saturn.protocol.FrameDecoder;
import services.ergo.saturn.protocol.Message;
import services.ergo.saturn.protocol.NodeEntry;
import services.ergo.saturn.protocol.Proofs;
import services.ergo.saturn.protocol.SaturnProtocolException;

/**
 * One client connection: the handshake (HELLO, CHALLENGE with the server's proof, REGISTER with the client's),
 * then its node's entry and the view pushed to it. Everything a session writes happens on its channel's event
 * loop in {@link #pump()}: the next snapshot page while one is under way, else one delta frame with every change
 * after what it last sent, as long as the channel is writable. A session whose channel stops being writable (its
 * client does not read) is simply not written to; when it drains, it goes on from where it was, from the history
 * or, if that no longer reaches back, with a new snapshot. So it holds at most its queue's cap of the server's
 * memory, and no one else waits for it.
 */
final class Session extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    /** The features this release names: resuming from a revision. */
    static final List<String> SPOKEN = List.of("resume");

    private enum State {
        HELLO,
        REGISTER,
        REGISTERED,
        CLOSED
    }

    private final SaturnServer server;
    private final FrameDecoder decoder;
    private final Channel channel;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final byte[] nonce = Proofs.random(Codec.NONCE_BYTES);

    private State state = State.HELLO;
    private @Nullable ScheduledFuture<?> deadline;
    private byte[] clientNonce = new byte[0];
    private String clusterName = "";
    private @Nullable ClusterState cluster;
    private String token = "";
    private String tokenId = "";
    /** The names the token may claim; null: any. */
    private java.util.regex.@Nullable Pattern names;

    private int version;
    private List<String> features = List.of();

    byte[] incarnation = new byte[0];
    private String name = "";
    private boolean hidden;

    /** The last revision written to this client (a delta's end, or a finished snapshot's start revision). */
    private long sentRevision;
    /** A snapshot under way: where it stands, and the revision deltas resume from once it is done. */
    private boolean snapshotting;

    private boolean snapshotFirst;
    private @Nullable String snapshotAfter;
    private long snapshotRevision;

    Session(SaturnServer server, FrameDecoder decoder, Channel channel) {
        this.server = server;
        this.decoder = decoder;
        this.channel = channel;
    }

    String name() {
        return name;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armDeadline();
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            armDeadline();
        }
    }

    private void armDeadline() {
        if (deadline == null) {
            long millis = server.options().handshakeTimeout().toMillis();
            deadline = channel.eventLoop()
                    .schedule(
                            () -> {
                                if (state != State.REGISTERED) {
                                    LOG.debug(
                                            "saturn: {} did not register within {} ms",
                                            channel.remoteAddress(),
                                            millis);
                                    channel.close();
                                }
                            },
                            millis,
                            TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.CLOSED) {
            return;
        }
        Message m = (Message) msg;
        switch (state) {
            case HELLO -> onHello(m);
            case REGISTER -> onRegister(m);
            case REGISTERED -> onRegistered(m);
            default -> {}
        }
    }

    private void onHello(Message m) {
        if (!(m instanceof Message.Hello hello)) {
            throw new SaturnProtocolException(
                    "expected HELLO first, got " + m.getClass().getSimpleName());
        }
        if (hello.version() < 1) {
            refuse(
                    Message.Refused.VERSION,
                    0,
                    "protocol version " + hello.version() + " is not spoken here (1.." + Codec.VERSION + ")");
            return;
        }
        version = Math.min(hello.version(), Codec.VERSION);
        features = hello.features().stream().filter(SPOKEN::contains).sorted().toList();
        clientNonce = hello.nonce();
        clusterName = hello.cluster();
        cluster = server.cluster(clusterName);
        SaturnToken known = server.token(clusterName, hello.tokenId());
        // an unknown cluster or token gets a proof under a random key: the client cannot learn which exist
        token = known != null ? known.secret() : java.util.HexFormat.of().formatHex(Proofs.random(32));
        names = known == null ? null : known.pattern();
        tokenId = hello.tokenId();
        if (known == null) {
            cluster = null;
        }
        byte[] proof = Proofs.server(token, clientNonce, nonce, clusterName, version, features, server.fingerprint());
        state = State.REGISTER;
        channel.writeAndFlush(
                Codec.encode(new Message.Challenge(version, features, nonce, proof), channel.alloc(), limits()));
    }

    private void onRegister(Message m) {
        if (!(m instanceof Message.Register r)) {
            throw new SaturnProtocolException(
                    "expected REGISTER, got " + m.getClass().getSimpleName());
        }
        byte[] expected = Proofs.client(
                token, clientNonce, nonce, clusterName, version, features, r.name(), server.fingerprint());
        if (cluster == null || !Proofs.same(expected, r.proof())) {
            server.counters().badProofs.incrementAndGet();
            LOG.info("saturn: {} failed the token proof for cluster '{}'", channel.remoteAddress(), clusterName);
            refuse(Message.Refused.BAD_PROOF, 0, "the cluster token proof does not verify");
            return;
        }
        long wait = server.admission().admit();
        if (wait > 0) {
            server.counters().busy.incrementAndGet();
            // a little spread on top, so that the refused do not all come back in the same millisecond
            int retryAfter = (int)
                    (wait + java.util.concurrent.ThreadLocalRandom.current().nextLong(wait + 1));
            refuse(Message.Refused.BUSY, retryAfter, "registrations are coming faster than admitted; retry later");
            return;
        }
        if (names != null && !names.matcher(r.name()).matches()) {
            server.counters().namesRefused.incrementAndGet();
            LOG.info("saturn: token '{}' of cluster '{}' may not claim {}", tokenId, clusterName, r.name());
            refuse(
                    Message.Refused.NAME_NOT_ALLOWED,
                    0,
                    "token '" + tokenId + "' of cluster '" + clusterName + "' may not claim node name '" + r.name()
                            + "'");
            return;
        }
        decoder.open();
        NodeEntry entry = r.entry();
        if (entry != null && !entry.name().equals(r.name())) {
            refuse(Message.Refused.BAD_REQUEST, 0, "the entry names " + entry.name() + ", not " + r.name());
            return;
        }
        name = r.name();
        hidden = entry == null;
        incarnation = r.incarnation();
        ClusterState c = cluster;
        if (!hidden) {
            ClusterState.Claim claim = c.claim(this, name, incarnation, entry);
            if (claim.refusal() != null) {
                server.counters().namesTaken.incrementAndGet();
                refuse(Message.Refused.NAME_TAKEN, (int) server.options().ttl().toMillis(), claim.refusal());
                return;
            }
            Session replaced = claim.replaced();
            if (replaced != null) {
                server.counters().reclaims.incrementAndGet();
                replaced.replacedBy(channel);
            }
        }
        server.counters().registrations.incrementAndGet();
        boolean resume = r.epoch() == c.epoch && c.reaches(r.revision());
        long now = c.revision();
        if (resume) {
            server.counters().resumes.incrementAndGet();
            sentRevision = r.revision();
        } else {
            startSnapshot(now);
        }
        int ttl = (int) server.options().ttl().toMillis();
        channel.write(Codec.encode(
                new Message.Welcome(c.epoch, now, ttl, Math.max(10, ttl / 3), !resume), channel.alloc(), limits()));
        state = State.REGISTERED;
        c.sessions.add(this);
        if (server.cluster(clusterName) != c) {
            close(); // the cluster left the server's file while this client registered
            return;
        }
        pump();
        if (!hidden) {
            server.wake(c); // the others learn of this node
        }
    }

    private void onRegistered(Message m) {
        ClusterState c = cluster;
        if (m instanceof Message.Ping) {
            channel.writeAndFlush(Codec.encode(new Message.Ping(c.revision()), channel.alloc(), limits()));
        } else if (m instanceof Message.Update u) {
            if (hidden || !u.entry().name().equals(name)) {
                throw new SaturnProtocolException("an update for " + u.entry().name() + " from session " + name);
            }
            if (c.update(this, u.entry())) {
                server.wake(c);
            }
        } else if (m instanceof Message.Leave) {
            state = State.CLOSED;
            if (!hidden && c.release(this, name)) {
                server.wake(c);
            }
            channel.close();
        } else {
            throw new SaturnProtocolException("unexpected " + m.getClass().getSimpleName() + " after registering");
        }
    }

    private void refuse(int code, int retryAfter, String reason) {
        state = State.CLOSED;
        channel.writeAndFlush(Codec.encode(new Message.Refused(code, retryAfter, reason), channel.alloc(), limits()))
                .addListener(f -> channel.close());
    }

    /**
     * After a reload: a session whose token is no longer in force (removed, or its secret changed), or no longer
     * lets it claim its name, is disconnected, so that revoking a leaked token takes effect at once. It runs on
     * the session's event loop, where its handshake state is written.
     */
    void recheckToken() {
        channel.eventLoop().execute(() -> {
            if (state != State.REGISTERED) {
                return;
            }
            SaturnToken now = server.token(clusterName, tokenId);
            String why = now == null || !now.secret().equals(token)
                    ? "the token it proved is no longer in force"
                    : now.pattern() != null && !now.pattern().matcher(name).matches()
                            ? "its token no longer lets it claim that name"
                            : null;
            if (why != null) {
                server.counters().revoked.incrementAndGet();
                LOG.warn(
                        "saturn: disconnecting {} of cluster '{}' (token '{}'): {}",
                        name.isEmpty() ? "a hidden client" : name,
                        clusterName,
                        tokenId.isEmpty() ? "own" : tokenId,
                        why);
                state = State.CLOSED;
                channel.close();
            }
        });
    }

    /** Closes the connection from the server's side (its cluster was removed). */
    void close() {
        channel.eventLoop().execute(() -> {
            state = State.CLOSED;
            channel.close();
        });
    }

    /** Another connection of the same node took this session over: it closes without removing the node. */
    private void replacedBy(Channel other) {
        channel.eventLoop().execute(() -> {
            LOG.debug("saturn: session of {} taken over by {}", name, other.remoteAddress());
            state = State.CLOSED;
            channel.close();
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && state != State.CLOSED) {
            LOG.info("saturn: {} of cluster '{}' silent past the TTL; removed", name, clusterName);
            server.counters().expired.incrementAndGet();
            channel.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable()) {
            wake();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        State was = state;
        state = State.CLOSED;
        if (deadline != null) {
            deadline.cancel(false);
        }
        ClusterState c = cluster;
        if (c != null && !server.stopping() && (was == State.REGISTERED || was == State.CLOSED)) {
            c.sessions.remove(this);
            if (!hidden && !name.isEmpty() && c.release(this, name)) {
                server.wake(c);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                ? cause.getCause()
                : cause;
        if (c instanceof SaturnProtocolException) {
            server.counters().refusedFrames.incrementAndGet();
            LOG.info("saturn: closing {}: {}", channel.remoteAddress(), c.getMessage());
        } else {
            LOG.debug("saturn: closing {}: {}", channel.remoteAddress(), c.toString());
        }
        state = State.CLOSED;
        channel.close();
    }

    // ------------------------------------------------------------------ pushing

    /** Something changed: a pump is scheduled on this session's event loop unless one already is. */
    void wake() {
        if (scheduled.compareAndSet(false, true)) {
            long round = server.options().round().toNanos();
            if (round == 0) {
                channel.eventLoop().execute(this::pump);
            } else {
                channel.eventLoop().schedule(this::pump, round, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void startSnapshot(long at) {
        server.counters().snapshots.incrementAndGet();
        snapshotting = true;
        snapshotFirst = true;
        snapshotAfter = null;
        snapshotRevision = at;
    }

    /**
     * Writes what this client lacks while its channel takes it, then flushes once; a snapshot goes a page a turn,
     * the rest queued behind the loop's other work.
     */
    private void pump() {
        scheduled.set(false);
        if (state != State.REGISTERED || !channel.isActive()) {
            return;
        }
        ClusterState c = cluster;
        int frameBudget = limits().maxFrameBytes() - 64;
        boolean wrote = false;
        while (channel.isWritable()) {
            if (snapshotting) {
                ClusterState.Page page = c.page(snapshotAfter, server.options().pageEntries(), frameBudget);
                channel.write(Codec.encode(
                        new Message.SnapshotPage(
                                snapshotRevision,
                                snapshotFirst,
                                page.last(),
                                page.entries(),
                                snapshotFirst ? c.config() : List.of()),
                        channel.alloc(),
                        limits()));
                wrote = true;
                snapshotFirst = false;
                if (page.last()) {
                    snapshotting = false;
                    sentRevision = snapshotRevision;
                } else {
                    snapshotAfter =
                            page.entries().get(page.entries().size() - 1).name();
                    // a page a turn: the rest of this loop's sessions, whose rounds a change just woke, must not
                    // wait behind a whole snapshot (thousands of entries, encrypted at the flush)
                    channel.flush();
                    channel.eventLoop().execute(this::pump);
                    return;
                }
                continue;
            }
            ClusterState.Delta delta = c.delta(sentRevision, frameBudget);
            if (delta == null) {
                server.counters().resyncs.incrementAndGet();
                LOG.debug("saturn: {} fell out of the history at {}; resynchronising", name, sentRevision);
                startSnapshot(c.revision());
                continue;
            }
            if (delta.frame() == null) {
                break;
            }
            channel.write(delta.frame());
            server.counters().deltaFrames.incrementAndGet();
            sentRevision = delta.to();
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** Bytes waiting in this session's outbound queue (for tests and metrics). */
    long queuedBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    private services.ergo.saturn.protocol.Limits limits() {
        return server.options().limits();
    }

    static List<String> spoken() {
        return new ArrayList<>(SPOKEN);
    }
}
