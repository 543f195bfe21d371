package services.ergo.node;

import org.jspecify.annotations.Nullable;
import services.ergo.gen.MessagePriority;

/**
 * Internal: the four queues of a process's mailbox, in the order a turn takes them (urgent and system before
 * every message, main, then log). The network carries the queue of a message as its {@link #wire()} byte; only
 * urgent, system and main travel, since log messages never leave their node.
 */
public enum MailboxQueue {
    /** Exit signals, inspection, and messages sent with {@link MessagePriority#MAX}. */
    URGENT,
    /** Down messages, answers to async calls, and messages sent with {@link MessagePriority#HIGH}. */
    SYSTEM,
    /** Every other message and request: the one queue that always exists and the one a mailbox size bounds. */
    MAIN,
    /** Log messages, taken only when the others are empty. */
    LOG;

    private static final MailboxQueue[] BY_INDEX = values();

    /** The slot of this queue in a process's queue array; also the byte the wire carries. */
    final int index = ordinal();

    /** The queue a message of {@code priority} goes to. */
    public static MailboxQueue of(MessagePriority priority) {
        return switch (priority) {
            case NORMAL -> MAIN;
            case HIGH -> SYSTEM;
            case MAX -> URGENT;
        };
    }

    /** The byte that names this queue in a frame. */
    public byte wire() {
        return (byte) index;
    }

    /**
     * The queue a frame names, or null when the byte names none a remote message may go to (log, or out of range):
     * the caller treats that as a broken frame.
     */
    public static @Nullable MailboxQueue fromWire(int b) {
        return b >= 0 && b <= MAIN.index ? BY_INDEX[b] : null;
    }
}
