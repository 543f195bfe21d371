package services.ergo.node;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import services.ergo.gen.Cancellable;

/** Delayed deliveries of one node, on one daemon thread: a timer's task only hands a message over. */
final class Timers {
    private final ScheduledThreadPoolExecutor executor;

    Timers(String nodeName) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ergo-" + nodeName + "-timer");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    Cancellable schedule(Duration delay, Runnable task) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delay);
        }
        ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    void stop() {
        executor.shutdownNow();
    }
}
