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
        long protocolErrors) {}
