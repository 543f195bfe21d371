package services.ergo.saturn.protocol;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the cluster knows of one registered node: its acceptor, its metadata and its applications. A change to
 * any of them replaces the whole entry (one {@link Change.Set}), so a client compares the entry it held with
 * the new one to tell what changed; entries are small (a route, a few applications, a few pairs).
 *
 * <pre>{@code
 * NodeEntry e = new NodeEntry("worker1@host1", "10.0.0.7", 15000, Map.of("http", "10.0.0.7:8080"),
 *         List.of(new AppEntry("worker", 100, 1, 1))); // transient, running
 * }</pre>
 */
public record NodeEntry(String name, String host, int port, Map<String, String> metadata, List<AppEntry> apps) {
    public NodeEntry {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a node entry needs a name");
        }
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("node " + name + " needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("node " + name + ": port must be 1..65535, got " + port);
        }
        metadata = Map.copyOf(new TreeMap<>(metadata));
        apps = List.copyOf(apps);
    }
}
