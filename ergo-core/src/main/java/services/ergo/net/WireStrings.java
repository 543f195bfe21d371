package services.ergo.net;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Per-thread caches of the strings every frame repeats (node names, process names): a sender encodes each once,
 * a lane's event loop decodes each once, and the same String objects, whose hash codes are computed already, go
 * into the pids and process ids the node then looks up. Direct-mapped, 64 entries: a miss costs what no cache
 * would, and a hostile peer can only make it miss.
 */
final class WireStrings {
    private static final int SLOTS = 64;

    private static final ThreadLocal<Encoded> ENCODED = ThreadLocal.withInitial(Encoded::new);
    private static final FastThreadLocal<Decoded> DECODED = new FastThreadLocal<>() {
        @Override
        protected Decoded initialValue() {
            return new Decoded();
        }
    };

    private WireStrings() {}

    /** The UTF-8 bytes of {@code s}; callers must not change them. */
    static byte[] encode(String s) {
        Encoded c = ENCODED.get();
        int slot = s.hashCode() & (SLOTS - 1);
        String held = c.strings[slot];
        if (held == s || s.equals(held)) {
            return c.bytes[slot];
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        c.strings[slot] = s;
        c.bytes[slot] = b;
        return b;
    }

    /** The string of the {@code n} bytes at the reader index of {@code in} (which the caller then skips). */
    static String decode(ByteBuf in, int n) {
        int at = in.readerIndex();
        int h = n;
        for (int i = 0; i < n; i++) {
            h = 31 * h + in.getByte(at + i);
        }
        Decoded c = DECODED.get();
        int slot = h & (SLOTS - 1);
        byte[] held = c.bytes[slot];
        if (held != null && held.length == n && same(in, at, held)) {
            return c.strings[slot];
        }
        byte[] b = new byte[n];
        in.getBytes(at, b);
        String s = new String(b, StandardCharsets.UTF_8);
        c.bytes[slot] = b;
        c.strings[slot] = s;
        return s;
    }

    private static boolean same(ByteBuf in, int at, byte[] held) {
        for (int i = 0; i < held.length; i++) {
            if (in.getByte(at + i) != held[i]) {
                return false;
            }
        }
        return true;
    }

    /** Empty slots hold null. */
    private static final class Encoded {
        final @Nullable String[] strings = new String[SLOTS];
        final byte[] @Nullable [] bytes = new byte[SLOTS][];
    }

    /** Empty slots hold null. */
    private static final class Decoded {
        final byte[] @Nullable [] bytes = new byte[SLOTS][];
        final @Nullable String[] strings = new String[SLOTS];
    }
}
