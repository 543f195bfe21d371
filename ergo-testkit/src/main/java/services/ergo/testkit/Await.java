package services.ergo.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import services.ergo.gen.Node;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessUnknownException;

/**
 * Waits for a condition instead of sleeping for a fixed time: polls every millisecond at most, and fails with an
 * {@link AssertionError} that says what was awaited.
 *
 * <pre>{@code
 * Await.until(Duration.ofSeconds(2), () -> node.whereIs("worker") != null, "worker registered");
 * Await.processEnded(node, pid, Duration.ofSeconds(2));
 * }</pre>
 */
public final class Await {
    private Await() {}

    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 10_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 1_000_000);
        }
    }

    public static void processEnded(Node node, Pid pid, Duration timeout) {
        until(timeout, () -> !alive(node, pid), "process " + pid + " ended");
    }

    public static Pid processRegistered(Node node, String name, Duration timeout) {
        until(timeout, () -> node.whereIs(name) != null, "a process registered as '" + name + "'");
        return node.whereIs(name);
    }

    static boolean alive(Node node, Pid pid) {
        try {
            node.processInfo(pid);
            return true;
        } catch (ProcessUnknownException e) {
            return false;
        }
    }
}
