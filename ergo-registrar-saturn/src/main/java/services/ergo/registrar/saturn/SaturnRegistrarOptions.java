package services.ergo.registrar.saturn;

import java.time.Duration;
import java.util.List;
import services.ergo.saturn.protocol.Limits;

/**
 * How a {@link SaturnRegistrar} reaches its servers.
 *
 * <pre>{@code
 * SaturnRegistrarOptions options = SaturnRegistrarOptions.defaults()
 *         .withServers("saturn1:4499", "saturn2:4499")
 *         .withCluster("production")
 *         .withToken(System.getenv("SATURN_TOKEN"));
 * }</pre>
 *
 * @param servers {@code host:port} of each server, tried in random order
 * @param cluster the cluster this node belongs to
 * @param token the cluster's token, proven to the server and never sent
 * @param connectTimeout how long one TCP connect may take
 * @param registerTimeout how long the handshake and the first view may take on one connection; a node that
 *     cannot register within three of these fails to start
 * @param backoffMin the first reconnect delay's upper bound (each delay is drawn at random below its bound)
 * @param backoffMax the largest bound: the bound doubles per failed attempt up to it
 * @param limits the decoder's bounds (frame cap first: a snapshot page must fit in it)
 * @param tls plain TCP or TLS, and how the server's certificate is verified
 * @param tokenId which of the cluster's tokens {@code token} is ({@code ""}: the cluster's own); a token with an
 *     id may be restricted by the server to some node names
 */
public record SaturnRegistrarOptions(
        List<String> servers,
        String cluster,
        String token,
        Duration connectTimeout,
        Duration registerTimeout,
        Duration backoffMin,
        Duration backoffMax,
        Limits limits,
        SaturnClientTls tls,
        String tokenId) {

    public SaturnRegistrarOptions {
        servers = List.copyOf(servers);
        for (String s : servers) {
            int colon = s.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("ergo.registrar.saturn.servers: '" + s + "' is not host:port");
            }
            try {
                int port = Integer.parseInt(s.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ergo.registrar.saturn.servers: '" + s + "' has no port 1..65535");
            }
        }
        if (cluster == null || cluster.isEmpty()) {
            throw new IllegalArgumentException("ergo.registrar.saturn.cluster must not be empty");
        }
        if (backoffMin.isNegative() || backoffMin.isZero() || backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException(
                    "saturn backoff must be 0 < min <= max, got " + backoffMin + ".." + backoffMax);
        }
    }

    /** No servers yet, cluster "default", 2 s connect, 5 s register, backoff 100 ms doubling to 10 s. */
    public static SaturnRegistrarOptions defaults() {
        return new SaturnRegistrarOptions(
                List.of(),
                "default",
                "",
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                Duration.ofSeconds(10),
                Limits.defaults().withMaxFrameBytes(16 << 20),
                SaturnClientTls.off(),
                "");
    }

    public SaturnRegistrarOptions withServers(String... s) {
        return new SaturnRegistrarOptions(
                List.of(s),
                cluster,
                token,
                connectTimeout,
                registerTimeout,
                backoffMin,
                backoffMax,
                limits,
                tls,
                tokenId);
    }

    public SaturnRegistrarOptions withServers(List<String> s) {
        return new SaturnRegistrarOptions(
                s, cluster, token, connectTimeout, registerTimeout, backoffMin, backoffMax, limits, tls, tokenId);
    }

    public SaturnRegistrarOptions withCluster(String c) {
        return new SaturnRegistrarOptions(
                servers, c, token, connectTimeout, registerTimeout, backoffMin, backoffMax, limits, tls, tokenId);
    }

    public SaturnRegistrarOptions withToken(String t) {
        return new SaturnRegistrarOptions(
                servers, cluster, t, connectTimeout, registerTimeout, backoffMin, backoffMax, limits, tls, tokenId);
    }

    public SaturnRegistrarOptions withRegisterTimeout(Duration d) {
        return new SaturnRegistrarOptions(
                servers, cluster, token, connectTimeout, d, backoffMin, backoffMax, limits, tls, tokenId);
    }

    public SaturnRegistrarOptions withBackoff(Duration min, Duration max) {
        return new SaturnRegistrarOptions(
                servers, cluster, token, connectTimeout, registerTimeout, min, max, limits, tls, tokenId);
    }

    public SaturnRegistrarOptions withTls(SaturnClientTls t) {
        return new SaturnRegistrarOptions(
                servers, cluster, token, connectTimeout, registerTimeout, backoffMin, backoffMax, limits, t, tokenId);
    }

    /** Which of the cluster's tokens this is ({@code ergo.registrar.saturn.token-id}). */
    public SaturnRegistrarOptions withTokenId(String id) {
        return new SaturnRegistrarOptions(
                servers,
                cluster,
                token,
                connectTimeout,
                registerTimeout,
                backoffMin,
                backoffMax,
                limits,
                tls,
                id == null ? "" : id);
    }

    public SaturnRegistrarOptions withLimits(Limits l) {
        return new SaturnRegistrarOptions(
                servers, cluster, token, connectTimeout, registerTimeout, backoffMin, backoffMax, l, tls, tokenId);
    }
}
