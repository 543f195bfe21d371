package services.ergo.gen;

import java.time.Duration;

/**
 * How a node talks to other nodes. Defaults ({@link #on()}, each a {@code DEFAULT_} constant): network on;
 * acceptor on localhost, port 11144, scanning up to 100 ports upward when taken; a pool of 3 TCP connections (lanes)
 * per remote node; messages up to 16 MiB; handshake within 5 s; keepalive every 15 s, a lane silent for 3 of those
 * closed; at most 128 handshakes in progress (32 per remote address); 64 MiB of outbox per connection; remote spawn and remote application start allowed
 * (each name still needs enabling); not hidden. A refused value throws {@link InvalidOptionException} naming it.
 *
 * <pre>{@code
 * NodeOptions.builder().cookie("secret").network(NetworkOptions.on().withPort(0)).build();
 * }</pre>
 *
 * @param enabled whether the node starts its acceptor and may connect to others
 * @param host the address the acceptor binds and announces
 * @param port the first port to try; 0 picks any free port
 * @param portRange how many ports upward to try when {@code port} is taken
 * @param poolSize TCP connections (lanes) per remote node; order is kept per sender → receiver pair
 * @param maxMessageSize the largest frame accepted or sent, in bytes
 * @param handshakeTimeout how long a connection may take to prove itself
 * @param remoteSpawn whether other nodes may spawn processes here at all (each name still needs
 *     {@link Network#enableSpawn})
 * @param remoteApplicationStart whether other nodes may start applications here at all (each still needs
 *     {@link Network#enableApplicationStart})
 * @param tls encryption of the lanes; {@link TlsOptions#off()} by default
 * @param hidden whether the node stays out of the registrar: it dials the others and sees the cluster, but no one
 *     lists or resolves it (the standalone Observer); false by default
 * @param keepaliveInterval how often a lane with nothing to send pings its peer (15 s by default, as in Ergo 3.3);
 *     peers of the previous release are not pinged, since they do not know the frame
 * @param keepaliveMisses how many intervals a lane may stay silent before it is closed as dead (3 by default): a
 *     frozen or vanished peer is found within {@code keepaliveInterval x keepaliveMisses}, not TCP's retransmission
 *     timeout
 * @param maxPendingHandshakes how many accepted connections may be in their handshake at once (128 by default);
 *     more are closed at once and counted
 * @param maxPendingHandshakesPerAddress the same bound for one remote address (32 by default)
 * @param maxOutboxBytes the bytes a connection may hold for a peer that does not read them (64 MiB by default, at
 *     least {@code maxMessageSize}); past it a send fails with {@link OutboxFullException}
 */
