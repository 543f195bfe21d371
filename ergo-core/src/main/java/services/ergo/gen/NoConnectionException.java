package services.ergo.gen;

/** The remote node is not reachable. */
public final class NoConnectionException extends ErgoException {
    public NoConnectionException(String node) {
        super("no connection to node " + node, false);
    }

    public NoConnectionException(String node, String why) {
        super("no connection to node " + node + ": " + why, false);
    }
}
