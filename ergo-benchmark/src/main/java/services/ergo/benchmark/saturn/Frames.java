package services.ergo.benchmark.saturn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import services.ergo.saturn.protocol.Codec;
import services.ergo.saturn.protocol.Limits;
import services.ergo.saturn.protocol.Message;

/**
 * Cuts the server's stream into frames. A light client (most of the generator's) reads only the heads of view
 * frames, the revisions they carry, as a node that keeps a revision and a count would cost to parse at most; a
 * full client decodes every frame with the protocol's codec and keeps the view.
 */
final class Frames extends ByteToMessageDecoder {
    static final Limits LIMITS = Limits.defaults().withMaxFrameBytes(64 << 20);
    private static final byte SNAPSHOT = typeOf(new Message.SnapshotPage(0, true, true, List.of(), List.of()));
    private static final byte DELTA = typeOf(new Message.Delta(0, 0, List.of()));
    private static final byte PING = typeOf(new Message.Ping(0));

    /** A delta's revisions, its changes unread. */
    record DeltaHead(long from, long to) {}

    /** A snapshot page's revision and place, its entries unread. */
    record PageHead(long revision, boolean first, boolean last) {}

    private final boolean full;

    Frames(boolean full) {
        this.full = full;
    }

    /** The type byte the codec writes for {@code m}: taken from the codec, so the two cannot disagree. */
    private static byte typeOf(Message m) {
        ByteBuf b = Codec.encode(m, ByteBufAllocator.DEFAULT, Limits.defaults());
        try {
            return b.getByte(4);
        } finally {
            b.release();
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int length = in.getInt(in.readerIndex());
            if (length < 1 || length > LIMITS.maxFrameBytes()) {
                throw new IllegalStateException("frame length " + length + " from the server");
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            ByteBuf body = in.readSlice(length);
            int at = body.readerIndex();
            byte type = body.getByte(at);
            if (type == PING) {
                continue;
            }
            if (!full && type == DELTA) {
                out.add(new DeltaHead(body.getLong(at + 1), body.getLong(at + 9)));
            } else if (!full && type == SNAPSHOT) {
                out.add(new PageHead(body.getLong(at + 1), body.getBoolean(at + 9), body.getBoolean(at + 10)));
            } else {
                out.add(Codec.decode(body, LIMITS));
            }
        }
    }
}
