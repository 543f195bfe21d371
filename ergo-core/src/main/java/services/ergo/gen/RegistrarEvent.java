package services.ergo.gen;

import org.jspecify.annotations.Nullable;

/**
 * What a registrar tells the processes that link or monitor its {@link Registrar#event() event}: the cluster's
 * topology, applications and configuration as they change. They arrive as {@link MessageEvent#message()} in
 * {@code handleEvent}.
 *
 * <pre>{@code
 * protected void init(Object... args) {
 *     node().network().registrar().event().ifPresent(this::monitorEvent);
 * }
 *
 * protected void handleEvent(MessageEvent event) {
 *     if (event.message() instanceof RegistrarEvent.ApplicationStarted s && s.name().equals("worker")) {
 *         refreshWorkers();
 *     } else if (event.message() instanceof RegistrarEvent.NodeLeft left) {
 *         log().warn("node left: {}", left.node());
 *     }
 * }
 * }</pre>
 */
public sealed interface RegistrarEvent {

    /**
     * Adds to {@code events} what takes a listener from {@code before} to {@code now} for one application on one
     * node, as every registrar tells it: a registrar that keeps a view and diffs it (after a watch event, a resync
     * or a snapshot) calls this, so that listeners of any registrar see the same events for the same change.
     * Stopping and stopped carry no weight, so a weight that changed with them (or an instance first seen while
     * stopping) is told on its own; a listener ends with the view whatever it missed.
     *
     * <pre>{@code
     * List<RegistrarEvent> events = new ArrayList<>();
     * RegistrarEvent.applicationChanges("worker", "w1@host", before, now, events);
     * }</pre>
     *
     * @param before the route as the view held it, null if it had none
     * @param now the route now, null if it is gone
     */
    static void applicationChanges(
            String app,
            String node,
            @Nullable ApplicationRoute before,
            @Nullable ApplicationRoute now,
            java.util.List<RegistrarEvent> events) {
        if (now == null) {
            if (before != null) {
                events.add(new ApplicationUnloaded(app, node));
            }
            return;
        }
        boolean weightTold = false;
        if (before == null || before.state() != now.state()) {
            switch (now.state()) {
                case RUNNING -> {
                    events.add(new ApplicationStarted(app, node, now.weight(), now.mode()));
                    weightTold = true;
                }
                case STOPPING -> {
                    if (before == null) {
                        events.add(new ApplicationLoaded(app, node, now.weight()));
                        weightTold = true;
                    }
                    events.add(new ApplicationStopping(app, node));
                }
                case LOADED -> {
                    if (before == null) {
                        events.add(new ApplicationLoaded(app, node, now.weight()));
                        weightTold = true;
                    } else {
                        events.add(new ApplicationStopped(app, node));
                    }
                }
            }
        }
        if (!weightTold && before != null && before.weight() != now.weight()) {
            events.add(new ApplicationWeight(app, node, now.weight()));
        }
    }

    record NodeJoined(String node) implements RegistrarEvent {}

    record NodeLeft(String node) implements RegistrarEvent {}

    record ApplicationLoaded(String name, String node, int weight) implements RegistrarEvent {}

    record ApplicationStarted(String name, String node, int weight, ApplicationMode mode) implements RegistrarEvent {}

    record ApplicationStopping(String name, String node) implements RegistrarEvent {}

    record ApplicationStopped(String name, String node) implements RegistrarEvent {}

    record ApplicationUnloaded(String name, String node) implements RegistrarEvent {}

    /** An application's weight changed where it runs (drain to 0, canary 10/90). */
    record ApplicationWeight(String name, String node, int weight) implements RegistrarEvent {}

    /** The value of {@code item} for this node changed; {@code value} is null when it is gone. */
    record ConfigUpdate(String item, @Nullable Object value) implements RegistrarEvent {}

    /**
     * The registrar reaches its backend again (after a start or an outage); the view is re-synchronised.
     * {@code registrar} is its {@link RegistrarInfo#description() description}.
     */
    record Connected(String registrar) implements RegistrarEvent {}

    /**
     * The registrar lost its backend; the view is what it was, and may be stale, until {@link Connected}.
     * {@code registrar} is its {@link RegistrarInfo#description() description}.
     */
    record Disconnected(String registrar, String reason) implements RegistrarEvent {}
}
