package services.ergo.gen;

/**
 * Whether a process compresses what it sends to other nodes. Off by default; {@link #on()} compresses payloads
 * larger than 1024 bytes at deflate level 1 (fast), and only when that makes them smaller. Local messages are
 * never compressed (they are never encoded).
 *
 * <pre>{@code
 * // in init(), for a process that ships big documents over a slow network
 * setCompression(Compression.on().withThreshold(4096));
 * }</pre>
 *
 * @param enabled whether to compress at all
 * @param threshold payloads of at most this many encoded bytes travel as they are
 * @param level deflate level, 1 (fastest) to 9 (smallest)
 */
public record Compression(boolean enabled, int threshold, int level) {
    public static final int DEFAULT_THRESHOLD = 1024;

    public Compression {
        if (threshold < 0) {
            throw new IllegalArgumentException("compression threshold must be >= 0, got " + threshold);
        }
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("compression level must be 1..9, got " + level);
        }
    }

    public static Compression off() {
        return new Compression(false, DEFAULT_THRESHOLD, 1);
    }

    public static Compression on() {
        return new Compression(true, DEFAULT_THRESHOLD, 1);
    }

    public Compression withThreshold(int value) {
        return new Compression(enabled, value, level);
    }

    public Compression withLevel(int value) {
        return new Compression(enabled, threshold, value);
    }
}
