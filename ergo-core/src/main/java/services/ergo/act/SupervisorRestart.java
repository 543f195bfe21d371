package services.ergo.act;

import java.time.Duration;

/**
 * How a supervisor restarts: the strategy, and its intensity: more than {@code intensity} restarts within
 * {@code period} and the supervisor gives up, stopping its children and itself. Defaults: transient, 5 in 5 s.
 */
public record SupervisorRestart(SupervisorStrategy strategy, int intensity, Duration period) {
    public static final SupervisorRestart DEFAULT =
            new SupervisorRestart(SupervisorStrategy.TRANSIENT, 5, Duration.ofSeconds(5));

    public SupervisorRestart {
        if (strategy == null) {
            throw new IllegalArgumentException("a restart strategy is required");
        }
        if (intensity < 0) {
            throw new IllegalArgumentException("restart intensity must be >= 0, got " + intensity);
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("restart period must be > 0, got " + period);
        }
    }
}
