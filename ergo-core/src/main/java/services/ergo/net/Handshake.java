package services.ergo.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.NodeNames;

/**
 * Proves both ends know the cookie without sending it: each side sends a fresh nonce, and each answers with an
 * HMAC-SHA256, keyed by the cookie, over both nonces, both names and its role. The dialer speaks first (HELLO);
 * the acceptor proves itself first (CHALLENGE), so a dialer never sends its proof to an impostor. Then come the
 * creation numbers (a restarted node is told apart) and the largest message each side accepts. Anything else, or
 * nothing within the handshake timeout, closes the connection. After the fixed fields each side may add what it
 * speaks ({@link Features}): a node of the first release ignores that block and sends none. On a TLS lane it starts once TLS is up, and the
 * proofs also cover both certificates' fingerprints: a relay in the middle holds other certificates, so the proofs
 * it passes on do not verify.
 */
final class Handshake extends ChannelInboundHandlerAdapter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NetworkService service;
    private final boolean dialer;
    /** The node the dialer wants; null on the acceptor's side. */
    private final @Nullable String expected;

    /** Completed with the lane on the dialer's side; null on the acceptor's. */
    private final @Nullable CompletableFuture<Lane> done;

    private final byte[] nonce = new byte[Wire.NONCE_BYTES];
    /** Null until the peer's HELLO (or CHALLENGE) came, as is its name. */
    private byte @Nullable [] peerNonce;

    private @Nullable String peerName;
    private long peerCreation;
    private int peerMaxMessage;
    private Features peerFeatures = Features.NONE;
    /** The dialer's id for the connection it opens: every lane of one dial carries it (see Features). */
    private final byte[] connectionId;

    private @Nullable ScheduledFuture<?> timeout;
    private boolean finished;
    /** Set on the dialer once the acceptor's proof checked out: only then may an ACCEPT finish the handshake. */
    private boolean acceptorProven;
    /** The certificates' fingerprints when the lane is TLS (see {@link Tls#binding}); empty otherwise. */
    private byte[] binding = new byte[0];
    /**
     * The features blocks of HELLO and CHALLENGE as sent, covered by the proofs when the side that proves saw the
     * other's block: a changed block fails the handshake. Stripping both still reads as a first-release peer, which
     * cannot be told apart without giving that release up; TLS protects the whole stream.
     */
    private byte[] helloBlock = new byte[0];

    private byte[] challengeBlock = new byte[0];

    /**
     * @param connectionId the dial's id on the dialer's side (one per pool of lanes); ignored on the acceptor's
     */
    Handshake(
            NetworkService service,
            @Nullable String expected,
            @Nullable CompletableFuture<Lane> done,
            byte[] connectionId) {
        this.service = service;
        this.dialer = expected != null;
        this.expected = expected;
        this.done = done;
        this.connectionId = dialer ? connectionId : new byte[Features.ID_BYTES];
        RANDOM.nextBytes(nonce);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long millis = service.options().handshakeTimeout().toMillis();
        timeout = ctx.executor()
                .schedule(() -> fail(ctx, "no handshake within " + millis + " ms"), millis, TimeUnit.MILLISECONDS);
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            start(ctx);
        } else {
            tls.handshakeFuture().addListener(f -> {
                if (!f.isSuccess()) {
                    fail(ctx, "TLS: " + f.cause().getMessage());
                    return;
                }
                try {
                    binding = Tls.binding(tls, dialer);
                } catch (ProtocolException e) {
                    fail(ctx, e.getMessage());
                    return;
                }
                start(ctx);
            });
        }
        ctx.fireChannelActive();
    }

    /** The cookie handshake proper, on a plain lane or once TLS is up. */
    private void start(ChannelHandlerContext ctx) {
        if (dialer && !finished) {
            ByteBuf out = service.frame(ctx.alloc(), Wire.HELLO);
            out.writeInt(Wire.MAGIC);
            out.writeByte(Wire.VERSION);
            Wire.writeString(out, service.nodeName());
            out.writeLong(service.creation());
            out.writeBytes(nonce);
            out.writeInt(service.options().maxMessageSize());
            helloBlock = block(Features.mine(connectionId));
            out.writeBytes(helloBlock);
            ctx.writeAndFlush(NetworkService.sealed(out));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (finished) {
            // a failed handshake reads nothing more: a frame behind the one that failed must not finish it
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            byte type = Wire.readByte(in, "frame type");
            if (dialer) {
                switch (type) {
                    case Wire.CHALLENGE -> onChallenge(ctx, in);
                    case Wire.ACCEPT -> onAccept(ctx, in);
                    case Wire.REJECT -> fail(ctx, "refused by " + expected + ": " + Wire.readString(in));
                    default -> throw new ProtocolException("frame type " + type + " during the handshake");
                }
            } else {
                switch (type) {
                    case Wire.HELLO -> onHello(ctx, in);
                    case Wire.ANSWER -> onAnswer(ctx, in);
                    default -> throw new ProtocolException("frame type " + type + " during the handshake");
                }
            }
        } catch (ProtocolException e) {
            fail(ctx, e.getMessage());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHello(ChannelHandlerContext ctx, ByteBuf in) {
        if (Wire.readInt(in, "magic") != Wire.MAGIC) {
            throw new ProtocolException("not an Ergo node (bad magic)");
        }
        byte version = Wire.readByte(in, "version");
        if (version != Wire.VERSION) {
            reject(ctx, "protocol version " + version + " not supported (this node speaks " + Wire.VERSION + ")");
            return;
        }
        String claimed = Wire.readString(in);
        if (!NodeNames.isValid(claimed)) {
            throw new ProtocolException("peer name '" + NodeNames.printable(claimed) + "' is not a node name");
        }
        peerName = claimed;
        peerCreation = Wire.readLong(in, "creation");
        peerNonce = Wire.readBytes(in, Wire.NONCE_BYTES, "nonce");
        peerMaxMessage = Wire.readInt(in, "max message size");
        int blockStart = in.readerIndex();
        peerFeatures = Features.read(in);
        helloBlock = bytes(in, blockStart);
        try {
            service.checkPeerName(ctx.channel(), peerName); // certificates mode: its certificate must name it
        } catch (ProtocolException e) {
            reject(ctx, e.getMessage());
            return;
        }
        ByteBuf out = service.frame(ctx.alloc(), Wire.CHALLENGE);
        out.writeByte(Wire.VERSION);
        Wire.writeString(out, service.nodeName());
        out.writeLong(service.creation());
        out.writeBytes(nonce);
        out.writeInt(service.options().maxMessageSize());
        challengeBlock = block(Features.mine(connectionId));
        out.writeBytes(proof("acceptor", peerNonce, nonce, service.nodeName(), peerName, covered(helloBlock)));
        out.writeBytes(challengeBlock);
        ctx.writeAndFlush(NetworkService.sealed(out));
    }

    private void onChallenge(ChannelHandlerContext ctx, ByteBuf in) {
        byte version = Wire.readByte(in, "version");
        if (version != Wire.VERSION) {
            fail(ctx, "peer speaks protocol version " + version);
            return;
        }
        String claimed = Wire.readString(in);
        if (!claimed.equals(expected)) {
            fail(ctx, "reached " + NodeNames.printable(claimed) + " while dialing " + expected);
            return;
        }
        peerName = claimed;
        peerCreation = Wire.readLong(in, "creation");
        peerNonce = Wire.readBytes(in, Wire.NONCE_BYTES, "nonce");
        peerMaxMessage = Wire.readInt(in, "max message size");
        byte[] theirProof = Wire.readBytes(in, 32, "proof");
        int blockStart = in.readerIndex();
        peerFeatures = Features.read(in);
        challengeBlock = bytes(in, blockStart);
        service.checkPeerName(ctx.channel(), peerName); // certificates mode: its certificate must name it
        if (!MessageDigest.isEqual(
                theirProof,
                proof("acceptor", nonce, peerNonce, peerName, service.nodeName(), covered(challengeBlock)))) {
            fail(ctx, "wrong cookie: " + peerName + " could not prove it knows it");
            return;
        }
        acceptorProven = true;
        ByteBuf out = service.frame(ctx.alloc(), Wire.ANSWER);
        out.writeBytes(proof("dialer", peerNonce, nonce, service.nodeName(), peerName, covered(challengeBlock)));
        ctx.writeAndFlush(NetworkService.sealed(out));
    }

    private void onAnswer(ChannelHandlerContext ctx, ByteBuf in) {
        if (peerName == null) {
            throw new ProtocolException("answer before hello");
        }
        byte[] theirProof = Wire.readBytes(in, 32, "proof");
        if (!MessageDigest.isEqual(
                theirProof, proof("dialer", nonce, peerNonce, peerName, service.nodeName(), covered(helloBlock)))) {
            reject(ctx, "wrong cookie");
            return;
        }
        if (in.isReadable()) {
            throw new ProtocolException("answer has " + in.readableBytes() + " bytes past its end");
        }
        // the lane joins the node's connections before ACCEPT leaves, so a claim on a name that a live connection
        // holds is refused with a reason the dialer sees
        Lane lane;
        try {
            lane = laneUp(ctx);
        } catch (LaneRefusedException e) {
            reject(ctx, e.getMessage());
            return;
        }
        ctx.writeAndFlush(NetworkService.sealed(service.frame(ctx.alloc(), Wire.ACCEPT)));
        succeed(ctx, lane);
    }

    private void onAccept(ChannelHandlerContext ctx, ByteBuf in) {
        if (!acceptorProven) {
            throw new ProtocolException("accept before a challenge that proved the cookie");
        }
        if (in.isReadable()) {
            throw new ProtocolException("accept has " + in.readableBytes() + " bytes past its end");
        }
        Lane lane;
        try {
            lane = laneUp(ctx);
        } catch (LaneRefusedException e) {
            fail(ctx, e.getMessage());
            return;
        }
        succeed(ctx, lane);
    }

    private Lane laneUp(ChannelHandlerContext ctx) {
        return service.laneUp(
                ctx.channel(),
                peerName,
                peerCreation,
                Math.min(peerMaxMessage, service.options().maxMessageSize()),
                peerFeatures,
                dialer ? connectionId : peerFeatures.connectionId(),
                dialer);
    }

    private void succeed(ChannelHandlerContext ctx, Lane lane) {
        finished = true;
        timeout.cancel(false);
        service.handshakeEnded(ctx.channel());
        ctx.pipeline().get(FrameDecoder.class).authenticated(service.options().maxMessageSize() + 4096);
        LaneHandler handler = new LaneHandler(service, lane);
        ctx.pipeline().replace(this, "lane", handler);
        handler.started(ctx.pipeline().context(handler));
        if (done != null) {
            done.complete(lane);
        }
    }

    private void reject(ChannelHandlerContext ctx, String why) {
        ByteBuf out = service.frame(ctx.alloc(), Wire.REJECT);
        Wire.writeString(out, why);
        ctx.writeAndFlush(NetworkService.sealed(out));
        fail(ctx, why);
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        if (finished) {
            return;
        }
        finished = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        service.handshakeEnded(ctx.channel());
        service.handshakeFailed(ctx.channel(), peerName != null ? peerName : expected, why);
        if (done != null) {
            done.completeExceptionally(new services.ergo.gen.NoConnectionException(
                    expected == null ? String.valueOf(peerName) : expected, "handshake failed: " + why));
        }
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, String.valueOf(cause.getMessage()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, "the peer closed the connection during the handshake");
        ctx.fireChannelInactive();
    }

    /** A features block as bytes, to send and to prove. */
    private static byte[] block(Features features) {
        ByteBuf b = io.netty.buffer.Unpooled.buffer(64);
        try {
            features.write(b);
            return io.netty.buffer.ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /** The bytes of {@code in} from {@code start} to where it is now. */
    private static byte[] bytes(ByteBuf in, int start) {
        return io.netty.buffer.ByteBufUtil.getBytes(in, start, in.readerIndex() - start);
    }

    /**
     * What a proof covers of the features blocks: both, when {@code seen} (the other side's block) came; nothing
     * with a first-release peer, which proves without them.
     */
    private byte[] covered(byte[] seen) {
        if (seen.length == 0) {
            return seen;
        }
        byte[] both = new byte[helloBlock.length + challengeBlock.length];
        System.arraycopy(helloBlock, 0, both, 0, helloBlock.length);
        System.arraycopy(challengeBlock, 0, both, helloBlock.length, challengeBlock.length);
        return both;
    }

    private byte[] proof(String role, byte[] dialerNonce, byte[] acceptorNonce, String from, String to, byte[] blocks) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = service.cookie().getBytes(StandardCharsets.UTF_8);
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            mac.update(role.getBytes(StandardCharsets.UTF_8));
            mac.update(dialerNonce);
            mac.update(acceptorNonce);
            mac.update(from.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(to.getBytes(StandardCharsets.UTF_8));
            mac.update(binding);
            mac.update(blocks);
            return mac.doFinal();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
