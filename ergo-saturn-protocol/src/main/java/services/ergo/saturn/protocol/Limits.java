package services.ergo.saturn.protocol;

/**
 * The bounds a decoder holds input to, so that hostile bytes cost at most one frame of memory.
 *
 * <pre>{@code
 * Limits limits = Limits.defaults().withMaxFrameBytes(8 << 20);
 * }</pre>
 *
 * @param maxFrameBytes the largest frame body accepted (the 32-bit length prefix says more: refused)
 * @param maxStringBytes the largest string (UTF-8 bytes) inside a frame: names, hosts, metadata values
 * @param maxItems the largest count of a list or map inside a frame (entries of a page, changes of a delta,
 *     applications of a node, metadata pairs)
 */
public record Limits(int maxFrameBytes, int maxStringBytes, int maxItems) {
    /** A HELLO is small; before a peer proved the token it may not make us buffer more than this. */
    public static final int MAX_HELLO_BYTES = 4096;

    public Limits {
        if (maxFrameBytes < MAX_HELLO_BYTES) {
            throw new IllegalArgumentException(
                    "max-frame-bytes must be at least " + MAX_HELLO_BYTES + ", got " + maxFrameBytes);
        }
        if (maxStringBytes < 64 || maxStringBytes > maxFrameBytes) {
            throw new IllegalArgumentException(
                    "max-string-bytes must be 64.." + maxFrameBytes + ", got " + maxStringBytes);
        }
        if (maxItems < 1) {
            throw new IllegalArgumentException("max-items must be at least 1, got " + maxItems);
        }
    }

    /** 4 MiB frames, 4 KiB strings, 65 536 items. */
    public static Limits defaults() {
        return new Limits(4 << 20, 4096, 65_536);
    }

    public Limits withMaxFrameBytes(int bytes) {
        return new Limits(bytes, maxStringBytes, maxItems);
    }
}
