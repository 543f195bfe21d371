package services.ergo.node;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * An unbounded multi-producer, single-consumer queue whose nodes are the {@link Envelope}s themselves (Vyukov's
 * intrusive MPSC queue): an offer is one atomic exchange, a poll touches no shared counter, and a message costs
 * one allocation instead of two. An idle queue is this object and one stub envelope, which keeps a million idle
 * processes small. Counters give the depth to observers without walking the queue.
 */
final class MessageQueue {
    private static final VarHandle TAIL;
    private static final VarHandle ENQUEUED;
    private static final VarHandle DEQUEUED;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(MessageQueue.class, "tail", Envelope.class);
            ENQUEUED = l.findVarHandle(MessageQueue.class, "enqueued", long.class);
            DEQUEUED = l.findVarHandle(MessageQueue.class, "dequeued", long.class);
            NEXT = l.findVarHandle(Envelope.class, "next", Envelope.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through TAIL
    private volatile Envelope tail;

    private Envelope head;

    @SuppressWarnings("unused") // through ENQUEUED
    private volatile long enqueued;

    @SuppressWarnings("unused") // through DEQUEUED
    private volatile long dequeued;

    MessageQueue() {
        Envelope stub = new Envelope(Envelope.MESSAGE, null, null, null);
        head = stub;
        tail = stub;
    }

    /** Appends; safe from any thread. */
    void offer(Envelope e) {
        ENQUEUED.getAndAdd(this, 1L);
        link(e);
    }

    /** Appends unless {@code limit} messages already wait; safe from any thread. */
    boolean offer(Envelope e, int limit) {
        long n;
        do {
            n = (long) ENQUEUED.getVolatile(this);
            if (n - (long) DEQUEUED.getVolatile(this) >= limit) {
                return false;
            }
        } while (!ENQUEUED.compareAndSet(this, n, n + 1));
        link(e);
        return true;
    }

    private void link(Envelope e) {
        Envelope prev = (Envelope) TAIL.getAndSet(this, e);
        // A volatile store, not a release: the producer reads the process's scheduling state right after, and the
        // consumer, going to sleep, writes that state and then reads this link (Dekker); both orders must hold.
        NEXT.setVolatile(prev, e);
    }

    /** Takes the oldest message, or {@code null}; only the consumer calls it. */
    @Nullable
    Envelope poll() {
        Envelope h = head;
        Envelope next = (Envelope) NEXT.getAcquire(h);
        if (next == null) {
            return null;
        }
        NEXT.set(h, null); // see nextOf: an old node must not keep the newer ones alive
        head = next;
        DEQUEUED.setRelease(this, (long) DEQUEUED.getOpaque(this) + 1);
        return next;
    }

    /**
     * The consumer's position, for draining a batch without writing this object per message: a write here would
     * pull the cache line away from the producers, who write the tail next to it.
     */
    Envelope head() {
        return head;
    }

    /**
     * The message after {@code cursor}, or null; the consumer's batch step. A taken node is unlinked from the next
     * one: once promoted to the old generation, a consumed node still pointing at young ones would keep the whole
     * rest of the queue alive through every young collection (GC nepotism). No producer writes it again: they only
     * link onto the tail.
     */
    static @Nullable Envelope nextOf(Envelope cursor) {
        Envelope n = (Envelope) NEXT.getAcquire(cursor);
        if (n != null) {
            NEXT.set(cursor, null);
        }
        return n;
    }

    /** Ends a batch: {@code cursor} is the last envelope taken, {@code count} how many were taken. */
    void advance(Envelope cursor, long count) {
        if (count > 0) {
            head = cursor;
            DEQUEUED.setRelease(this, (long) DEQUEUED.getOpaque(this) + count);
        }
    }

    /** Whether a message is linked in; only the consumer calls it. */
    boolean hasMessages() {
        return NEXT.getVolatile(head) != null;
    }

    /** Messages offered but not taken yet; any thread. */
    long depth() {
        long d = (long) ENQUEUED.getVolatile(this) - (long) DEQUEUED.getVolatile(this);
        return Math.max(0, d);
    }

    /** Messages taken so far; any thread. */
    long taken() {
        return (long) DEQUEUED.getOpaque(this);
    }
}
