package services.ergo.gen;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where nodes find each other: a node registers its acceptor when its network starts, and resolves other nodes'
 * names to routes when it first connects to them. One instance serves one node. The default is the embedded
 * registrar ({@code services.ergo.registrar.EmbeddedRegistrar}), which needs no infrastructure; the etcd
 * registrar and the registrar server plug in here too.
 *
 * <pre>{@code
 * Node node = Ergo.startNode("worker@host1",
 *         NodeOptions.builder().registrar(() -> new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults())).build());
 * }</pre>
 */
public interface Registrar {

    /**
     * Registers {@code node}, reachable at {@code route}; called once, when the node's network starts. A registrar
     * that publishes applications or events does so through the node (its application listeners, its events).
     *
     * @throws NameTakenException when another live node already has the name
     * @throws ErgoException when the registrar cannot be reached or served
     */
    void register(Node node, NetworkRoute route);

    /** The route to {@code node}, or empty when no registrar knows it. */
    /**
     * Joins as a hidden node: this node resolves and dials the others and sees the cluster (nodes, applications,
     * configuration, events) but is not registered itself, so no one lists or resolves it; a tool such as the
     * standalone Observer runs so.
     *
     * @throws NotAllowedException when this registrar cannot
     */
    default void registerHidden(Node node) {
        throw new NotAllowedException("registrar " + info() + " cannot run a hidden node");
    }

    Optional<NetworkRoute> resolve(String node);

    /** The nodes this registrar knows now (for the embedded one: the nodes on its host). */
    List<String> nodes();

    /**
     * Where application {@code name} is loaded or runs, across the cluster; empty when the registrar does not
     * know applications (the embedded one).
     */
    default List<ApplicationRoute> resolveApplication(String name) {
        return List.of();
    }

    /**
     * The values of configuration {@code items} for this node, typed (Long, Double, Boolean or String); items with
     * no value are left out. Empty when the registrar keeps no configuration (the embedded one).
     */
    default Map<String, Object> config(String... items) {
        return Map.of();
    }

    /** The event that carries {@link RegistrarEvent}s, when the registrar has one (not the embedded one). */
    default Optional<Event> event() {
        return Optional.empty();
    }

    /** One line for logs and the Observer, such as {@code "embedded, serving on localhost:4499"}. */
    /**
     * The applications the registrar knows of in the cluster (those with at least one route). Empty for registrars
     * without application discovery (the embedded one).
     */
    default List<String> applications() {
        return List.of();
    }

    /**
     * Publishes small facts about this node next to its route (for example its HTTP address, so a discovery client
     * can send HTTP traffic to it); replaces what was published before. Ignored by registrars that cannot.
     */
    default void setNodeMetadata(Map<String, String> metadata) {}

    /** What {@code node} published with {@link #setNodeMetadata}; empty when nothing or not supported. */
    default Map<String, String> nodeMetadata(String node) {
        return Map.of();
    }

    /** Every configuration item that applies to this node, with its effective typed value. */
    default Map<String, Object> configAll() {
        return Map.of();
    }

    /**
     * Whether the registrar reaches its service now (its server, or etcd): a health check reads it. A node whose
     * registrar is not connected still talks to the nodes it knows.
     */
    default boolean connected() {
        return true;
    }

    String info();

    /** Unregisters the node and lets go of every connection; called when the node's network stops. */
    void terminate();
}
