package services.ergo.net;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.OutboxFullException;

/**
 * The one logical connection to a peer node, carried by a pool of lanes. A sender's messages always take the same
 * lane (picked from the sender's id), which keeps them in order for each sender → receiver pair.
 *
 * <p>The lanes share one outbox bound: {@link #outboxBytes} counts the bytes of the frames accepted for the peer
 * and not yet handed to the socket (in a lane's queue, or in Netty's buffers), and a frame that would take it past
 * {@code maxOutboxBytes} is refused. A peer that stops reading thus costs this node at most that much memory.
 */
final class Connection {
    /** More message types than any application registers: a peer telling more is not honest. */
    static final int MAX_PEER_TYPES = 10_000;

    final String peer;
    /** The peer's incarnation: every lane of the connection has it. */
    final long creation;

    final List<Lane> lanes = new CopyOnWriteArrayList<>();
    final PeerCounters counters;
    /** The message types the peer registered, by name, with schema fingerprints (feature {@code types}). */
    final Map<String, Long> peerTypes = new ConcurrentHashMap<>();
    /** The ids of the dials whose lanes make the connection (all zeros for a peer of the first release). */
    private final List<byte[]> connectionIds = new CopyOnWriteArrayList<>();

    /** The most {@link #outboxBytes} may reach (NetworkOptions.maxOutboxBytes). */
    final long maxOutbox;

    private final AtomicLong outboxBytes = new AtomicLong();

    Connection(String peer, long creation, PeerCounters counters, long maxOutbox) {
        this.peer = peer;
        this.creation = creation;
        this.counters = counters;
        this.maxOutbox = maxOutbox;
    }

    boolean hasConnectionId(byte[] id) {
        for (byte[] mine : connectionIds) {
            if (Arrays.equals(mine, id)) {
                return true;
            }
        }
        return false;
    }

    void addConnectionId(byte[] id) {
        if (!hasConnectionId(id)) {
            connectionIds.add(id);
        }
    }

    /** The lane for a sender; null when the connection has no lane (left). */
    @Nullable
    Lane laneFor(long senderId) {
        List<Lane> l = lanes;
        int n = l.size();
        if (n == 0) {
            return null;
        }
        try {
            return l.get((int) Math.floorMod(senderId, (long) n));
        } catch (IndexOutOfBoundsException raced) {
            return l.isEmpty() ? null : l.get(0);
        }
    }

    /**
     * Takes room for {@code frame} in the outbox, or releases it and throws when there is none. One compare-and-set
     * when uncontended; a loop rather than add-then-undo, so a reading of {@link #outboxBytes()} never passes the cap.
     */
    void reserve(ByteBuf frame) {
        int bytes = frame.readableBytes();
        long queued;
        do {
            queued = outboxBytes.get();
            if (queued + bytes > maxOutbox) {
                frame.release();
                counters.outboxFull.increment();
                throw new OutboxFullException(peer, queued, maxOutbox);
            }
        } while (!outboxBytes.compareAndSet(queued, queued + bytes));
    }

    /** Gives back the room of frames the socket took, or that were dropped. */
    void sent(long bytes) {
        outboxBytes.addAndGet(-bytes);
    }

    /** Bytes accepted for the peer and not yet handed to the socket, now. */
    long outboxBytes() {
        return outboxBytes.get();
    }

    void countOut(int bytes) {
        counters.messagesOut.increment();
        counters.bytesOut.add(bytes);
    }

    void countIn(int bytes) {
        counters.messagesIn.increment();
        counters.bytesIn.add(bytes);
    }
}
