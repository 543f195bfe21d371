package services.ergo.saturn.app;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import services.ergo.saturn.server.SaturnServer;
import services.ergo.saturn.server.SaturnTls;

/**
 * The {@code saturn} health contributor: UP with the port, the TLS fingerprint and each cluster's sessions and
 * revision while the server runs, DOWN once it is closed.
 *
 * <pre>
 * GET /actuator/health/saturn
 * {"status":"UP","details":{"port":4499,"tls":"AB:CD:…","sessions":2,
 *  "clusters":{"production":{"sessions":2,"revision":7}}}}
 * </pre>
 */
public final class SaturnHealthIndicator implements HealthIndicator {
    private final SaturnServer server;
    private final int port;
    private final String tls;

    public SaturnHealthIndicator(SaturnServer server) {
        this.server = server;
        this.port = server.port(); // a closed server no longer knows its address
        SaturnTls t = server.options().tls();
        this.tls = t == null ? "off (plain TCP)" : SelfSignedCertificate.fingerprint(t.fingerprint());
    }

    @Override
    public Health health() {
        if (server.isClosed()) {
            return Health.down()
                    .withDetail("port", port)
                    .withDetail("reason", "closed")
                    .build();
        }
        Map<String, Object> clusters = new LinkedHashMap<>();
        int sessions = 0;
        for (String cluster : server.clusters()) {
            int n = server.sessions(cluster);
            sessions += n;
            clusters.put(cluster, Map.of("sessions", n, "revision", server.revision(cluster)));
        }
        return Health.up()
                .withDetail("port", port)
                .withDetail("tls", tls)
                .withDetail("sessions", sessions)
                .withDetail("clusters", clusters)
                .build();
    }
}
