package services.ergo;

import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.net.NetworkService;
import services.ergo.node.LocalNode;

/**
 * Starts nodes.
 *
 * <pre>{@code
 * Node node = Ergo.startNode("worker1@localhost", NodeOptions.defaults());
 * }</pre>
 */
public final class Ergo {
    private Ergo() {}

    /**
     * Starts a node named {@code name@host}.
     *
     * @throws IllegalArgumentException when the name is not of the form {@code name@host}
     */
    public static Node startNode(String name, NodeOptions options) {
        NodeOptions o = options == null ? NodeOptions.defaults() : options;
        return LocalNode.start(name, o, o.network().enabled() ? NetworkService::start : null);
    }
}
