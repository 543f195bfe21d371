package services.ergo.saturn.server.peer;

import java.time.Duration;
import java.util.function.LongSupplier;
import services.ergo.saturn.protocol.Stamp;

/**
 * A hybrid logical clock: stamps follow the wall clock but never repeat or go back, and a stamp received from a
 * peer pushes the clock past it, so a record made after seeing another always sorts after it.
 *
 * <pre>{@code
 * Hlc hlc = new Hlc("saturn1", System::currentTimeMillis, Duration.ofSeconds(30));
 * Stamp claim = hlc.now();
 * if (!hlc.observe(received)) log.warn("peer clock ahead: {}", received);
 * }</pre>
 *
 * <p>Thread-safe: every method holds the instance's monitor, which costs nothing next to the work around a stamp.
 */
public final class Hlc {
    private final String serverId;
    private final LongSupplier wallMillis;
    private final long maxSkewMillis;
    private long last;
    private long skewed;

    /**
     * @param serverId the id every stamp carries
     * @param wallMillis the wall clock, in milliseconds since the epoch ({@code System::currentTimeMillis})
     * @param maxSkew how far ahead of our wall clock a received stamp may be and still be observed
     */
    public Hlc(String serverId, LongSupplier wallMillis, Duration maxSkew) {
        this.serverId = Stamp.checkServerId(serverId);
        this.wallMillis = wallMillis;
        if (maxSkew.isNegative()) {
            throw new IllegalArgumentException("maxSkew must be >= 0, got " + maxSkew);
        }
        this.maxSkewMillis = maxSkew.toMillis();
    }

    public String serverId() {
        return serverId;
    }

    /** A new stamp, greater than every stamp this clock made or observed before. */
    public synchronized Stamp now() {
        // A burst of more than 65536 stamps in one millisecond borrows from the next millisecond: the counter
        // carries into the wall part, which keeps the order and catches up with the wall clock soon after.
        last = Math.max(wallHlc(), last + 1);
        return new Stamp(last, serverId);
    }

    /**
     * Moves the clock past {@code received}, so the next {@link #now()} sorts after it.
     *
     * @return false, and the clock unchanged, if {@code received} is more than {@code maxSkew} ahead of the wall
     *     clock: one peer with a clock far ahead must not drag every server's stamps into its future
     */
    public synchronized boolean observe(Stamp received) {
        if (received.millis() - wall() > maxSkewMillis) {
            skewed++;
            return false;
        }
        last = Math.max(last, received.hlc());
        return true;
    }

    /** How many received stamps {@link #observe} ignored for being too far ahead, for health. */
    public synchronized long skewed() {
        return skewed;
    }

    private long wall() {
        return Math.max(0, wallMillis.getAsLong());
    }

    private long wallHlc() {
        return wall() << Stamp.COUNTER_BITS;
    }
}
