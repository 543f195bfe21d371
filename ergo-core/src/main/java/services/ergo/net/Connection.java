package services.ergo.net;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The one logical connection to a peer node, carried by a pool of lanes. A sender's messages always take the same
 * lane (picked from the sender's id), which keeps them in order for each sender → receiver pair.
 */
final class Connection {
    final String peer;
    final List<Lane> lanes = new CopyOnWriteArrayList<>();
    final PeerCounters counters;

    Connection(String peer, PeerCounters counters) {
        this.peer = peer;
        this.counters = counters;
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
