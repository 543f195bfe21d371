package services.ergo.node;

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

    volatile Envelope next;
    final byte kind;
    Pid from;
    Object message;
    Ref ref;

    Envelope(byte kind, Pid from, Object message, Ref ref) {
        this.kind = kind;
        this.from = from;
        this.message = message;
        this.ref = ref;
    }

    /** Drops what the envelope holds once handled; it may stay in the queue as the stub node. */
    void clear() {
        from = null;
        message = null;
        ref = null;
    }
}
