package services.ergo.gen;

/**
 * Counters of the traffic with one remote node (or all of them).
 *
 * @param outboxFull messages refused at the sender because the connection's outbox was full ({@link
 *     OutboxFullException}, or an answer or signal dropped for that)
 * @param outboxBytes not a counter: the bytes waiting now for the node (or all nodes) to read them, at most
 *     {@link NetworkOptions#maxOutboxBytes()} per node
 */
public record NetworkStats(
        long messagesIn,
        long messagesOut,
        long bytesIn,
        long bytesOut,
        long connects,
        long disconnects,
        long handshakeFailures,
        long protocolErrors,
        long writes,
        long outboxFull,
        long outboxBytes) {

    /** Messages sent per write to the socket: how well writes are batched (higher is better under load). */
    public double messagesPerWrite() {
        return writes == 0 ? 0 : (double) messagesOut / writes;
    }
}
