package services.ergo.saturn.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream into frames and decodes each into its message ({@link Codec}'s by default, {@link
 * PeerCodec}'s on the peer port), holding the length prefix to a cap
 * before buffering a byte of the body: a peer cannot make us allocate more than the cap. The cap starts at
 * {@link Limits#MAX_HELLO_BYTES} on a server (nobody proved the token yet) and is raised with {@link #open()} once
 * the peer did. Bad bytes raise {@link SaturnProtocolException} to the next handler's {@code exceptionCaught},
 * which counts it and closes the connection; nothing after them is read.
 *
 * <pre>{@code
 * FrameDecoder frames = new FrameDecoder(Limits.defaults(), true);
 * pipeline.addLast(frames, sessionHandler); // frames.open() once the client proved the token
 * FrameDecoder peerFrames = new FrameDecoder(Limits.defaults(), true, PeerCodec::decode);
 * }</pre>
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    /**
     * Decodes one frame's body (its length prefix read), all of it, within {@code limits}; bytes that are no
     * message raise {@link SaturnProtocolException} and nothing else.
     */
    @FunctionalInterface
    public interface BodyDecoder {
        Object decode(ByteBuf body, Limits limits);
    }

    private final Limits limits;
    private final BodyDecoder bodies;
    private volatile int cap;
    private boolean failed;

    /**
     * The client wire's frames ({@link Codec#decode}).
     *
     * @param guarded whether to start at the HELLO cap until {@link #open()} (a server's side)
     */
    public FrameDecoder(Limits limits, boolean guarded) {
        this(limits, guarded, Codec::decode);
    }

    /**
     * Frames whose bodies {@code bodies} decodes, such as {@link PeerCodec#decode}.
     *
     * @param guarded whether to start at the HELLO cap until {@link #open()} (before the peer proved itself)
     */
    public FrameDecoder(Limits limits, boolean guarded, BodyDecoder bodies) {
        this.limits = limits;
        this.bodies = bodies;
        this.cap = guarded ? Limits.MAX_HELLO_BYTES : limits.maxFrameBytes();
    }

    /** The peer proved itself: frames up to the configured cap from now on. */
    public void open() {
        cap = limits.maxFrameBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 4) {
            int length = in.getInt(in.readerIndex());
            if (length < 1 || length > cap) {
                failed = true;
                in.skipBytes(in.readableBytes());
                throw new SaturnProtocolException(
                        "frame length " + length + " is outside 1.." + cap + " (max-frame-bytes)");
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            ByteBuf body = in.readSlice(length);
            try {
                out.add(bodies.decode(body, limits));
            } catch (SaturnProtocolException e) {
                failed = true;
                in.skipBytes(in.readableBytes());
                throw e;
            }
        }
    }
}
