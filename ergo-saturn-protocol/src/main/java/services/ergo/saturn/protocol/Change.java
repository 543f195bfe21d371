package services.ergo.saturn.protocol;

/**
 * One change of a cluster, at its revision: a node's entry set (joined or changed), or a node gone.
 *
 * <pre>{@code
 * Change c = new Change.Remove(42, "worker1@host1");
 * }</pre>
 */
public sealed interface Change {
    long revision();

    String name();

    record Set(long revision, NodeEntry entry) implements Change {
        @Override
        public String name() {
            return entry.name();
        }
    }

    record Remove(long revision, String name) implements Change {}

    /**
     * A configuration item set ({@code value} non-null) or removed at {@code scope} (see {@link ConfigEntry});
     * {@link #name()} is {@code scope/item}.
     */
    record Config(
            long revision,
            String scope,
            String item,
            @org.jspecify.annotations.Nullable String value) implements Change {
        @Override
        public String name() {
            return scope + "/" + item;
        }
    }
}
