package services.ergo.gen;

/** The node is stopping or stopped. */
public final class NodeStoppedException extends ErgoException {
    public NodeStoppedException(String node) {
        super("node " + node + " is stopped", false);
    }
}
