package services.ergo.gen;

import java.util.List;
import java.util.Optional;

/**
 * The resolving half of a {@link Registrar}: where a node's acceptor is, and where an application runs across the
 * cluster. From {@link Registrar#resolver()}; a node resolves through it when it first connects to a node it has
 * no static route to.
 *
 * <pre>{@code
 * Resolver resolver = node.network().registrar().resolver();
 * Optional<NetworkRoute> route = resolver.resolve("worker@host2");
 * for (ApplicationRoute r : resolver.resolveApplication("api")) {
 *     log().info("api on {}: weight {}, {}", r.node(), r.weight(), r.state());
 * }
 * }</pre>
 *
 * <p>Every registrar resolves nodes; only those whose {@link RegistrarInfo#supportsApplications()} is true (etcd)
 * resolve applications. The others answer an empty list, which then means "this registrar does not know" rather
 * than "it runs nowhere": ask {@link Registrar#info()} to tell the two apart.
 */
public interface Resolver {

    /**
     * The route to {@code node}'s acceptor, or empty when the registrar does not know the node (not registered, not
     * reachable through it, or a hidden node, which no one resolves). Every registrar resolves nodes: there is no
     * capability flag for it.
     */
    Optional<NetworkRoute> resolve(String node);

    /**
     * Where application {@code name} is loaded or runs across the cluster, one route per node, with its weight, mode
     * and state (pick one with {@link ApplicationRoutes#selectNode}). Empty when no node has it, and always empty
     * for a registrar that does not know applications ({@link RegistrarInfo#supportsApplications()} false: the
     * embedded one).
     */
    default List<ApplicationRoute> resolveApplication(String name) {
        return List.of();
    }
}
