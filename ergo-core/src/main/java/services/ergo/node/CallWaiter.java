package services.ergo.node;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.CallTimeoutException;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Ref;

/**
 * One synchronous call waiting for its answer. The caller spins first, since an answer from a process running on
 * another worker arrives within microseconds; only then does it park, telling the scheduler that this worker is
 * blocked so a spare can run in its place.
 */
final class CallWaiter {
    private static final VarHandle RESULT;
    private static final Object NULL = new Object();

    static {
        try {
            RESULT = MethodHandles.lookup().findVarHandle(CallWaiter.class, "result", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Ref ref;
    /** The node the call went to when it is another one: if the connection drops, the call fails at once. */
    volatile @Nullable String remoteNode;

    private final Thread thread;
    private volatile @Nullable Object result;

    CallWaiter(Ref ref) {
        this.ref = ref;
        this.thread = Thread.currentThread();
    }

    /** Completes the call with a value or an error; returns false when it was already completed. */
    boolean complete(@Nullable Object value, @Nullable ErgoException error) {
        Object r = error != null ? new Failure(error) : (value == null ? NULL : value);
        if (RESULT.compareAndSet(this, null, r)) {
            if (thread != Thread.currentThread()) { // answered inline on the caller's own thread: nobody to wake
                LockSupport.unpark(thread);
            }
            return true;
        }
        return false;
    }

    boolean isDone() {
        return result != null;
    }

    /** Waits for the answer; throws its error, or {@link CallTimeoutException} after {@code timeout}. */
    @Nullable
    Object await(Object target, Duration timeout, long spinNanos) {
        long start = System.nanoTime();
        Object r = result;
        if (r == null && spinNanos > 0) {
            long spinUntil = start + spinNanos;
            int i = 0;
            while ((r = result) == null) {
                Thread.onSpinWait();
                if ((++i & 31) == 0 && System.nanoTime() > spinUntil) {
                    break;
                }
            }
        }
        if (r == null) {
            r = park(start + timeout.toNanos());
        }
        if (r == null) {
            if (!RESULT.compareAndSet(this, null, new Failure(new CallTimeoutException(target, timeout)))) {
                r = result; // the answer raced with the deadline: take it
            } else {
                r = result;
            }
        }
        if (r instanceof Failure f) {
            throw f.error;
        }
        return r == NULL ? null : r;
    }

    private @Nullable Object park(long deadline) {
        Thread t = Thread.currentThread();
        Scheduler scheduler = t instanceof Scheduler.WorkerThread w ? w.worker.scheduler : null;
        if (scheduler != null) {
            scheduler.blockingBegin();
        }
        try {
            Object r;
            while ((r = result) == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new ErgoException("call interrupted");
                }
            }
            return r;
        } finally {
            if (scheduler != null) {
                scheduler.blockingEnd();
            }
        }
    }

    private record Failure(ErgoException error) {}
}
