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
 * Registrar registrar = node.network().registrar();
 * if (registrar.info().supportsApplications()) {
 *     List<ApplicationRoute> workers = registrar.resolver().resolveApplication("worker");
 * }
 * }</pre>
 *
 * <p>Registering and resolving nodes is every registrar's; the rest (applications, configuration, events, hidden
 * nodes, node metadata) only some registrars can do, and {@link #info()} says which. A registrar without a
 * capability still answers: an empty result, or it ignores the call, as each method says, so code written for the
 * etcd registrar runs on the embedded one and sees an empty cluster view.
 */
public interface Registrar extends Resolver {

    /**
     * Registers {@code node}, reachable at {@code route}; called once, when the node's network starts. A registrar
     * that publishes applications or events does so through the node (its application listeners, its events).
     * Every registrar can.
     *
     * @throws NameTakenException when another live node already has the name
     * @throws ErgoException when the registrar cannot be reached or served
     */
    void register(Node node, NetworkRoute route);

    /**
     * Registers {@code node} as {@link #register(Node, NetworkRoute)} does, with the key that proves the name is
     * its own (derived from the cluster's cookie, {@link NameKey#derive}): the network calls this one. A registrar
     * that keeps names from being taken over by other processes (the embedded one) checks it; the others ignore it,
     * as this default does.
     *
     * <pre>{@code
     * registrar.register(node, new NetworkRoute("host1", 11144), NameKey.derive(cookie, node.name()));
     * }</pre>
     *
     * @throws NameTakenException when another live node already has the name, or it is kept for one that proved
     *     another key
     */
    default void register(Node node, NetworkRoute route, NameKey key) {
        register(node, route);
    }

    /**
     * Joins as a hidden node, instead of {@link #register}: this node resolves and dials the others and sees the
     * cluster (nodes, applications, configuration, events) but is not registered itself, so no one lists or resolves
     * it; a tool such as the standalone Observer runs so.
     *
     * @throws NotAllowedException when this registrar cannot ({@link RegistrarInfo#supportsHiddenNodes()} false)
     */
    default void registerHidden(Node node) {
        throw new NotAllowedException("registrar " + info().description() + " cannot run a hidden node");
    }

    /**
     * Where nodes and applications are: this registrar itself, which resolves as its {@link Resolver} half (so
     * {@code registrar.resolve(node)} and {@code registrar.resolver().resolve(node)} are the same). Every
     * registrar has one; {@link Resolver#resolveApplication} is empty without {@link
     * RegistrarInfo#supportsApplications()}.
     */
    default Resolver resolver() {
        return this;
    }

    /**
     * The nodes this registrar knows now (for the embedded one: the nodes on its host). Every registrar lists
     * nodes; a hidden node is never among them.
     */
    List<String> nodes();

    /**
     * The applications the registrar knows of in the cluster (those with at least one route). Always empty for a
     * registrar without application discovery ({@link RegistrarInfo#supportsApplications()} false: the embedded
     * one).
     */
    default List<String> applications() {
        return List.of();
    }

    /**
     * The values of configuration {@code items} for this node, typed (Long, Double, Boolean or String); items with
     * no value are left out. Always empty for a registrar that keeps no configuration ({@link
     * RegistrarInfo#supportsConfiguration()} false: the embedded one).
     */
    default Map<String, Object> config(String... items) {
        return Map.of();
    }

    /**
     * Every configuration item that applies to this node, with its effective typed value. Always empty for a
     * registrar that keeps no configuration ({@link RegistrarInfo#supportsConfiguration()} false: the embedded
     * one).
     */
    default Map<String, Object> configAll() {
        return Map.of();
    }

    /**
     * The event that carries {@link RegistrarEvent}s, once the node registered. Always empty for a registrar
     * without events ({@link RegistrarInfo#supportsEvents()} false: the embedded one).
     */
    default Optional<Event> event() {
        return Optional.empty();
    }

    /**
     * Publishes small facts about this node next to its route (for example its HTTP address, so a discovery client
     * can send HTTP traffic to it); replaces what was published before. Ignored by a registrar that cannot ({@link
     * RegistrarInfo#supportsNodeMetadata()} false: the embedded one), and by a hidden node, which publishes nothing.
     */
    default void setNodeMetadata(Map<String, String> metadata) {}

    /**
     * What {@code node} published with {@link #setNodeMetadata}; empty when it published nothing, and always empty
     * for a registrar without node metadata ({@link RegistrarInfo#supportsNodeMetadata()} false: the embedded one).
     */
    default Map<String, String> nodeMetadata(String node) {
        return Map.of();
    }

    /**
     * Whether the registrar reaches its service now (its server, or etcd): a health check reads it. A node whose
     * registrar is not connected still talks to the nodes it knows. True by default, for a registrar with no service
     * to lose.
     */
    default boolean connected() {
        return true;
    }

    /**
     * What this registrar is connected to and how far behind its service it is, as names and plain values (strings,
     * numbers, booleans), for the Observer's network panel and the registrar health. Each registrar chooses its
     * keys; the Saturn one gives {@code server}, {@code connected}, {@code revision}, {@code lagRevisions} and
     * {@code lagMillis}. Empty by default, for a registrar with nothing to tell. Answers at once, without asking the
     * network.
     *
     * <pre>{@code
     * Object lag = node.network().registrar().status().getOrDefault("lagRevisions", 0L);
     * }</pre>
     */
    default Map<String, Object> status() {
        return Map.of();
    }

    /**
     * What this registrar is and can do: a one-line {@link RegistrarInfo#description() description} for logs and
     * the Observer, such as {@code "embedded, serving on localhost:4499"}, and its capability flags. Every registrar
     * answers at once, without asking the network (a health check reads it).
     */
    RegistrarInfo info();

    /** Unregisters the node and lets go of every connection; called when the node's network stops. */
    void terminate();
}
