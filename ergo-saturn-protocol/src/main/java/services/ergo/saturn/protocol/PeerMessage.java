package services.ergo.saturn.protocol;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The messages Saturn servers exchange on their peer port (issue #20; no server speaks them yet), one per frame.
 * A link goes: the dialer's {@link PeerHello}, the acceptor's {@link PeerChallenge} (with its proof of the peer
 * secret: the acceptor proves first), the dialer's {@link PeerProof}; then both sides send {@link Digest}s (also
 * the heartbeat), stream their origins' logs in {@link Records} and acknowledge them with {@link Ack}s, ask for
 * what they miss with {@link Pull} and get it as {@link Records} or, below the sender's floor, {@link TablePage}s.
 * A clean stop is a {@link Goodbye}; a failed handshake gets a {@link PeerRefused}. See {@link PeerCodec} for the
 * bytes and {@link Proofs#peer} for the proofs.
 *
 * <pre>{@code
 * if (message instanceof PeerMessage.Records r && r.fromSeq() == log.seq()) {
 *     r.records().forEach(log::apply); // then log.seq() is r.toSeq()
 * }
 * }</pre>
 */
public sealed interface PeerMessage {

    /** The dialer's first frame: the highest version it speaks, its features, its server id and a fresh nonce. */
    record PeerHello(int version, List<String> features, String serverId, byte[] nonce) implements PeerMessage {
        public PeerHello {
            Stamp.checkServerId(serverId);
            features = List.copyOf(features);
        }
    }

    /** The acceptor's answer: the version and features both speak, its id and nonce, and its proof. */
    record PeerChallenge(int version, List<String> features, String serverId, byte[] nonce, byte[] proof)
            implements PeerMessage {
        public PeerChallenge {
            Stamp.checkServerId(serverId);
            features = List.copyOf(features);
        }
    }

    /** The dialer's proof; the link is up once it verifies. */
    record PeerProof(byte[] proof) implements PeerMessage {}

    /** How an origin's log stands on the server that sends a digest; the codes are the wire's, fixed forever. */
    enum OriginState {
        LIVE(0),
        SUSPECT(1),
        DEAD(2),
        RETIRED(3);

        public final int code;

        OriginState(int code) {
            this.code = code;
        }

        /** The state of {@code code}, or null when it names none. */
        public static @Nullable OriginState of(int code) {
            for (OriginState s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            return null;
        }
    }

    /**
     * One origin's log as the digest's sender holds it: written by {@code serverId}, applied up to {@code seq},
     * tombstones dropped up to {@code floor}, {@code hash} over its table, last heard of {@code heardAgoMillis}
     * ago (0 for the sender's own).
     */
    record OriginDigest(
            long origin, String serverId, long seq, long floor, long hash, OriginState state, long heardAgoMillis) {
        public OriginDigest {
            checkOrigin(origin);
            Stamp.checkServerId(serverId);
            if (floor < 0 || seq < floor) {
                throw new IllegalArgumentException(
                        "origin " + origin + ": floor " + floor + " and seq " + seq + " need 0 <= floor <= seq");
            }
            if (state == null) {
                throw new IllegalArgumentException("origin " + origin + " needs a state");
            }
            if (heardAgoMillis < 0) {
                throw new IllegalArgumentException("origin " + origin + ": heard-ago must be >= 0");
            }
        }
    }

    /** A cluster's origins in a digest, and the origins retired lately (a client's vector may still name them). */
    record ClusterDigest(String cluster, List<OriginDigest> origins, List<Long> retired) {
        public ClusterDigest {
            origins = List.copyOf(origins);
            retired = List.copyOf(retired);
            retired.forEach(PeerMessage::checkOrigin);
        }
    }

    /**
     * What the sender holds, at connect and every digest interval (the link's heartbeat too): its clock, the
     * digest of its configuration ({@value PeerCodec#CONFIG_DIGEST_BYTES} bytes), its node and peer TTLs, and
     * every cluster's origins.
     */
    record Digest(long hlc, byte[] configDigest, int ttlMillis, int peerTtlMillis, List<ClusterDigest> clusters)
            implements PeerMessage {
        public Digest {
            if (hlc < 0) {
                throw new IllegalArgumentException("a digest's hlc must be >= 0, got " + hlc);
            }
            if (configDigest == null || configDigest.length != PeerCodec.CONFIG_DIGEST_BYTES) {
                throw new IllegalArgumentException(
                        "a config digest must be " + PeerCodec.CONFIG_DIGEST_BYTES + " bytes");
            }
            clusters = List.copyOf(clusters);
        }
    }

    /**
     * An origin's records with seq in {@code (fromSeq, toSeq]}, in seq order (superseded ones skipped). The
     * receiver applies them only if it holds the origin at exactly {@code fromSeq}, and then holds it at {@code
     * toSeq}; else it pulls.
     */
    record Records(String cluster, long origin, long fromSeq, long toSeq, List<PeerRecord> records)
            implements PeerMessage {
        public Records {
            checkOrigin(origin);
            if (fromSeq < 0 || toSeq < fromSeq) {
                throw new IllegalArgumentException(
                        "records need 0 <= from <= to, got from " + fromSeq + " to " + toSeq);
            }
            records = List.copyOf(records);
            long previous = fromSeq;
            for (PeerRecord r : records) {
                if (r.seq() <= previous || r.seq() > toSeq) {
                    throw new IllegalArgumentException(
                            "record seq " + r.seq() + " is out of order or outside (" + fromSeq + ", " + toSeq + "]");
                }
                previous = r.seq();
            }
        }
    }

    /** The receiver holds the origin up to {@code seq} (cumulative). */
    record Ack(String cluster, long origin, long seq) implements PeerMessage {
        public Ack {
            checkOrigin(origin);
            if (seq < 0) {
                throw new IllegalArgumentException("an ack's seq must be >= 0, got " + seq);
            }
        }
    }

    /** Send the origin's records after {@code fromSeq}; {@value #WHOLE_TABLE}: its whole table. */
    record Pull(String cluster, long origin, long fromSeq) implements PeerMessage {
        public static final long WHOLE_TABLE = -1;

        public Pull {
            checkOrigin(origin);
            if (fromSeq < WHOLE_TABLE) {
                throw new IllegalArgumentException("a pull's from-seq must be >= -1, got " + fromSeq);
            }
        }
    }

    /**
     * A page of a full sync of one origin, its table at {@code atSeq} with tombstones dropped up to {@code floor};
     * the {@code last} page replaces the receiver's table of that origin with the pages since the {@code first}.
     */
    record TablePage(
            String cluster, long origin, long atSeq, long floor, boolean first, boolean last, List<PeerRecord> records)
            implements PeerMessage {
        public TablePage {
            checkOrigin(origin);
            if (floor < 0 || atSeq < floor) {
                throw new IllegalArgumentException(
                        "a table page needs 0 <= floor <= at-seq, got floor " + floor + " at " + atSeq);
            }
            records = List.copyOf(records);
            for (PeerRecord r : records) {
                if (r.seq() > atSeq) {
                    throw new IllegalArgumentException("record seq " + r.seq() + " is after the page's " + atSeq);
                }
            }
        }
    }

    /** A clean stop: the sender's origins are dead at once (their nodes are kept for the TTL). */
    record Goodbye() implements PeerMessage {}

    /** The link is refused, and why. */
    record PeerRefused(int code, String reason) implements PeerMessage {
        public static final int BAD_PROOF = 1;
        public static final int VERSION = 2;
        /** The dialer's id is not a member of this server's {@code saturn.yaml}. */
        public static final int NOT_A_MEMBER = 3;
        /** The pair is linked already (one connection per pair). */
        public static final int ALREADY_LINKED = 4;

        public static final int BAD_REQUEST = 5;
    }

    private static void checkOrigin(long origin) {
        if (origin <= 0) {
            throw new IllegalArgumentException("an origin must be > 0, got " + origin);
        }
    }
}
