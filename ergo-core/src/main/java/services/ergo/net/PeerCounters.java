package services.ergo.net;

import java.util.concurrent.atomic.LongAdder;
import services.ergo.gen.NetworkStats;

/**
 * Traffic and failure counters of one remote node. They outlive its connections, so a node that comes and goes
 * keeps one history (what the metrics publish per remote node).
 */
final class PeerCounters {
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder connects = new LongAdder();
    final LongAdder disconnects = new LongAdder();
    final LongAdder handshakeFailures = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    /** Flushes of a lane that wrote at least one frame: one write system call each, or a few for big batches. */
    final LongAdder writes = new LongAdder();
    /** Frames refused because the connection's outbox had no room for them (the peer did not read fast enough). */
    final LongAdder outboxFull = new LongAdder();

    /** With {@code outboxBytes}, the outbox of the connection now (0 when there is none). */
    NetworkStats stats(long outboxBytes) {
        return new NetworkStats(
                messagesIn.sum(),
                messagesOut.sum(),
                bytesIn.sum(),
                bytesOut.sum(),
                connects.sum(),
                disconnects.sum(),
                handshakeFailures.sum(),
                protocolErrors.sum(),
                writes.sum(),
                outboxFull.sum(),
                outboxBytes);
    }
}
