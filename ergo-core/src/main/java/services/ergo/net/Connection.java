package services.ergo.net;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import services.ergo.gen.NetworkStats;

/**
 * The one logical connection to a peer node, carried by a pool of links. A sender's messages always take the same
 * link (picked from the sender's id), which keeps them in order for each sender → receiver pair.
 */
final class Connection {
    final String peer;
    final List<Link> links = new CopyOnWriteArrayList<>();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder connects = new LongAdder();
    final LongAdder disconnects = new LongAdder();

    Connection(String peer) {
        this.peer = peer;
    }

    Link linkFor(long senderId) {
        List<Link> l = links;
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
        messagesOut.increment();
        bytesOut.add(bytes);
    }

    void countIn(int bytes) {
        messagesIn.increment();
        bytesIn.add(bytes);
    }

    NetworkStats stats() {
        return new NetworkStats(
                messagesIn.sum(),
                messagesOut.sum(),
                bytesIn.sum(),
                bytesOut.sum(),
                connects.sum(),
                disconnects.sum(),
                0,
                0);
    }
}
