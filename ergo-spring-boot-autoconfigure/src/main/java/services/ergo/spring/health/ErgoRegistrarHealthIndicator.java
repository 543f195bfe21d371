package services.ergo.spring.health;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import services.ergo.gen.Registrar;

/**
 * The registrar: up while it reaches its service (the node serving the embedded registrar, or etcd). A node whose
 * registrar is down still talks to the nodes it knows, so this belongs in readiness at most, never in liveness.
 */
public final class ErgoRegistrarHealthIndicator extends AbstractHealthIndicator {
    private final Registrar registrar;

    public ErgoRegistrarHealthIndicator(Registrar registrar) {
        super("Ergo registrar health check failed");
        this.registrar = registrar;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        // info() only: nodes() may ask the network, and a health check must answer at once
        builder.status(registrar.connected() ? "UP" : "DOWN").withDetail("registrar", registrar.info());
    }
}
