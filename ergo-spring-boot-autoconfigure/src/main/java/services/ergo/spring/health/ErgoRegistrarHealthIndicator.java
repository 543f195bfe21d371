package services.ergo.spring.health;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarInfo;
import services.ergo.inspect.NodeSnapshot;

/**
 * The registrar: up while it reaches its service (the node serving the embedded registrar, or etcd). A node whose
 * registrar is down still talks to the nodes it knows, so this belongs in readiness at most, never in liveness.
 * Details: {@code registrar}, its one-line description, and {@code capabilities}, what it can do
 * ({@code applications}, {@code events}, {@code configuration}, {@code hiddenNodes}, {@code nodeMetadata}).
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
        RegistrarInfo info = registrar.info();
        builder.status(registrar.connected() ? "UP" : "DOWN")
                .withDetail("registrar", info.description())
                .withDetail("capabilities", NodeSnapshot.registrarCapabilities(info));
    }
}
