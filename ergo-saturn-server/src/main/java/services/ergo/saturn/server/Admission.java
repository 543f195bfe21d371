package services.ergo.saturn.server;

/**
 * A token bucket on registrations: a restart's herd of reconnecting clients is admitted at a bounded rate, and
 * each one refused is told when a slot frees up (REFUSED "busy" with a retry-after), so that the herd spreads
 * out instead of hammering. Shared by every cluster of a server.
 */
final class Admission {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    Admission(int perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
    }

    /** 0 when admitted now; otherwise the milliseconds until a slot is free. */
    synchronized long admit() {
        if (perSecond <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond * 1000));
    }
}
