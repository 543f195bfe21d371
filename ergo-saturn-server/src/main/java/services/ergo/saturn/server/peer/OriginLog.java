package services.ergo.saturn.server.peer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import services.ergo.saturn.protocol.PeerRecord;

/**
 * One origin's log for one cluster, as held on every server: the latest record per key, indexed by seq. It is
 * state-based, with no ring: "what changed after seq s" is every record above s, valid while s is at least the
 * {@link #floor()}, which garbage collection of tombstones moves up.
 *
 * <pre>{@code
 * OriginLog own = new OriginLog(epoch, System::currentTimeMillis);
 * PeerRecord.Node written = (PeerRecord.Node) own.append(record); // seq assigned
 * List<PeerRecord> delta = peerLog.after(cursor); // null: behind the floor, send the whole table
 * }</pre>
 *
 * <p>Not thread-safe: callers hold the cluster's lock, as for the rest of a cluster's state.
 */
public final class OriginLog {
    /** What a record is a version of: a node's incarnation, or a configuration item. */
    public sealed interface Key {
        /** A node incarnation; {@code incarnation} in lower-case hex, so the key has value equality. */
        record Node(String name, String incarnation) implements Key {}

        record Config(String scope, String item) implements Key {}
    }

    private final long origin;
    private final LongSupplier clockMillis;
    private final Map<Key, PeerRecord> table = new HashMap<>();
    private final TreeMap<Long, Key> bySeq = new TreeMap<>();
    /** When each tombstone in the table arrived here, by local clock: retention counts from what we saw. */
    private final Map<Key, Long> tombstoneSince = new LinkedHashMap<>();

    private long seq;
    private long floor;
    private long hash;

    /**
     * @param origin the origin's id (its server's epoch for the cluster)
     * @param clockMillis the local clock tombstone retention is measured with
     */
    public OriginLog(long origin, LongSupplier clockMillis) {
        this.origin = origin;
        this.clockMillis = clockMillis;
    }

    public long origin() {
        return origin;
    }

    /** The highest seq applied. */
    public long seq() {
        return seq;
    }

    /** The highest seq of a tombstone dropped by garbage collection; 0 before any. */
    public long floor() {
        return floor;
    }

    /** The XOR of {@code h(key, seq)} over the table: equal on two servers holding the same table. */
    public long hash() {
        return hash;
    }

    public int size() {
        return table.size();
    }

    public @Nullable PeerRecord get(Key key) {
        return table.get(key);
    }

    /** The whole table, for a peer behind the floor; unmodifiable, in no order. */
    public Collection<PeerRecord> records() {
        return Collections.unmodifiableCollection(table.values());
    }

    /**
     * Writes {@code record} as this server's own, at the next seq (the seq it carries is ignored).
     *
     * @return the record as stored, with its seq
     */
    public PeerRecord append(PeerRecord record) {
        PeerRecord stored = withSeq(record, seq + 1);
        put(keyOf(stored), stored);
        return stored;
    }

    /**
     * Applies a record of this origin received from a peer.
     *
     * @return false when it is not newer than the record held for its key, or is a tombstone at or below the
     *     floor (one already dropped here, which must not come back)
     */
    public boolean apply(PeerRecord record) {
        Key key = keyOf(record);
        PeerRecord held = table.get(key);
        if (held != null && held.seq() >= record.seq()) {
            return false;
        }
        if (isTombstone(record) && record.seq() <= floor) {
            return false;
        }
        put(key, record);
        return true;
    }

    /**
     * The records with seq above {@code s}, in seq order, or null when {@code s} is below the floor: then some
     * dropped tombstone is missing from the answer and the caller needs the whole table.
     */
    public @Nullable List<PeerRecord> after(long s) {
        if (s < floor) {
            return null;
        }
        List<PeerRecord> out = new ArrayList<>();
        for (Key key : bySeq.tailMap(s, false).values()) {
            out.add(table.get(key));
        }
        return out;
    }

    /**
     * Drops the tombstones that arrived more than {@code retention} before {@code nowMillis}, moving the floor up
     * to the highest seq dropped.
     *
     * @return how many were dropped
     */
    public int dropTombstones(long nowMillis, Duration retention) {
        long cutoff = nowMillis - retention.toMillis();
        int dropped = 0;
        for (Iterator<Map.Entry<Key, Long>> it = tombstoneSince.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Long> e = it.next();
            if (e.getValue() > cutoff) {
                continue;
            }
            it.remove();
            PeerRecord r = table.remove(e.getKey());
            bySeq.remove(r.seq());
            hash ^= h(e.getKey(), r.seq());
            floor = Math.max(floor, r.seq());
            dropped++;
        }
        return dropped;
    }

    /** How many tombstones the table holds. */
    public int tombstones() {
        return tombstoneSince.size();
    }

    private void put(Key key, PeerRecord record) {
        PeerRecord old = table.put(key, record);
        if (old != null) {
            bySeq.remove(old.seq());
            hash ^= h(key, old.seq());
        }
        tombstoneSince.remove(key);
        bySeq.put(record.seq(), key);
        hash ^= h(key, record.seq());
        if (isTombstone(record)) {
            tombstoneSince.put(key, clockMillis.getAsLong());
        }
        seq = Math.max(seq, record.seq());
    }

    /** The key of {@code record}. */
    public static Key keyOf(PeerRecord record) {
        if (record instanceof PeerRecord.Node n) {
            return new Key.Node(n.name(), hex(n.incarnation()));
        }
        PeerRecord.Config c = (PeerRecord.Config) record;
        return new Key.Config(c.scope(), c.item());
    }

    static boolean isTombstone(PeerRecord record) {
        if (record instanceof PeerRecord.Node n) {
            return n.dead();
        }
        return ((PeerRecord.Config) record).value() == null;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The digest term of one key at one seq. It must be the same on every server and JVM, so it is FNV-1a over
     * the key's UTF-8 bytes (not {@code hashCode}, whose spread is poor) with a SplitMix64 finish over the seq.
     */
    static long h(Key key, long seq) {
        long x = 0xcbf29ce484222325L;
        if (key instanceof Key.Node n) {
            x = fnv(x, 'N');
            x = fnv(x, n.name());
            x = fnv(x, n.incarnation());
        } else {
            Key.Config c = (Key.Config) key;
            x = fnv(x, 'C');
            x = fnv(x, c.scope());
            x = fnv(x, c.item());
        }
        return mix(x ^ mix(seq));
    }

    private static long fnv(long x, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            x = fnv(x, b);
        }
        // A separator, so ("ab","c") and ("a","bc") differ.
        return fnv(x, 0xff);
    }

    private static long fnv(long x, int b) {
        return (x ^ (b & 0xff)) * 0x100000001b3L;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static PeerRecord withSeq(PeerRecord r, long seq) {
        if (r instanceof PeerRecord.Node n) {
            return new PeerRecord.Node(seq, n.name(), n.incarnation(), n.born(), n.claim(), n.dead(), n.entry());
        }
        PeerRecord.Config c = (PeerRecord.Config) r;
        return new PeerRecord.Config(seq, c.scope(), c.item(), c.value(), c.stamp());
    }
}
