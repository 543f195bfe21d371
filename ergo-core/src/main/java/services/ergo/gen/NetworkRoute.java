package services.ergo.gen;

/** Where a node's acceptor listens. */
public record NetworkRoute(String host, int port) {
    public NetworkRoute {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a route needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("route port must be 1..65535, got " + port);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
