package services.ergo.saturn.protocol;

/**
 * A configuration item of a cluster at one scope: {@code ""} for every cluster of the server, {@code "*"} for
 * every node of the cluster, or a node's name (full, {@code worker1@host1}, or short, {@code worker1}) for that
 * node. A node's value for an item is the most specific one: full name, short name, cluster, then global. The
 * value is typed by its prefix: {@code int:20}, {@code float:1.5}, {@code bool:true}, else a string.
 *
 * <pre>{@code
 * ConfigEntry pool = new ConfigEntry("*", "db.pool_size", "int:20");
 * }</pre>
 */
public record ConfigEntry(String scope, String item, String value) {
    public ConfigEntry {
        if (scope == null || item == null || item.isEmpty() || value == null) {
            throw new IllegalArgumentException("a config entry needs a scope, an item and a value");
        }
    }
}
