package services.ergo.net;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteOrder;

/**
 * Frames of a lane: a 4-byte length, then that many bytes. Until the handshake succeeds a frame may be only
 * {@link Wire#MAX_HANDSHAKE_FRAME} bytes, so a connection that has proved nothing cannot make the node buffer a
 * full-sized message; {@link #authenticated} lifts the bound to the largest message. Replacing the decoder instead
 * would hand the bytes it buffered to the next handler unframed.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    /** Touched only on the lane's event loop. */
    private int limit = Wire.MAX_HANDSHAKE_FRAME;

    FrameDecoder(int maxFrame) {
        super(maxFrame, 0, 4, 0, 4, true);
    }

    void authenticated(int maxFrame) {
        limit = maxFrame;
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        long frame = super.getUnadjustedFrameLength(buf, offset, length, order);
        if (frame > limit) {
            throw new TooLongFrameException("frame of " + frame + " bytes, the most "
                    + (limit == Wire.MAX_HANDSHAKE_FRAME ? "before the handshake" : "this lane takes") + " is "
                    + limit);
        }
        return frame;
    }
}
