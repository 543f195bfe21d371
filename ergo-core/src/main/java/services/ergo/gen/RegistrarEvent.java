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
