package services.ergo.saturn.protocol;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The messages of the Saturn wire, one per frame. A connection goes: the client's {@link Hello} (its version,
 * features, cluster and a nonce), the server's {@link Challenge} (the version both speak, the features both name,
 * its nonce and its proof of the cluster token), the client's {@link Register} (its own proof, and who it is),
 * then {@link Welcome} or {@link Refused}. After a welcome the server streams the view: {@link SnapshotPage}s
 * when the client must (re)load it, {@link Delta}s from then on; the client sends {@link Update}s of its own
 * entry, {@link Ping}s, and a {@link Leave} when it stops. See {@link Codec} for the bytes.
 *
 * <p>With the feature {@code ha} (issue #20; no server negotiates it yet) a client registers with {@link
 * RegisterHa} instead, which also carries the {@link VersionVector} it holds, so that another server of the
 * cluster can resume it: {@link WelcomeHa} says how (deltas, a {@link CatchupPage} run, or a snapshot), and
 * {@link Mark}s keep the client's vector current.
 *
 * <pre>{@code
 * if (message instanceof Message.Delta d) {
 *     d.changes().forEach(view::apply); // each change replaces or removes one node's entry
 * }
 * }</pre>
 */
public sealed interface Message {

    /**
     * The first frame a client sends; {@code version} is the highest it speaks; {@code tokenId} names which of the
     * cluster's tokens it holds ({@code ""}: the cluster's own), so the server can prove that one first.
     */
    record Hello(int version, List<String> features, String cluster, String tokenId, byte[] nonce) implements Message {}

    /** The server's answer: the version and features both speak, and its proof (see {@link Proofs}). */
    record Challenge(int version, List<String> features, byte[] nonce, byte[] proof) implements Message {}

    /**
     * The client proves the token and registers. {@code entry} is null for a hidden node, which sees the cluster
     * and is not in it. {@code incarnation} is the client's random id for this node's life: a node that comes
     * back with the same one takes over its own session instead of meeting "name taken". {@code epoch} and
     * {@code revision} are what the client holds from an earlier connection (0 and -1 when nothing): the server
     * resumes from there with deltas when its history still reaches back, else sends a snapshot.
     */
    record Register(
            byte[] proof,
            byte[] incarnation,
            String name,
            @Nullable NodeEntry entry,
            long epoch,
            long revision) implements Message {}

    /**
     * Registered. {@code snapshot}: pages follow (the client replaces its view with them and diffs); otherwise
     * deltas follow from the revision the client sent. The client pings every {@code heartbeatMillis}; a side that
     * hears nothing for {@code ttlMillis} closes the connection.
     */
    record Welcome(long epoch, long revision, int ttlMillis, int heartbeatMillis, boolean snapshot)
            implements Message {}

    /** Not registered, and why; {@code retryAfterMillis} > 0 asks the client to come back no sooner. */
    record Refused(int code, int retryAfterMillis, String reason) implements Message {
        public static final int BAD_PROOF = 1;
        public static final int NAME_TAKEN = 2;
        public static final int VERSION = 3;
        public static final int BUSY = 4;
        public static final int BAD_REQUEST = 5;
        public static final int NAME_NOT_ALLOWED = 6;
        /**
         * After a partition healed, another node that registered the name earlier keeps it: this one gives it up
         * and stops ({@code ha} sessions only, sent after the welcome).
         */
        public static final int NAME_LOST = 7;
        /**
         * The name is still held by a node of a server that is unreachable or gone; {@code retryAfterMillis} is
         * how long until that hold expires ({@code ha} sessions only; others get {@link #NAME_TAKEN}).
         */
        public static final int NAME_HELD = 8;
    }

    /**
     * A page of the cluster's entries in name order; {@code first} starts a new view (what the client held before
     * is replaced when the {@code last} page came), and deltas from {@code revision} follow the last page. The
     * cluster's configuration comes whole with the first page (empty on the others).
     */
    record SnapshotPage(long revision, boolean first, boolean last, List<NodeEntry> entries, List<ConfigEntry> config)
            implements Message {}

    /** The changes after {@code fromRevision} up to {@code toRevision}, in order. */
    record Delta(long fromRevision, long toRevision, List<Change> changes) implements Message {}

    /** The client's own entry, replaced whole (its applications or metadata changed). */
    record Update(NodeEntry entry) implements Message {}

    /** A heartbeat; each side tells the revision it holds. */
    record Ping(long revision) implements Message {}

    /** The client leaves: its entry goes at once. */
    record Leave() implements Message {}

    /**
     * {@link Register} for a client that speaks {@code ha}: the same fields, plus {@code vector}, the per-origin
     * sequences its view covers (empty when it holds nothing), and {@code lastClaim}, the claim of its last
     * welcome (null when none), so that a server it moves to writes a later claim than any it had.
     *
     * <pre>{@code
     * new Message.RegisterHa(proof, incarnation, name, entry, epoch, revision, vector, lastClaim);
     * }</pre>
     */
    record RegisterHa(
            byte[] proof,
            byte[] incarnation,
            String name,
            @Nullable NodeEntry entry,
            long epoch,
            long revision,
            VersionVector vector,
            @Nullable Stamp lastClaim)
            implements Message {}

    /**
     * {@link Welcome} for an {@code ha} session. {@code mode} says what follows: deltas from the client's revision,
     * {@link CatchupPage}s, or snapshot pages. {@code claim} is this server's claim of the node (null for a hidden
     * node); {@code vector} is what the view at {@code revision} covers; {@code replicationLagMillis} how far the
     * server is behind its peers, as far as it knows (0: level).
     *
     * <pre>{@code
     * if (w.mode() == Message.WelcomeHa.Mode.CATCHUP) { ... } // pages of names touched since the client's vector
     * }</pre>
     */
    record WelcomeHa(
            long epoch,
            long revision,
            int ttlMillis,
            int heartbeatMillis,
            Mode mode,
            String serverId,
            @Nullable Stamp claim,
            VersionVector vector,
            int replicationLagMillis)
            implements Message {
        public WelcomeHa {
            Stamp.checkServerId(serverId);
        }

        /** What follows the welcome; the codes are the wire's, fixed forever. */
        public enum Mode {
            DELTAS(0),
            CATCHUP(1),
            SNAPSHOT(2);

            public final int code;

            Mode(int code) {
                this.code = code;
            }

            /** The mode of {@code code}, or null when it names none. */
            public static @Nullable Mode of(int code) {
                for (Mode m : values()) {
                    if (m.code == code) {
                        return m;
                    }
                }
                return null;
            }
        }
    }

    /**
     * A page of a catch-up: the current entries of the names touched since the client's vector ({@code entries})
     * and those of them now absent ({@code removed}); the client applies each over the view it holds, unlike a
     * snapshot, which replaces it. The whole configuration comes with the {@code first} page; deltas from {@code
     * revision} follow the {@code last}.
     *
     * <pre>{@code
     * page.entries().forEach(view::set);
     * page.removed().forEach(view::remove);
     * }</pre>
     */
    record CatchupPage(
            long revision,
            boolean first,
            boolean last,
            List<NodeEntry> entries,
            List<String> removed,
            List<ConfigEntry> config)
            implements Message {}

    /**
     * The view the session sent reaches {@code revision}, and covers {@code vector}: the client keeps both for a
     * failover. Never sent with a vector the view does not cover.
     *
     * <pre>{@code
     * held = new Held(mark.revision(), mark.vector());
     * }</pre>
     */
    record Mark(long revision, VersionVector vector, int replicationLagMillis) implements Message {}
}
