package services.ergo.spring.health;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import services.ergo.gen.Network;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.NotAllowedException;

/**
 * The node: up while it runs and, with the network on, while its acceptor is bound. Details: name, uptime, process
 * counts, acceptor, connected nodes.
 */
public final class ErgoNodeHealthIndicator extends AbstractHealthIndicator {
    private final Node node;

    public ErgoNodeHealthIndicator(Node node) {
        super("Ergo node health check failed");
        this.node = node;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!node.isAlive()) {
            builder.down().withDetail("node", node.name()).withDetail("reason", "stopped");
            return;
        }
        var info = node.info();
        builder.withDetail("node", node.name())
                .withDetail("uptimeSeconds", info.uptimeMillis() / 1000)
                .withDetail("processes", info.processesTotal())
                .withDetail("applicationsRunning", info.applicationsRunning());
        Network network;
        try {
            network = node.network();
        } catch (NotAllowedException off) {
            builder.up().withDetail("network", "off");
            return;
        }
        NetworkRoute acceptor = network.acceptor();
        if (acceptor == null) {
            builder.down().withDetail("acceptor", "not bound");
            return;
        }
        builder.up()
                .withDetail("acceptor", acceptor.host() + ":" + acceptor.port())
                .withDetail("connectedNodes", network.nodes().size());
    }
}