public record NetworkOptions(
        boolean enabled,
        String host,
        int port,
        int portRange,
        int poolSize,
        int maxMessageSize,
        Duration handshakeTimeout,
        boolean remoteSpawn,
        boolean remoteApplicationStart,
        TlsOptions tls,
        boolean hidden,
        Duration keepaliveInterval,
        int keepaliveMisses,
        int maxPendingHandshakes,
        int maxPendingHandshakesPerAddress,
        long maxOutboxBytes) {
    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 11144;
    public static final int DEFAULT_PORT_RANGE = 100;
    public static final int DEFAULT_POOL_SIZE = 3;
    /** 16 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 << 20;

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    public static final boolean DEFAULT_REMOTE_SPAWN = true;
    public static final boolean DEFAULT_REMOTE_APPLICATION_START = true;
    public static final boolean DEFAULT_HIDDEN = false;
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(15);
    public static final int DEFAULT_KEEPALIVE_MISSES = 3;
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 128;
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS = 32;
    /** 64 MiB. */
    public static final long DEFAULT_MAX_OUTBOX_BYTES = 64L << 20;

    public NetworkOptions {
        if (host == null || host.isBlank()) {
            throw new InvalidOptionException("host", "network host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidOptionException("port", "network port must be 0..65535, got " + port);
        }
        if (portRange < 1) {
            throw new InvalidOptionException("portRange", "network portRange must be >= 1, got " + portRange);
        }
        if (poolSize < 1 || poolSize > 64) {
            throw new InvalidOptionException("poolSize", "network poolSize must be 1..64, got " + poolSize);
        }
        if (maxMessageSize < 1024) {
            throw new InvalidOptionException(
                    "maxMessageSize", "network maxMessageSize must be >= 1024 bytes, got " + maxMessageSize);
        }
        if (tls == null) {
            throw new InvalidOptionException("tls", "network tls must not be null (TlsOptions.off() for none)");
        }
        if (handshakeTimeout == null || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new InvalidOptionException(
                    "handshakeTimeout", "network handshakeTimeout must be > 0, got " + handshakeTimeout);
        }
        if (keepaliveInterval == null || keepaliveInterval.isNegative() || keepaliveInterval.isZero()) {
            throw new InvalidOptionException(
                    "keepaliveInterval", "network keepaliveInterval must be > 0, got " + keepaliveInterval);
        }
        if (keepaliveMisses < 1) {
            throw new InvalidOptionException(
                    "keepaliveMisses", "network keepaliveMisses must be >= 1, got " + keepaliveMisses);
        }
        if (maxPendingHandshakes < 1) {
            throw new InvalidOptionException(
                    "maxPendingHandshakes", "network maxPendingHandshakes must be >= 1, got " + maxPendingHandshakes);
        }
        if (maxPendingHandshakesPerAddress < 1) {
            throw new InvalidOptionException(
                    "maxPendingHandshakesPerAddress",
                    "network maxPendingHandshakesPerAddress must be >= 1, got " + maxPendingHandshakesPerAddress);
        }
        if (maxOutboxBytes < maxMessageSize) {
            throw new InvalidOptionException(
                    "maxOutboxBytes",
                    "network maxOutboxBytes must be at least maxMessageSize (" + maxMessageSize + "), got "
                            + maxOutboxBytes);
        }
    }

    public static NetworkOptions off() {
        return new NetworkOptions(
                false,
                DEFAULT_HOST,
                DEFAULT_PORT,
                DEFAULT_PORT_RANGE,
                DEFAULT_POOL_SIZE,
                DEFAULT_MAX_MESSAGE_SIZE,
                DEFAULT_HANDSHAKE_TIMEOUT,
                DEFAULT_REMOTE_SPAWN,
                DEFAULT_REMOTE_APPLICATION_START,
                TlsOptions.off(),
                DEFAULT_HIDDEN,
                DEFAULT_KEEPALIVE_INTERVAL,
                DEFAULT_KEEPALIVE_MISSES,
                DEFAULT_MAX_PENDING_HANDSHAKES,
                DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS,
                DEFAULT_MAX_OUTBOX_BYTES);
    }

    public static NetworkOptions on() {
        return off().withEnabled(true);
    }

    public NetworkOptions withEnabled(boolean value) {
        return new NetworkOptions(
                value,
                host,
                port,
                portRange,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withHost(String value) {
        return new NetworkOptions(
                enabled,
                value,
                port,
                portRange,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withPort(int value) {
        return new NetworkOptions(
                enabled,
                host,
                value,
                portRange,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    /** How many ports above {@link #port()} the acceptor tries when the port is taken. */
    public NetworkOptions withPortRange(int value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                value,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withPoolSize(int value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                portRange,
                value,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withMaxMessageSize(int value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                portRange,
                poolSize,
                value,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withHandshakeTimeout(Duration value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                portRange,
                poolSize,
                maxMessageSize,
                value,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withRemoteSpawn(boolean value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                portRange,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                value,
                remoteApplicationStart,
                tls,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withRemoteApplicationStart(boolean value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                portRange,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                value,
                tls,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withTls(TlsOptions value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                portRange,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                value,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withHidden(boolean value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                portRange,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                value,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withKeepaliveInterval(Duration value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                portRange,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                hidden,
                value,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withKeepaliveMisses(int value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                portRange,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                hidden,
                keepaliveInterval,
                value,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withMaxPendingHandshakes(int value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                portRange,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                value,
                maxPendingHandshakesPerAddress,
                maxOutboxBytes);
    }

    public NetworkOptions withMaxPendingHandshakesPerAddress(int value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                portRange,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                value,
                maxOutboxBytes);
    }

    public NetworkOptions withMaxOutboxBytes(long value) {
        return new NetworkOptions(
                enabled,
                host,
                port,
                portRange,
                poolSize,
                maxMessageSize,
                handshakeTimeout,
                remoteSpawn,
                remoteApplicationStart,
                tls,
                hidden,
                keepaliveInterval,
                keepaliveMisses,
                maxPendingHandshakes,
                maxPendingHandshakesPerAddress,
                value);
    }
}
