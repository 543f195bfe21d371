package services.ergo.saturn.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of the peer wire between Saturn servers (issue #20; no server speaks it yet). Frames are {@link
 * Codec}'s: a 32-bit big-endian length, a type byte of this wire's own and the fields, strings, counts and
 * entries encoded as there, every read bounded by {@link Limits}. A short or malformed frame raises {@link
 * SaturnProtocolException}, never a buffer error.
 *
 * <pre>{@code
 * ByteBuf frame = PeerCodec.encode(new PeerMessage.Ack("prod", origin, 42), ByteBufAllocator.DEFAULT, limits);
 * PeerMessage back = PeerCodec.decode(frame.skipBytes(4), limits);
 * pipeline.addLast(new FrameDecoder(limits, true, PeerCodec::decode), linkHandler);
 * }</pre>
 */
public final class PeerCodec {
    /** "SATP": the first four bytes of a PEER_HELLO, so a client (or anything else) on the peer port is told apart. */
    public static final int MAGIC = 0x53415450;
    /** The peer wire version this release speaks. */
    public static final int VERSION = 1;

    public static final int CONFIG_DIGEST_BYTES = 32;

    static final byte HELLO = 1;
    static final byte CHALLENGE = 2;
    static final byte PROOF = 3;
    static final byte DIGEST = 4;
    static final byte RECORDS = 5;
    static final byte ACK = 6;
    static final byte PULL = 7;
    static final byte TABLE_PAGE = 8;
    static final byte GOODBYE = 9;
    static final byte REFUSED = 10;

    private static final byte RECORD_NODE = 1;
    private static final byte RECORD_CONFIG = 2;

    private PeerCodec() {}

    // ------------------------------------------------------------------ encoding

    /** {@code message} as one frame, its length prefix included. */
    public static ByteBuf encode(PeerMessage message, ByteBufAllocator alloc, Limits limits) {
        return Codec.frame(message, alloc, limits, out -> writeBody(message, out));
    }

    private static void writeBody(PeerMessage message, ByteBuf out) {
        if (message instanceof PeerMessage.PeerHello h) {
            out.writeByte(HELLO);
            out.writeInt(MAGIC);
            out.writeByte(h.version());
            Codec.writeStrings(out, h.features());
            Codec.writeString(out, h.serverId());
            Codec.writeFixed(out, h.nonce(), Codec.NONCE_BYTES, "nonce");
        } else if (message instanceof PeerMessage.PeerChallenge c) {
            out.writeByte(CHALLENGE);
            out.writeByte(c.version());
            Codec.writeStrings(out, c.features());
            Codec.writeString(out, c.serverId());
            Codec.writeFixed(out, c.nonce(), Codec.NONCE_BYTES, "nonce");
            Codec.writeFixed(out, c.proof(), Codec.PROOF_BYTES, "proof");
        } else if (message instanceof PeerMessage.PeerProof p) {
            out.writeByte(PROOF);
            Codec.writeFixed(out, p.proof(), Codec.PROOF_BYTES, "proof");
        } else if (message instanceof PeerMessage.Digest d) {
            out.writeByte(DIGEST);
            out.writeLong(d.hlc());
            Codec.writeFixed(out, d.configDigest(), CONFIG_DIGEST_BYTES, "config digest");
            out.writeInt(d.ttlMillis());
            out.writeInt(d.peerTtlMillis());
            out.writeInt(d.clusters().size());
            for (PeerMessage.ClusterDigest c : d.clusters()) {
                Codec.writeString(out, c.cluster());
                out.writeInt(c.origins().size());
                for (PeerMessage.OriginDigest o : c.origins()) {
                    out.writeLong(o.origin());
                    Codec.writeString(out, o.serverId());
                    out.writeLong(o.seq());
                    out.writeLong(o.floor());
                    out.writeLong(o.hash());
                    out.writeByte(o.state().code);
                    out.writeLong(o.heardAgoMillis());
                }
                out.writeInt(c.retired().size());
                c.retired().forEach(out::writeLong);
            }
        } else if (message instanceof PeerMessage.Records r) {
            out.writeByte(RECORDS);
            Codec.writeString(out, r.cluster());
            out.writeLong(r.origin());
            out.writeLong(r.fromSeq());
            out.writeLong(r.toSeq());
            writeRecords(out, r.records());
        } else if (message instanceof PeerMessage.Ack a) {
            out.writeByte(ACK);
            Codec.writeString(out, a.cluster());
            out.writeLong(a.origin());
            out.writeLong(a.seq());
        } else if (message instanceof PeerMessage.Pull p) {
            out.writeByte(PULL);
            Codec.writeString(out, p.cluster());
            out.writeLong(p.origin());
            out.writeLong(p.fromSeq());
        } else if (message instanceof PeerMessage.TablePage t) {
            out.writeByte(TABLE_PAGE);
            Codec.writeString(out, t.cluster());
            out.writeLong(t.origin());
            out.writeLong(t.atSeq());
            out.writeLong(t.floor());
            out.writeBoolean(t.first());
            out.writeBoolean(t.last());
            writeRecords(out, t.records());
        } else if (message instanceof PeerMessage.Goodbye) {
            out.writeByte(GOODBYE);
        } else if (message instanceof PeerMessage.PeerRefused r) {
            out.writeByte(REFUSED);
            out.writeByte(r.code());
            Codec.writeString(out, r.reason());
        }
    }

