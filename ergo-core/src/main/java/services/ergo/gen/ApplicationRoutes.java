package services.ergo.gen;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Weighted load balancing over application routes, the seed's {@code selectNode}: among the running instances, one
 * with weight 100 is picked twice as often as one with weight 50, and weight 0 (draining) is never picked.
 *
 * <pre>{@code
 * ApplicationRoutes.selectNode(registrar.resolver().resolveApplication("worker"))
 *         .ifPresent(node -> send(new ProcessId("handler", node), job));
 * }</pre>
 */
public final class ApplicationRoutes {
    private ApplicationRoutes() {}

    /** A running instance's node, picked by weight; empty when none is running with a weight above 0. */
    public static Optional<String> selectNode(List<ApplicationRoute> routes) {
        return selectNode(routes, ThreadLocalRandom.current());
    }

    public static Optional<String> selectNode(List<ApplicationRoute> routes, RandomGenerator random) {
        long total = 0;
        for (ApplicationRoute r : routes) {
            if (r.running()) {
                total += r.weight();
            }
        }
        if (total == 0) {
            return Optional.empty();
        }
        long pick = random.nextLong(total);
        for (ApplicationRoute r : routes) {
            if (r.running() && r.weight() > 0) {
                pick -= r.weight();
                if (pick < 0) {
                    return Optional.of(r.node());
                }
            }
        }
        throw new IllegalStateException("unreachable: the weights summed to " + total);
    }
}
