package services.ergo.gen;

/**
 * What a registrar is and what it can do, from {@link Registrar#info()}: a one-line description for logs, health
 * checks and the Observer, and a flag per capability, so a caller asks whether a registrar knows applications (or
 * configuration, events…) instead of reading meaning into an empty answer. A registrar without a capability still
 * answers the calls that need it, emptily or by ignoring them, as {@link Registrar} documents per method.
 *
 * <pre>{@code
 * Registrar registrar = node.network().registrar();
 * if (registrar.info().supportsApplications()) {
 *     ApplicationRoutes.selectNode(registrar.resolver().resolveApplication("worker"));
 * }
 * }</pre>
 *
 * <p>The flags describe the kind of registrar and do not change while it runs; the description may (the embedded
 * registrar says whether it serves its host or is registered with the node that does). {@link #toString()} is the
 * description, so {@code "registrar: " + registrar.info()} reads as a plain line.
 *
 * @param description one line such as {@code "embedded, serving on localhost:4499"} or
 *     {@code "etcd http://etcd:2379, cluster production"}
 * @param supportsApplications whether it publishes and resolves application routes ({@link
 *     Resolver#resolveApplication}, {@link Registrar#applications()})
 * @param supportsEvents whether it has an event of {@link RegistrarEvent}s ({@link Registrar#event()}, present
 *     once the node registered)
 * @param supportsConfiguration whether it keeps cluster configuration ({@link Registrar#config}, {@link
 *     Registrar#configAll()})
 * @param supportsHiddenNodes whether a node can join through it hidden ({@link Registrar#registerHidden})
 * @param supportsNodeMetadata whether nodes can publish metadata next to their routes ({@link
 *     Registrar#setNodeMetadata}, {@link Registrar#nodeMetadata})
 */
public record RegistrarInfo(
        String description,
        boolean supportsApplications,
        boolean supportsEvents,
        boolean supportsConfiguration,
        boolean supportsHiddenNodes,
        boolean supportsNodeMetadata) {

    public RegistrarInfo {
        if (description == null) {
            throw new IllegalArgumentException("a registrar info needs a description");
        }
    }

    /** A registrar that registers and resolves nodes and can do nothing else. */
    public static RegistrarInfo nodesOnly(String description) {
        return new RegistrarInfo(description, false, false, false, false, false);
    }

    /** The description. */
    @Override
    public String toString() {
        return description;
    }
}
