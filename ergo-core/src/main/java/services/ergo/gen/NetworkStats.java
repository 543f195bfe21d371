package services.ergo.gen;

/** Counters of the traffic with one remote node (or all of them). */
public record NetworkStats(
        long messagesIn,
        long messagesOut,
        long bytesIn,
        long bytesOut,
        long connects,
        long disconnects,
        long handshakeFailures,
        long protocolErrors,
        long writes) {

    /** Messages sent per write to the socket: how well writes are batched (higher is better under load). */
    public double messagesPerWrite() {
        return writes == 0 ? 0 : (double) messagesOut / writes;
    }
}
