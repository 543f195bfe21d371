package services.ergo.saturn.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A hybrid logical clock value and the server that made it: {@code hlc} is 48 bits of wall-clock milliseconds
 * and a 16-bit counter, so stamps follow real time while two made in the same millisecond still differ. Stamps
 * compare on {@code hlc}, then on {@code serverId}, so two servers never make equal stamps and every server
 * orders the same stamps the same way (the HA design's "registered first").
 *
 * <pre>{@code
 * Stamp born = Stamp.of(System.currentTimeMillis(), 0, "saturn1");
 * boolean earlier = born.compareTo(other) < 0;
 * }</pre>
 *
 * @param hlc {@code millis << 16 | counter}, never negative
 * @param serverId the id of the server that made it, 1..{@value #MAX_SERVER_ID_BYTES} UTF-8 bytes
 */
public record Stamp(long hlc, String serverId) implements Comparable<Stamp> {
    /** A server id is a short name from {@code saturn.yaml}; the bound keeps hostile ids from costing memory. */
    public static final int MAX_SERVER_ID_BYTES = 64;

    public static final int COUNTER_BITS = 16;
    public static final int MAX_COUNTER = (1 << COUNTER_BITS) - 1;

    public Stamp {
        if (hlc < 0) {
            throw new IllegalArgumentException("a stamp's hlc must be >= 0, got " + hlc);
        }
        checkServerId(serverId);
    }

    /** The stamp at {@code millis} with {@code counter} (0..{@value #MAX_COUNTER}). */
    public static Stamp of(long millis, int counter, String serverId) {
        if (millis < 0 || millis >= 1L << (63 - COUNTER_BITS)) {
            throw new IllegalArgumentException("a stamp's millis must be 0..2^47, got " + millis);
        }
        if (counter < 0 || counter > MAX_COUNTER) {
            throw new IllegalArgumentException("a stamp's counter must be 0.." + MAX_COUNTER + ", got " + counter);
        }
        return new Stamp(millis << COUNTER_BITS | counter, serverId);
    }

    /** The wall-clock part, in milliseconds since the epoch. */
    public long millis() {
        return hlc >>> COUNTER_BITS;
    }

    /** The logical part: how many stamps this server made before in the same millisecond (roughly). */
    public int counter() {
        return (int) (hlc & MAX_COUNTER);
    }

    @Override
    public int compareTo(Stamp o) {
        int c = Long.compare(hlc, o.hlc);
        return c != 0 ? c : serverId.compareTo(o.serverId);
    }

    /**
     * {@code serverId} if it can name a server on the wire: not empty and at most {@value #MAX_SERVER_ID_BYTES}
     * UTF-8 bytes.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static String checkServerId(String serverId) {
        if (serverId == null || serverId.isEmpty()) {
            throw new IllegalArgumentException("a server id must not be empty");
        }
        int bytes = serverId.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SERVER_ID_BYTES) {
            throw new IllegalArgumentException(
                    "a server id must be at most " + MAX_SERVER_ID_BYTES + " bytes, got " + bytes);
        }
        return serverId;
    }

    @Override
    public String toString() {
        return millis() + "." + counter() + "@" + serverId;
    }
}