    private static void writeRecords(ByteBuf out, List<PeerRecord> records) {
        out.writeInt(records.size());
        for (PeerRecord record : records) {
            if (record instanceof PeerRecord.Node n) {
                out.writeByte(RECORD_NODE);
                out.writeLong(n.seq());
                Codec.writeString(out, n.name());
                Codec.writeFixed(out, n.incarnation(), Codec.INCARNATION_BYTES, "incarnation");
                Codec.writeStamp(out, n.born());
                Codec.writeStamp(out, n.claim());
                // a tombstone has no entry and a live record always one: the flag says both
                out.writeBoolean(n.dead());
                if (n.entry() != null) {
                    Codec.writeEntry(out, n.entry());
                }
            } else if (record instanceof PeerRecord.Config c) {
                out.writeByte(RECORD_CONFIG);
                out.writeLong(c.seq());
                Codec.writeString(out, c.scope());
                Codec.writeString(out, c.item());
                out.writeBoolean(c.value() != null);
                if (c.value() != null) {
                    Codec.writeString(out, c.value());
                }
                Codec.writeStamp(out, c.stamp());
            }
        }
    }

    // ------------------------------------------------------------------ decoding

    /**
     * The message in {@code body} (a frame without its length prefix), all of it read: bytes left over are an
     * error too.
     *
     * @throws SaturnProtocolException when the bytes are not a valid peer message within {@code limits}
     */
    public static PeerMessage decode(ByteBuf body, Limits limits) {
        Codec.Reader in = new Codec.Reader(body, limits);
        byte type = in.readByte("peer message type");
        PeerMessage m = switch (type) {
            case HELLO -> {
                if (in.readInt("magic") != MAGIC) {
                    throw new SaturnProtocolException("not a Saturn peer (bad magic)");
                }
                int version = in.readByte("version") & 0xff;
                List<String> features = in.readStrings("features");
                String serverId = in.readString("server id");
                byte[] nonce = in.readFixed(Codec.NONCE_BYTES, "nonce");
                yield Codec.Reader.valid(() -> new PeerMessage.PeerHello(version, features, serverId, nonce));
            }
            case CHALLENGE -> {
                int version = in.readByte("version") & 0xff;
                List<String> features = in.readStrings("features");
                String serverId = in.readString("server id");
                byte[] nonce = in.readFixed(Codec.NONCE_BYTES, "nonce");
                byte[] proof = in.readFixed(Codec.PROOF_BYTES, "proof");
                yield Codec.Reader.valid(
                        () -> new PeerMessage.PeerChallenge(version, features, serverId, nonce, proof));
            }
            case PROOF -> new PeerMessage.PeerProof(in.readFixed(Codec.PROOF_BYTES, "proof"));
            case DIGEST -> readDigest(in);
            case RECORDS -> {
                String cluster = in.readString("cluster");
                long origin = in.readLong("origin");
                long from = in.readLong("from seq");
                long to = in.readLong("to seq");
                List<PeerRecord> records = readRecords(in);
                yield Codec.Reader.valid(() -> new PeerMessage.Records(cluster, origin, from, to, records));
            }
            case ACK -> {
                String cluster = in.readString("cluster");
                long origin = in.readLong("origin");
                long seq = in.readLong("seq");
                yield Codec.Reader.valid(() -> new PeerMessage.Ack(cluster, origin, seq));
            }
            case PULL -> {
                String cluster = in.readString("cluster");
                long origin = in.readLong("origin");
                long from = in.readLong("from seq");
                yield Codec.Reader.valid(() -> new PeerMessage.Pull(cluster, origin, from));
            }
            case TABLE_PAGE -> {
                String cluster = in.readString("cluster");
                long origin = in.readLong("origin");
                long at = in.readLong("at seq");
                long floor = in.readLong("floor");
                boolean first = in.readBoolean("first flag");
                boolean last = in.readBoolean("last flag");
                List<PeerRecord> records = readRecords(in);
                yield Codec.Reader.valid(
                        () -> new PeerMessage.TablePage(cluster, origin, at, floor, first, last, records));
            }
            case GOODBYE -> new PeerMessage.Goodbye();
            case REFUSED -> new PeerMessage.PeerRefused(in.readByte("code") & 0xff, in.readString("reason"));
            default -> throw new SaturnProtocolException("unknown peer message type " + type);
        };
        if (body.isReadable()) {
            throw new SaturnProtocolException(
                    body.readableBytes() + " bytes after a " + m.getClass().getSimpleName());
        }
        return m;
    }

