package services.ergo.gen;

/**
 * Where an application runs, as a registrar publishes it: the node, the application's weight, mode and state.
 *
 * <pre>{@code
 * List<ApplicationRoute> routes = node.network().registrar().resolver().resolveApplication("worker");
 * Optional<String> target = ApplicationRoutes.selectNode(routes);
 * }</pre>
 */
public record ApplicationRoute(String node, String name, int weight, ApplicationMode mode, ApplicationState state) {
    public ApplicationRoute {
        if (node == null || name == null || mode == null || state == null) {
            throw new IllegalArgumentException("an application route needs node, name, mode and state");
        }
        if (weight < 0) {
            throw new IllegalArgumentException("an application's weight must be >= 0, got " + weight);
        }
    }

    public boolean running() {
        return state == ApplicationState.RUNNING;
    }
}
