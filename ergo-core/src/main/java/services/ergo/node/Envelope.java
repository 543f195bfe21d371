package services.ergo.node;

import org.jspecify.annotations.Nullable;
import services.ergo.gen.Pid;
import services.ergo.gen.Ref;

/**
 * One message in a mailbox, and at the same time the queue node that links it: one allocation per message.
 */
final class Envelope {
    static final byte MESSAGE = 0;
    static final byte REQUEST = 1;
    static final byte RESPONSE = 2;
    static final byte EXIT = 3;
    static final byte EVENT = 4;
    static final byte INSPECT = 5;
    /** A message whose arrival in the remote mailbox is confirmed; only ever routed to another node. */
    static final byte IMPORTANT = 6;

    volatile @Nullable Envelope next;
    final byte kind;
    /**
     * The sender and the message: never null on an envelope in flight; only a queue's stub and an envelope
     * {@link #clear}ed after handling, which nobody reads again, hold null here.
     */
    Pid from;

    Object message;
    /**
     * The call's {@link Ref}, or for a local call the caller's {@link CallWaiter} (which holds the ref): the answer
     * then completes the waiter directly, without looking the caller up. One field for both keeps an envelope at
     * 32 bytes.
     */
    private @Nullable Object ref;

    Envelope(byte kind, Pid from, Object message, @Nullable Ref ref) {
        this.kind = kind;
        this.from = from;
        this.message = message;
        this.ref = ref;
    }

    private Envelope(byte kind, Pid from, Object message, CallWaiter waiter) {
        this.kind = kind;
        this.from = from;
        this.message = message;
        this.ref = waiter;
    }

    /** A local call's request: its answer goes straight to {@code waiter}. */
    static Envelope request(Pid from, Object message, CallWaiter waiter) {
        return new Envelope(REQUEST, from, message, waiter);
    }

    /** An important message to another node: the confirmation of its delivery completes {@code waiter}. */
    static Envelope important(Pid from, Object message, CallWaiter waiter) {
        return new Envelope(IMPORTANT, from, message, waiter);
    }

    @Nullable
    Ref ref() {
        Object r = ref;
        return r instanceof CallWaiter w ? w.ref : (Ref) r;
    }

    /** The local caller waiting for this request's answer, if it is one. */
    @Nullable
    CallWaiter waiter() {
        return ref instanceof CallWaiter w ? w : null;
    }

    /** Drops what the envelope holds once handled; it may stay in the queue as the stub node. */
    void clear() {
        from = null;
        message = null;
        ref = null;
    }
}
