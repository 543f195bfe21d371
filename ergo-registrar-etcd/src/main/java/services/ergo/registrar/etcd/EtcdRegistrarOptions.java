package services.ergo.registrar.etcd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.InvalidOptionException;

/**
 * How the etcd registrar reaches etcd and registers a node. Defaults ({@link #defaults()}, each a {@code DEFAULT_}
 * constant): etcd at {@code http://localhost:2379}, cluster {@code "default"}, lease TTL 10 s (kept alive every
 * TTL/3 by jetcd), no credentials, no TLS, 5 s per request, reconnection backoff from 100 ms up to 5 s. A refused
 * value throws {@link InvalidOptionException} naming it.
 *
 * <pre>{@code
 * EtcdRegistrarOptions.defaults()
 *         .withEndpoints("http://etcd1:2379", "http://etcd2:2379")
 *         .withCluster("production");
 * }</pre>
 *
 * @param endpoints etcd client URLs
 * @param cluster the cluster's name: nodes and applications are visible within their cluster only
 * @param leaseTtl how long a node that stopped keeping its lease alive stays registered
 * @param user etcd user; null for none (then the password is null too)
 * @param password etcd password; null for none
 * @param trustedCertificates PEM CA certificates for TLS to etcd ({@code https://} endpoints); null for none
 * @param requestTimeout how long one etcd request may take
 * @param backoffMin first delay before retrying after etcd failed
 * @param backoffMax longest delay between retries
 */
public record EtcdRegistrarOptions(
        List<String> endpoints,
        String cluster,
        Duration leaseTtl,
        @Nullable String user,
        @Nullable String password,
        @Nullable Path trustedCertificates,
        Duration requestTimeout,
        Duration backoffMin,
        Duration backoffMax) {

    public static final String DEFAULT_ENDPOINT = "http://localhost:2379";
    public static final String DEFAULT_CLUSTER = "default";
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_BACKOFF_MIN = Duration.ofMillis(100);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(5);

    public EtcdRegistrarOptions {
        if (endpoints == null || endpoints.isEmpty()) {
            throw new InvalidOptionException("endpoints", "etcd registrar needs at least one endpoint");
        }
        endpoints = List.copyOf(endpoints);
        if (cluster == null || cluster.isBlank() || cluster.contains("/")) {
            throw new InvalidOptionException(
                    "cluster", "etcd cluster name must be non-empty and without '/', got " + cluster);
        }
        if (leaseTtl == null || leaseTtl.toSeconds() < 1) {
            throw new InvalidOptionException("leaseTtl", "etcd lease TTL must be at least 1 s, got " + leaseTtl);
        }
        if ((user == null) != (password == null)) {
            // the one missing is the one to set
            throw new InvalidOptionException(user == null ? "user" : "password", "etcd user and password go together");
        }
        if (requestTimeout == null || requestTimeout.toMillis() < 1) {
            throw new InvalidOptionException(
                    "requestTimeout", "etcd requestTimeout must be > 0, got " + requestTimeout);
        }
        if (backoffMin == null || backoffMin.toMillis() < 1) {
            throw new InvalidOptionException(
                    "backoffMin", "etcd backoff must be 0 < min <= max, got " + backoffMin + ".." + backoffMax);
        }
        if (backoffMax == null || backoffMax.compareTo(backoffMin) < 0) {
            throw new InvalidOptionException(
                    "backoffMax", "etcd backoff must be 0 < min <= max, got " + backoffMin + ".." + backoffMax);
        }
    }

    public static EtcdRegistrarOptions defaults() {
        return new EtcdRegistrarOptions(
                List.of(DEFAULT_ENDPOINT),
                DEFAULT_CLUSTER,
                DEFAULT_LEASE_TTL,
                null,
                null,
                null,
                DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_BACKOFF_MIN,
                DEFAULT_BACKOFF_MAX);
    }

    public EtcdRegistrarOptions withEndpoints(String... value) {
        return new EtcdRegistrarOptions(
                List.of(value),
                cluster,
                leaseTtl,
                user,
                password,
                trustedCertificates,
                requestTimeout,
                backoffMin,
                backoffMax);
    }

    public EtcdRegistrarOptions withCluster(String value) {
        return new EtcdRegistrarOptions(
                endpoints,
                value,
                leaseTtl,
                user,
                password,
                trustedCertificates,
                requestTimeout,
                backoffMin,
                backoffMax);
    }

    public EtcdRegistrarOptions withLeaseTtl(Duration value) {
        return new EtcdRegistrarOptions(
                endpoints, cluster, value, user, password, trustedCertificates, requestTimeout, backoffMin, backoffMax);
    }

    /** Credentials for etcd's authentication: both, or both null for none. */
    public EtcdRegistrarOptions withCredentials(@Nullable String userValue, @Nullable String passwordValue) {
        return new EtcdRegistrarOptions(
                endpoints,
                cluster,
                leaseTtl,
                userValue,
                passwordValue,
                trustedCertificates,
                requestTimeout,
                backoffMin,
                backoffMax);
    }

    public EtcdRegistrarOptions withTrustedCertificates(Path value) {
        return new EtcdRegistrarOptions(
                endpoints, cluster, leaseTtl, user, password, value, requestTimeout, backoffMin, backoffMax);
    }

    public EtcdRegistrarOptions withRequestTimeout(Duration value) {
        return new EtcdRegistrarOptions(
                endpoints, cluster, leaseTtl, user, password, trustedCertificates, value, backoffMin, backoffMax);
    }

    public EtcdRegistrarOptions withBackoff(Duration min, Duration max) {
        return new EtcdRegistrarOptions(
                endpoints, cluster, leaseTtl, user, password, trustedCertificates, requestTimeout, min, max);
    }
}
