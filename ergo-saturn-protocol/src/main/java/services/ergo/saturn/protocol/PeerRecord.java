package services.ergo.saturn.protocol;

import org.jspecify.annotations.Nullable;

/**
 * One version of one key in one origin's log, as Saturn servers replicate it to each other (issue #20): a node's
 * ownership ({@link Node}) or a configuration item set at runtime ({@link Config}). {@code seq} is the origin's
 * sequence number, from 1, dense per origin; a record superseded in the same log may be skipped when streamed.
 *
 * <pre>{@code
 * PeerRecord alive = new PeerRecord.Node(12, "worker@h", incarnation, born, claim, false, entry);
 * PeerRecord over = new PeerRecord.Node(13, "worker@h", incarnation, born, claim, true, null); // claim ends
 * }</pre>
 */
public sealed interface PeerRecord {
    long seq();

    /**
     * The node {@code name} of the registrar's {@code incarnation}, under {@code claim} (a new one each time the
     * incarnation registers on another server), first registered anywhere at {@code born}. A {@code dead} record
     * is a tombstone of that claim and has no entry; a live one has the node's entry.
     */
    record Node(
            long seq,
            String name,
            byte[] incarnation,
            Stamp born,
            Stamp claim,
            boolean dead,
            @Nullable NodeEntry entry) implements PeerRecord {
        public Node {
            checkSeq(seq);
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a node record needs a name");
            }
            if (incarnation == null || incarnation.length != Codec.INCARNATION_BYTES) {
                throw new IllegalArgumentException(
                        "node record " + name + ": incarnation must be " + Codec.INCARNATION_BYTES + " bytes");
            }
            if (born == null || claim == null) {
                throw new IllegalArgumentException("node record " + name + " needs a born and a claim stamp");
            }
            if (dead != (entry == null)) {
                throw new IllegalArgumentException("node record " + name
                        + (dead ? ": a tombstone carries no entry" : ": a live record needs an entry"));
            }
            if (entry != null && !entry.name().equals(name)) {
                throw new IllegalArgumentException("node record " + name + " carries the entry of " + entry.name());
            }
        }
    }

    /**
     * A configuration item at {@code scope} (see {@link ConfigEntry}) set to {@code value}, or removed when it is
     * null, at {@code stamp}: the latest stamp wins per scope and item.
     */
    record Config(
            long seq, String scope, String item, @Nullable String value, Stamp stamp) implements PeerRecord {
        public Config {
            checkSeq(seq);
            if (scope == null || item == null || item.isEmpty() || stamp == null) {
                throw new IllegalArgumentException("a config record needs a scope, an item and a stamp");
            }
        }
    }

    private static void checkSeq(long seq) {
        if (seq < 1) {
            throw new IllegalArgumentException("a record's seq must be >= 1, got " + seq);
        }
    }
}
