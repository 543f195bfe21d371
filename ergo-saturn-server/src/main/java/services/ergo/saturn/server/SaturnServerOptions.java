package services.ergo.saturn.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import services.ergo.saturn.protocol.Limits;

/**
 * How a {@link SaturnServer} runs.
 *
 * <pre>{@code
 * SaturnServer server = SaturnServer.start(SaturnServerOptions.defaults()
 *         .withPort(4499)
 *         .withClusters(Map.of("production", System.getenv("SATURN_TOKEN"))));
 * }</pre>
 *
 * @param host the address to listen on
 * @param port the port (0: any free one, see {@link SaturnServer#port()})
 * @param clusters each cluster's token; a client that names another cluster, or proves another token, is refused
 * @param ttl how long a connection may stay silent before its node is removed (clients ping every third of it)
 * @param historySize how many recent changes a cluster keeps for clients that resume or fall behind
 * @param clientQueueBytes how many bytes may wait to be sent to one client; a client past it gets nothing more
 *     until it reads, and a snapshot if it fell out of the history meanwhile
 * @param pageEntries the most entries in one snapshot page
 * @param handshakeTimeout how long a connection has to prove the token and register
 * @param limits the decoder's bounds (frame cap, string and count bounds)
 * @param socketSendBufferBytes the kernel send buffer per connection (0: the system's default); small values make
 *     a slow reader felt sooner (tests, benchmarks)
 * @param tls the certificate and key to serve TLS with; null: plain TCP (for development and tests only)
 * @param registrationsPerSecond how many registrations are admitted per second, all clusters together (0: no
 *     bound); the others are refused as busy and told when to come back
 * @param registrationBurst how many may come at once before the rate applies
 * @param round how long a client's round waits after the change that woke it, gathering the changes that follow
 *     into the same frame (0: at once); it bounds the frames per client per second under churn, for at most that
 *     much latency
 * @param tokens more tokens of the clusters, each with an id and perhaps a restriction of the names it may claim
 * @param configFile a {@code saturn.yaml} (clusters, tokens, configuration) read at the start and again whenever
 *     it changes (see {@link SaturnConfigFile}); null: none, the options' clusters only
 * @param ioThreads the event loops the connections are spread over (0: one per core); more loops than cores only
 *     switch between them during a round, which is measured to cost (docs/saturn.md, "Measured")
 */
