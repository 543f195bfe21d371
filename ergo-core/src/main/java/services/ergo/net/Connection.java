package services.ergo.net;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The one logical connection to a peer node, carried by a pool of lanes. A sender's messages always take the same
 * lane (picked from the sender's id), which keeps them in order for each sender → receiver pair.
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

    Connection(String peer, long creation, PeerCounters counters) {
        this.peer = peer;
        this.creation = creation;
        this.counters = counters;
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

    void countOut(int bytes) {
        counters.messagesOut.increment();
        counters.bytesOut.add(bytes);
    }

    void countIn(int bytes) {
        counters.messagesIn.increment();
        counters.bytesIn.add(bytes);
    }
}
