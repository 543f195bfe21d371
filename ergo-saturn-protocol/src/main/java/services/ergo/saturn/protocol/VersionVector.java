package services.ergo.saturn.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How far a view reaches into each origin's log: origin (a server run's epoch for a cluster) to the highest
 * sequence number applied. An origin that is absent counts as 0, so the vector never holds a 0 and two vectors
 * that mean the same are equal. Immutable; {@link #merge} and {@link #with} return new vectors.
 *
 * <pre>{@code
 * VersionVector held = VersionVector.EMPTY.with(epochA, 12).with(epochB, 3);
 * boolean enough = held.covers(server.vector()); // every origin at least as far
 * VersionVector both = held.merge(other);        // the maximum per origin
 * }</pre>
 *
 * @param seqs origin (positive) to sequence (non-negative; zeros are dropped), in origin order
 */
public record VersionVector(Map<Long, Long> seqs) {
    /**
     * The most origins a decoded vector may name. A vector holds one origin per server run within the tombstone
     * retention, a handful in practice; the bound keeps a hostile one from costing a server a loop per origin.
     */
    public static final int MAX_ORIGINS = 4096;

    public static final VersionVector EMPTY = new VersionVector(Map.of());

    public VersionVector {
        TreeMap<Long, Long> copy = new TreeMap<>();
        seqs.forEach((origin, seq) -> {
            if (origin == null || origin <= 0) {
                throw new IllegalArgumentException("a vector's origin must be > 0, got " + origin);
            }
            if (seq == null || seq < 0) {
                throw new IllegalArgumentException("origin " + origin + ": seq must be >= 0, got " + seq);
            }
            if (seq > 0) {
                copy.put(origin, seq);
            }
        });
        seqs = Collections.unmodifiableSortedMap(copy);
    }

    /** The sequence held of {@code origin}, 0 when none. */
    public long get(long origin) {
        Long seq = seqs.get(origin);
        return seq == null ? 0 : seq;
    }

    /** This vector with {@code origin} at {@code seq} (replacing, not merging: it may go down). */
    public VersionVector with(long origin, long seq) {
        TreeMap<Long, Long> copy = new TreeMap<>(seqs);
        copy.put(origin, seq);
        return new VersionVector(copy);
    }

    /** The maximum of both per origin. */
    public VersionVector merge(VersionVector other) {
        TreeMap<Long, Long> copy = new TreeMap<>(seqs);
        other.seqs.forEach((origin, seq) -> copy.merge(origin, seq, Math::max));
        return new VersionVector(copy);
    }

    /** Whether this vector is at least {@code other} on every origin. */
    public boolean covers(VersionVector other) {
        for (Map.Entry<Long, Long> e : other.seqs.entrySet()) {
            if (get(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The origins held, in order. */
    public SortedMap<Long, Long> asMap() {
        return (SortedMap<Long, Long>) seqs;
    }

    public int size() {
        return seqs.size();
    }
}