public record SaturnServerOptions(
        String host,
        int port,
        Map<String, String> clusters,
        Duration ttl,
        int historySize,
        int clientQueueBytes,
        int pageEntries,
        Duration handshakeTimeout,
        Limits limits,
        int socketSendBufferBytes,
        @Nullable SaturnTls tls,
        int registrationsPerSecond,
        int registrationBurst,
        Duration round,
        List<SaturnToken> tokens,
        @Nullable Path configFile,
        int ioThreads) {

    public SaturnServerOptions {
        clusters = Map.copyOf(clusters);
        tokens = List.copyOf(tokens);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("saturn port must be 0..65535, got " + port);
        }
        clusters.forEach((name, token) -> {
            if (token == null || token.length() < 16) {
                throw new IllegalArgumentException(
                        "the token of saturn cluster '" + name + "' must have at least 16 characters");
            }
        });
        if (ttl.toMillis() < 30) {
            throw new IllegalArgumentException("saturn ttl must be at least 30 ms, got " + ttl);
        }
        if (historySize < 1) {
            throw new IllegalArgumentException("saturn history-size must be at least 1, got " + historySize);
        }
        if (clientQueueBytes < 1024) {
            throw new IllegalArgumentException(
                    "saturn client-queue-bytes must be at least 1024, got " + clientQueueBytes);
        }
        if (registrationsPerSecond < 0 || registrationBurst < 1) {
            throw new IllegalArgumentException(
                    "saturn registrations-per-second must be >= 0 and registration-burst >= 1," + " got "
                            + registrationsPerSecond + " and " + registrationBurst);
        }
        if (round.isNegative() || round.toMillis() > 1000) {
            throw new IllegalArgumentException("saturn round must be 0..1000 ms, got " + round);
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("saturn io-threads must be 0 (one per core) or more, got " + ioThreads);
        }
        if (pageEntries < 1) {
            throw new IllegalArgumentException("saturn page-entries must be at least 1, got " + pageEntries);
        }
    }

    /**
     * localhost, a free port, no clusters, 10 s TTL, 16 384 changes of history, 1 MiB per client, 500 per page,
     * 2 000 registrations a second after a burst of 500, rounds of 5 ms, plain TCP, an event loop per core.
     */
    public static SaturnServerOptions defaults() {
        return new SaturnServerOptions(
                "127.0.0.1",
                0,
                Map.of(),
                Duration.ofSeconds(10),
                16_384,
                1 << 20,
                500,
                Duration.ofSeconds(5),
                Limits.defaults(),
                0,
                null,
                2000,
                500,
                Duration.ofMillis(5),
                List.of(),
                null,
                0);
    }

    public SaturnServerOptions withHost(String h) {
        return new SaturnServerOptions(
                h,
                port,
                clusters,
                ttl,
                historySize,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                configFile,
                ioThreads);
    }

    public SaturnServerOptions withPort(int p) {
        return new SaturnServerOptions(
                host,
                p,
                clusters,
                ttl,
                historySize,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                configFile,
                ioThreads);
    }

    public SaturnServerOptions withClusters(Map<String, String> c) {
        return new SaturnServerOptions(
                host,
                port,
                c,
                ttl,
                historySize,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                configFile,
                ioThreads);
    }

    public SaturnServerOptions withTtl(Duration t) {
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                t,
                historySize,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                configFile,
                ioThreads);
    }

    public SaturnServerOptions withHistorySize(int n) {
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                ttl,
                n,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                configFile,
                ioThreads);
    }

    public SaturnServerOptions withClientQueueBytes(int n) {
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                ttl,
                historySize,
                n,
                pageEntries,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                configFile,
                ioThreads);
    }

    public SaturnServerOptions withPageEntries(int n) {
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                ttl,
                historySize,
                clientQueueBytes,
                n,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                configFile,
                ioThreads);
    }

    public SaturnServerOptions withHandshakeTimeout(Duration d) {
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                ttl,
                historySize,
                clientQueueBytes,
                pageEntries,
                d,
                limits,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                configFile,
                ioThreads);
    }

    public SaturnServerOptions withLimits(Limits l) {
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                ttl,
                historySize,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                l,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                configFile,
                ioThreads);
    }

    public SaturnServerOptions withAdmission(int perSecond, int burst) {
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                ttl,
                historySize,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                tls,
                perSecond,
                burst,
                round,
                tokens,
                configFile,
                ioThreads);
    }

    public SaturnServerOptions withRound(Duration r) {
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                ttl,
                historySize,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                r,
                tokens,
                configFile,
                ioThreads);
    }

    /** Adds a token of a cluster (see {@link SaturnToken}). */
    public SaturnServerOptions withToken(SaturnToken t) {
        List<SaturnToken> more = new java.util.ArrayList<>(tokens);
        more.add(t);
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                ttl,
                historySize,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                more,
                configFile,
                ioThreads);
    }

    public SaturnServerOptions withTls(@Nullable SaturnTls t) {
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                ttl,
                historySize,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                t,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                configFile,
                ioThreads);
    }

    public SaturnServerOptions withSocketSendBufferBytes(int n) {
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                ttl,
                historySize,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                limits,
                n,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                configFile,
                ioThreads);
    }

    /**
     * Reads {@code file} at the start (a bad one stops it) and again whenever it changes; its clusters come in
     * addition to {@link #clusters()} (a name in both is refused).
     *
     * <pre>{@code
     * SaturnServer.start(SaturnServerOptions.defaults().withConfigFile(Path.of("/etc/saturn/saturn.yaml")));
     * }</pre>
     */
    public SaturnServerOptions withConfigFile(@Nullable Path file) {
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                ttl,
                historySize,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                file,
                ioThreads);
    }

    /**
     * Spreads the connections over {@code n} event loops (0: one per core, the default).
     *
     * <pre>{@code
     * SaturnServer.start(SaturnServerOptions.defaults().withIoThreads(2));
     * }</pre>
     */
    public SaturnServerOptions withIoThreads(int n) {
        return new SaturnServerOptions(
                host,
                port,
                clusters,
                ttl,
                historySize,
                clientQueueBytes,
                pageEntries,
                handshakeTimeout,
                limits,
                socketSendBufferBytes,
                tls,
                registrationsPerSecond,
                registrationBurst,
                round,
                tokens,
                configFile,
                n);
    }

    /** The event loops a server starts: {@link #ioThreads()}, or one per core when that is 0. */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }
}
