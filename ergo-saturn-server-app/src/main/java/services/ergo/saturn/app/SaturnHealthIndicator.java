package services.ergo.saturn.app;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import services.ergo.saturn.server.SaturnServer;
import services.ergo.saturn.server.SaturnTls;

/**
 * The {@code saturn} health contributor: UP with the port, the TLS fingerprint and each cluster's sessions and
 * revision while the server runs, and with a {@code saturn.yaml} its path, the reloads put in force and refused,
 * and when the last one was put in force; DOWN once it is closed.
 *
 * <pre>
 * GET /actuator/health/saturn
 * {"status":"UP","details":{"port":4499,"tls":"AB:CD:…","sessions":2,
 *  "clusters":{"production":{"sessions":2,"revision":7}},
 *  "config":{"file":"/etc/saturn/saturn.yaml","reloads":3,"reloadFailures":1,
 *            "lastReload":"2026-12-02T14:05:00Z"}}}
 * </pre>
 */
public final class SaturnHealthIndicator implements HealthIndicator {
    private final SaturnServer server;
    private final int port;
    private final String tls;
    /** When the last configuration was put in force after the start; null until then. */
    private final AtomicReference<@Nullable Instant> lastReload = new AtomicReference<>();

    public SaturnHealthIndicator(SaturnServer server) {
        this.server = server;
        this.port = server.port(); // a closed server no longer knows its address
        SaturnTls t = server.options().tls();
        this.tls = t == null ? "off (plain TCP)" : SelfSignedCertificate.fingerprint(t.fingerprint());
        if (server.options().configFile() != null) {
            server.addConfigListener(() -> lastReload.set(Instant.now()));
        }
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
        Health.Builder up = Health.up()
                .withDetail("port", port)
                .withDetail("tls", tls)
                .withDetail("sessions", sessions)
                .withDetail("clusters", clusters);
        Path file = server.options().configFile();
        if (file != null) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("file", file.toString());
            config.put("reloads", server.counters().configReloads.get());
            config.put("reloadFailures", server.counters().configReloadFailures.get());
            Instant last = lastReload.get();
            if (last != null) {
                config.put("lastReload", last.toString());
            }
            up.withDetail("config", config);
        }
        return up.build();
    }
}
