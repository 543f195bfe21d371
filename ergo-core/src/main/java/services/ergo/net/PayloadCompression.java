package services.ergo.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.Compression;

/**
 * Deflate for payloads of processes that asked for it. A compressed frame has {@link Wire#COMPRESSED} set in its
 * type and its payload is the original length (4 bytes) then the deflated bytes. The receiver never inflates more
 * than the declared length, and never declares more than its largest message: a zip bomb costs it at most one
 * message's worth of memory and then closes the lane.
 */
final class PayloadCompression {
    private static final ThreadLocal<@Nullable Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[10]);
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(() -> new Inflater(true));
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

    private PayloadCompression() {}

    /**
     * Compresses the payload of {@code frame} (from {@code payloadStart} to its end) in place when it is over the
     * threshold and deflate makes it smaller; returns whether it did.
     */
    static boolean compress(ByteBuf frame, int payloadStart, Compression c) {
        int length = frame.writerIndex() - payloadStart;
        if (length <= c.threshold()) {
            return false;
        }
        byte[] plain = new byte[length];
        frame.getBytes(payloadStart, plain);
        Deflater d = deflater(c.level());
        d.setInput(plain);
        d.finish();
        byte[] out = SCRATCH.get();
        if (out.length < length) {
            out = new byte[length];
        }
        int n = 0;
        while (!d.finished() && n < length - 4) {
            n += d.deflate(out, n, Math.min(out.length, length - 4) - n);
        }
        boolean smaller = d.finished() && n + 4 < length;
        d.reset();
        if (!smaller) {
            return false;
        }
        frame.writerIndex(payloadStart);
        frame.writeInt(length);
        frame.writeBytes(out, 0, n);
        return true;
    }

    private static Deflater deflater(int level) {
        Deflater[] cache = DEFLATERS.get();
        Deflater d = cache[level];
        if (d == null) {
            d = new Deflater(level, true);
            cache[level] = d;
        }
        return d;
    }

    /** The inflated payload of a compressed frame, in a buffer the caller releases. */
    static ByteBuf inflate(ByteBuf in, int maxLength, ByteBufAllocator alloc) {
        int declared = Wire.readInt(in, "uncompressed length");
        if (declared <= 0 || declared > maxLength) {
            throw new ProtocolException(
                    "compressed payload declares " + declared + " bytes; the most accepted is " + maxLength);
        }
        byte[] packed = new byte[in.readableBytes()];
        in.readBytes(packed);
        Inflater inflater = INFLATER.get();
        inflater.reset();
        inflater.setInput(packed);
        byte[] plain = new byte[declared];
        int n;
        try {
            n = inflater.inflate(plain);
            if (!inflater.finished() || n != declared) {
                throw new ProtocolException(
                        "compressed payload does not inflate to its declared " + declared + " bytes");
            }
        } catch (DataFormatException e) {
            throw new ProtocolException("compressed payload is not deflate: " + e.getMessage());
        } finally {
            inflater.reset();
        }
        ByteBuf out = alloc.heapBuffer(declared);
        out.writeBytes(plain);
        return out;
    }
}
