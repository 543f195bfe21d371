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
}
