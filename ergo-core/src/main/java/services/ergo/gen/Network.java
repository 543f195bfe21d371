package services.ergo.gen;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A node's door to the cluster: its acceptor, its connections, the message types it can send, and the routes it
 * knows. From {@link Node#network()}.
 *
 * <pre>{@code
 * node.network().registerType(Job.class);                 // on both nodes
 * node.network().addRoute("worker@host2", new NetworkRoute("host2", 11144));
 * node.send(new ProcessId("handler", "worker@host2"), new Job(1));
 * }</pre>
 */
public interface Network {

    /** Where this node accepts connections. */
    NetworkRoute acceptor();

    /**
     * Registers a type that may travel between nodes; both sides register it. Records, enums and plain classes
     * with their field types registered; the usual JDK types (boxes, String, byte[], collections, Optional) and
     * the framework's own (Pid, ProcessId, Alias, Ref, Event, Reason) need no registration.
     */
    void registerType(Class<?> type);

    /**
     * Registers types that refer to each other in one step, so that no message meets some of them without the
     * others (a record arriving between the registration of its own type and of its field's type fails to decode):
     *
     * <pre>
     * node.network().registerTypes(List.of(Job.class, JobPayload.class, JobDone.class));
     * </pre>
     */
    default void registerTypes(java.util.Collection<Class<?>> types) {
        types.forEach(this::registerType);
    }

    /** The registrar this node registered with and resolves other nodes through. */
    Registrar registrar();

    /** A static route to a node, used before any registrar. */
    void addRoute(String node, NetworkRoute route);

    void removeRoute(String node);

    /** Nodes this node is connected to now. */
    List<String> nodes();

    /** Connects to {@code node} now (sends connect on demand anyway). */
    void connect(String node);

    /** Closes the connection to {@code node}, if any. */
    void disconnect(String node);

    /**
     * Lets other nodes spawn processes here under {@code name}, made by {@code factory}; only the listed nodes, or
     * any node when none is listed.
     *
     * <pre>{@code
     * worker.network().enableSpawn("worker", Worker::new, "coordinator@host1");
     * Pid pid = coordinator.network().node("worker@host2").spawn("worker", ProcessOptions.defaults(), config);
     * }</pre>
     */
    void enableSpawn(String name, ProcessFactory factory, String... allowedNodes);

    void disableSpawn(String name);

    /** Lets other nodes start the loaded application {@code name}; only the listed nodes, or any when none. */
    void enableApplicationStart(String name, String... allowedNodes);

    void disableApplicationStart(String name);

    /**
     * Throws {@link NotAllowedException} unless {@code node} may start the application {@code name} here by the rules
     * a remote start obeys: {@link NetworkOptions#remoteApplicationStart()}, {@link #enableApplicationStart} for
     * that name, and its allow-list. For services that act for other nodes, such as the inspector, so they grant no
     * more than a remote start would.
     *
     * <pre>{@code
     * node.network().checkApplicationStart("jobs", from.node()); // throws when from's node may not start it
     * }</pre>
     */
    default void checkApplicationStart(String name, String node) {
        throw new NotAllowedException("this network does not say who may start applications");
    }

    /** A handle on another node, for what is done there rather than sent there. */
    RemoteNode node(String name);

    /** Traffic and failure counters of the connection to {@code node}, or of everything when null. */
    NetworkStats stats(@Nullable String node);

    /**
     * What the network refused from other nodes, by kind, since it started: {@code name-held} (a lane claiming a
     * name a live connection holds), {@code pending-handshakes} (connections over the handshake caps),
     * {@code silent-lane} (lanes closed by the keepalive), {@code dial-on-event-loop} (something for an
     * unconnected node that a frame caused, dropped rather than dialed from an event loop) and
     * {@code signal-without-relation} (answers, downs and exits that no call, monitor or link allowed). Protocol
     * errors and failed handshakes are in {@link #stats}.
     *
     * <pre>{@code
     * long forged = node.network().refusals().get("signal-without-relation");
     * }</pre>
     */
    default java.util.Map<String, Long> refusals() {
        return java.util.Map.of();
    }
}
