package services.ergo.saturn.server.peer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import services.ergo.saturn.protocol.PeerRecord;
import services.ergo.saturn.protocol.Stamp;

/**
 * Which record of a name clients see, as a pure function of the set of its records from every origin. The
 * function is a join: the order of the records, duplicates, and the path a record took do not change the result,
 * so every server holding the same records shows the same entry.
 *
 * <pre>{@code
 * PeerRecord.Node winner = NameResolver.resolve(recordsOfName); // null: the name is absent
 * }</pre>
 *
 * <p>Per incarnation the claim is the maximal claim and born the minimal born; the incarnation is dead when a
 * tombstone carries that claim, so a tombstone kills only the claim it names and a late release by an old owner
 * never removes a node that has moved on. Among the live incarnations the one born first wins, ties broken on the
 * born stamp's server and then the incarnation's bytes, unsigned.
 */
public final class NameResolver {
    private NameResolver() {}

    /**
     * The visible record of one name, or null when no incarnation of it is alive.
     *
     * @param records every record of one name, from any origins, in any order, duplicates allowed
     * @return the live record of the winning incarnation's maximal claim, the latest by seq; its {@code born} is
     *     as that record wrote it (the incarnation's resolved born, used for the order, is the minimum over all
     *     its records)
     */
    public static PeerRecord.@Nullable Node resolve(Iterable<PeerRecord.Node> records) {
        Map<String, Incarnation> byIncarnation = new HashMap<>();
        String name = null;
        for (PeerRecord.Node r : records) {
            if (name == null) {
                name = r.name();
            } else if (!name.equals(r.name())) {
                throw new IllegalArgumentException("records of two names: " + name + " and " + r.name());
            }
            byIncarnation
                    .computeIfAbsent(OriginLog.hex(r.incarnation()), k -> new Incarnation(r.incarnation()))
                    .add(r);
        }
        Incarnation best = null;
        for (Incarnation i : byIncarnation.values()) {
            if (i.alive() && (best == null || i.bornBefore(best))) {
                best = i;
            }
        }
        return best == null ? null : best.live;
    }

    private static final class Incarnation {
        final byte[] incarnation;

        @Nullable
        Stamp born;

        @Nullable
        Stamp claim;

        boolean dead;
        PeerRecord.@Nullable Node live;

        Incarnation(byte[] incarnation) {
            this.incarnation = incarnation;
        }

        void add(PeerRecord.Node r) {
            if (born == null || r.born().compareTo(born) < 0) {
                born = r.born();
            }
            int c = claim == null ? 1 : r.claim().compareTo(claim);
            if (c > 0) {
                claim = r.claim();
                dead = false;
                live = null;
            }
            if (c >= 0) {
                if (r.dead()) {
                    dead = true;
                } else if (live == null || laterThan(r, live)) {
                    live = r;
                }
            }
        }

        boolean alive() {
            return !dead && live != null;
        }

        boolean bornBefore(Incarnation o) {
            int c = born.compareTo(o.born);
            return c != 0 ? c < 0 : Arrays.compareUnsigned(incarnation, o.incarnation) < 0;
        }

        /**
         * Only a claim's owner writes its live records, in its own dense sequence, so two with one seq are
         * duplicates; the content order only keeps the result independent of input order if a buggy peer sends
         * two different ones.
         */
        private static boolean laterThan(PeerRecord.Node a, PeerRecord.Node b) {
            if (a.seq() != b.seq()) {
                return a.seq() > b.seq();
            }
            return String.valueOf(a.entry()).compareTo(String.valueOf(b.entry())) > 0;
        }
    }
}
