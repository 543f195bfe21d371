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
    /** The inflated payload's first buffer, when it declares more. */
    private static final int FIRST_INFLATE = 64 * 1024;

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

    /**
     * The inflated payload of a compressed frame, in a buffer the caller releases. The buffer starts small and grows
     * as output comes, up to the declared length: a frame that declares much and inflates to little costs what it
     * inflates to (a 20-byte frame declaring 16 MiB cost 32 MiB when the declared length was allocated up front and
     * copied once more).
     */
    static ByteBuf inflate(ByteBuf in, int maxLength, ByteBufAllocator alloc) {
        int declared = Wire.readInt(in, "uncompressed length");
        if (declared <= 0 || declared > maxLength) {
            throw new ProtocolException(
                    "compressed payload declares " + declared + " bytes; the most accepted is " + maxLength);
        }
        Inflater inflater = INFLATER.get();
        inflater.reset();
        inflater.setInput(in.nioBuffer(in.readerIndex(), in.readableBytes())); // from the frame, not a copy of it
        in.skipBytes(in.readableBytes());
        ByteBuf out = alloc.heapBuffer(Math.min(declared, FIRST_INFLATE), declared);
        try {
            while (!inflater.finished()) {
                if (!out.isWritable()) {
                    if (out.writerIndex() == declared) {
                        throw notAsDeclared(declared); // more than it said
                    }
                    out.ensureWritable(1); // at most doubles: what is allocated follows what was inflated
                }
                int n = inflater.inflate(out.array(), out.arrayOffset() + out.writerIndex(), out.writableBytes());
                out.writerIndex(out.writerIndex() + n);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw notAsDeclared(declared); // less than it said
                }
            }
            if (out.writerIndex() != declared) {
                throw notAsDeclared(declared);
            }
            return out;
        } catch (DataFormatException e) {
            out.release();
            throw new ProtocolException("compressed payload is not deflate: " + e.getMessage());
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            inflater.reset(); // and let go of the frame's memory
        }
    }

    private static ProtocolException notAsDeclared(int declared) {
        return new ProtocolException("compressed payload does not inflate to its declared " + declared + " bytes");
    }
}