    private static PeerMessage.Digest readDigest(Codec.Reader in) {
        long hlc = in.readLong("hlc");
        byte[] config = in.readFixed(CONFIG_DIGEST_BYTES, "config digest");
        int ttl = in.readInt("ttl");
        int peerTtl = in.readInt("peer ttl");
        int clusters = in.readCount("digest clusters");
        List<PeerMessage.ClusterDigest> out = new ArrayList<>(Math.min(clusters, 64));
        for (int i = 0; i < clusters; i++) {
            String cluster = in.readString("cluster");
            int count = in.readCount("digest origins");
            List<PeerMessage.OriginDigest> origins = new ArrayList<>(Math.min(count, 64));
            for (int j = 0; j < count; j++) {
                long origin = in.readLong("origin");
                String serverId = in.readString("server id");
                long seq = in.readLong("seq");
                long floor = in.readLong("floor");
                long hash = in.readLong("hash");
                int code = in.readByte("origin state") & 0xff;
                PeerMessage.OriginState state = PeerMessage.OriginState.of(code);
                if (state == null) {
                    throw new SaturnProtocolException("unknown origin state " + code);
                }
                long heardAgo = in.readLong("heard ago");
                origins.add(Codec.Reader.valid(
                        () -> new PeerMessage.OriginDigest(origin, serverId, seq, floor, hash, state, heardAgo)));
            }
            int retiredCount = in.readCount("retired origins");
            List<Long> retired = new ArrayList<>(Math.min(retiredCount, 64));
            for (int j = 0; j < retiredCount; j++) {
                retired.add(in.readLong("retired origin"));
            }
            out.add(Codec.Reader.valid(() -> new PeerMessage.ClusterDigest(cluster, origins, retired)));
        }
        return Codec.Reader.valid(() -> new PeerMessage.Digest(hlc, config, ttl, peerTtl, out));
    }

    private static List<PeerRecord> readRecords(Codec.Reader in) {
        int count = in.readCount("records");
        List<PeerRecord> records = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            byte kind = in.readByte("record kind");
            long seq = in.readLong("record seq");
            records.add(
                    switch (kind) {
                        case RECORD_NODE -> {
                            String name = in.readString("node name");
                            byte[] incarnation = in.readFixed(Codec.INCARNATION_BYTES, "incarnation");
                            Stamp born = in.readStamp("born");
                            Stamp claim = in.readStamp("claim");
                            boolean dead = in.readBoolean("dead flag");
                            NodeEntry entry = dead ? null : in.readEntry();
                            yield Codec.Reader.valid(
                                    () -> new PeerRecord.Node(seq, name, incarnation, born, claim, dead, entry));
                        }
                        case RECORD_CONFIG -> {
                            String scope = in.readString("config scope");
                            String item = in.readString("config item");
                            String value = in.readBoolean("config value flag") ? in.readString("config value") : null;
                            Stamp stamp = in.readStamp("config stamp");
                            yield Codec.Reader.valid(() -> new PeerRecord.Config(seq, scope, item, value, stamp));
                        }
                        default -> throw new SaturnProtocolException("unknown record kind " + kind);
                    });
        }
        return records;
    }

    /** For tests and tools: a whole frame (prefix included) back to its message. */
    public static PeerMessage decodeFrame(ByteBuf frame, Limits limits) {
        if (frame.readableBytes() < 4) {
            throw new SaturnProtocolException("a frame of " + frame.readableBytes() + " bytes has no length");
        }
        int length = frame.readInt();
        if (length != frame.readableBytes()) {
            throw new SaturnProtocolException("frame length " + length + " but " + frame.readableBytes() + " bytes");
        }
        return decode(frame, limits);
    }
}
