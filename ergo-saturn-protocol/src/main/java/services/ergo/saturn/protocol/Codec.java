package services.ergo.saturn.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of the Saturn wire. A frame is a 32-bit big-endian length, then that many bytes: a type byte and the
 * message's fields. Strings are a 16-bit length and UTF-8; lists and maps a 32-bit count; revisions and epochs
 * 64-bit. Every read is bounded ({@link Limits}) and a short or malformed frame raises {@link
 * SaturnProtocolException}, never a buffer error.
 *
 * <pre>{@code
 * ByteBuf frame = Codec.encode(new Message.Ping(42), ByteBufAllocator.DEFAULT, limits);
 * Message back = Codec.decode(frame.skipBytes(4), limits);
 * }</pre>
 *
 * <p>A {@link Message.Delta} is encoded by the server from changes it encoded once ({@link #encodeChange}) and
 * shares between every client: the frame is {@link #deltaHeader} followed by those bytes.
 */
public final class Codec {
    /** "SATN": the first four bytes of a HELLO, so a stray protocol is told apart at once. */
    public static final int MAGIC = 0x5341544E;
    /** The wire version this release speaks. */
    public static final int VERSION = 1;

    public static final int NONCE_BYTES = 32;
    public static final int INCARNATION_BYTES = 16;
    public static final int PROOF_BYTES = 32;

    static final byte HELLO = 1;
    static final byte CHALLENGE = 2;
    static final byte REGISTER = 3;
    static final byte WELCOME = 4;
    static final byte REFUSED = 5;
    static final byte SNAPSHOT = 6;
    static final byte DELTA = 7;
    static final byte UPDATE = 8;
    static final byte PING = 9;
    static final byte LEAVE = 10;
    static final byte REGISTER_HA = 11;
    static final byte WELCOME_HA = 12;
    static final byte CATCHUP = 13;
    static final byte MARK = 14;

    private static final byte CHANGE_SET = 1;
    private static final byte CHANGE_REMOVE = 2;
    private static final byte CHANGE_CONFIG = 3;

    private Codec() {}

    // ------------------------------------------------------------------ encoding

    /** {@code message} as one frame, its length prefix included. */
    public static ByteBuf encode(Message message, ByteBufAllocator alloc, Limits limits) {
        return frame(message, alloc, limits, out -> writeBody(message, out));
    }

    /**
     * One frame of {@code message}: the 32-bit length prefix, then what {@code body} writes, refused over the
     * cap. The client wire and the peer wire ({@link PeerCodec}) frame alike, so they share this.
     */
    static ByteBuf frame(Object message, ByteBufAllocator alloc, Limits limits, Consumer<ByteBuf> body) {
        ByteBuf out = alloc.buffer(64);
        try {
            out.writeInt(0);
            body.accept(out);
            int size = out.readableBytes() - 4;
            if (size > limits.maxFrameBytes()) {
                throw new IllegalArgumentException("a " + message.getClass().getSimpleName() + " of " + size
                        + " bytes is over max-frame-bytes (" + limits.maxFrameBytes() + ")");
            }
            out.setInt(0, size);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static void writeBody(Message message, ByteBuf out) {
        if (message instanceof Message.Hello h) {
            out.writeByte(HELLO);
            out.writeInt(MAGIC);
            out.writeByte(h.version());
            writeStrings(out, h.features());
            writeString(out, h.cluster());
            writeString(out, h.tokenId());
            writeFixed(out, h.nonce(), NONCE_BYTES, "nonce");
        } else if (message instanceof Message.Challenge c) {
            out.writeByte(CHALLENGE);
            out.writeByte(c.version());
            writeStrings(out, c.features());
            writeFixed(out, c.nonce(), NONCE_BYTES, "nonce");
            writeFixed(out, c.proof(), PROOF_BYTES, "proof");
        } else if (message instanceof Message.Register r) {
            out.writeByte(REGISTER);
            writeRegisterBody(out, r.proof(), r.incarnation(), r.name(), r.entry(), r.epoch(), r.revision());
        } else if (message instanceof Message.Welcome w) {
            out.writeByte(WELCOME);
            out.writeLong(w.epoch());
            out.writeLong(w.revision());
            out.writeInt(w.ttlMillis());
            out.writeInt(w.heartbeatMillis());
            out.writeBoolean(w.snapshot());
        } else if (message instanceof Message.Refused r) {
            out.writeByte(REFUSED);
            out.writeByte(r.code());
            out.writeInt(r.retryAfterMillis());
            writeString(out, r.reason());
        } else if (message instanceof Message.SnapshotPage p) {
            out.writeByte(SNAPSHOT);
            out.writeLong(p.revision());
            out.writeBoolean(p.first());
            out.writeBoolean(p.last());
            out.writeInt(p.entries().size());
            p.entries().forEach(e -> writeEntry(out, e));
            writeConfig(out, p.config());
        } else if (message instanceof Message.Delta d) {
            writeDeltaHeader(out, d.fromRevision(), d.toRevision(), d.changes().size());
            d.changes().forEach(c -> writeChange(out, c));
        } else if (message instanceof Message.Update u) {
            out.writeByte(UPDATE);
            writeEntry(out, u.entry());
        } else if (message instanceof Message.Ping p) {
            out.writeByte(PING);
            out.writeLong(p.revision());
        } else if (message instanceof Message.Leave l) {
            out.writeByte(LEAVE);
        } else if (message instanceof Message.RegisterHa r) {
            out.writeByte(REGISTER_HA);
            // a REGISTER's fields, then what a resume on another server needs
            writeRegisterBody(out, r.proof(), r.incarnation(), r.name(), r.entry(), r.epoch(), r.revision());
            writeVector(out, r.vector());
            writeOptionalStamp(out, r.lastClaim());
        } else if (message instanceof Message.WelcomeHa w) {
            out.writeByte(WELCOME_HA);
            out.writeLong(w.epoch());
            out.writeLong(w.revision());
            out.writeInt(w.ttlMillis());
            out.writeInt(w.heartbeatMillis());
            out.writeByte(w.mode().code);
            writeString(out, w.serverId());
            writeOptionalStamp(out, w.claim());
            writeVector(out, w.vector());
            out.writeInt(w.replicationLagMillis());
        } else if (message instanceof Message.CatchupPage p) {
            out.writeByte(CATCHUP);
            out.writeLong(p.revision());
            out.writeBoolean(p.first());
            out.writeBoolean(p.last());
            out.writeInt(p.entries().size());
            p.entries().forEach(e -> writeEntry(out, e));
            writeStrings(out, p.removed());
            writeConfig(out, p.config());
        } else if (message instanceof Message.Mark m) {
            out.writeByte(MARK);
            out.writeLong(m.revision());
            writeVector(out, m.vector());
            out.writeInt(m.replicationLagMillis());
        }
    }

    /** One change, encoded once by the server and shared by every client's delta frames. */
    public static ByteBuf encodeChange(Change change, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(64);
        writeChange(out, change);
        return out;
    }

    /**
     * The start of a delta frame whose body is this header and {@code changeBytes} bytes of encoded changes: the
     * length prefix, the type, the revisions and the count.
     */
    public static ByteBuf deltaHeader(ByteBufAllocator alloc, long from, long to, int count, int changeBytes) {
        ByteBuf out = alloc.buffer(4 + 1 + 8 + 8 + 4);
        out.writeInt(1 + 8 + 8 + 4 + changeBytes);
        writeDeltaHeader(out, from, to, count);
        return out;
    }

    private static void writeDeltaHeader(ByteBuf out, long from, long to, int count) {
        out.writeByte(DELTA);
        out.writeLong(from);
        out.writeLong(to);
        out.writeInt(count);
    }

    private static void writeChange(ByteBuf out, Change change) {
        if (change instanceof Change.Set s) {
            out.writeByte(CHANGE_SET);
            out.writeLong(s.revision());
            writeEntry(out, s.entry());
        } else if (change instanceof Change.Remove r) {
            out.writeByte(CHANGE_REMOVE);
            out.writeLong(r.revision());
            writeString(out, r.name());
        } else if (change instanceof Change.Config cfg) {
            out.writeByte(CHANGE_CONFIG);
            out.writeLong(cfg.revision());
            writeString(out, cfg.scope());
            writeString(out, cfg.item());
            out.writeBoolean(cfg.value() != null);
            if (cfg.value() != null) {
                writeString(out, cfg.value());
            }
        }
    }

    private static void writeConfig(ByteBuf out, List<ConfigEntry> config) {
        out.writeInt(config.size());
        for (ConfigEntry e : config) {
            writeString(out, e.scope());
            writeString(out, e.item());
            writeString(out, e.value());
        }
    }

    /** Origins in ascending order, so that a vector has one encoding only. */
    static void writeVector(ByteBuf out, VersionVector v) {
        out.writeInt(v.size());
        v.seqs().forEach((origin, seq) -> {
            out.writeLong(origin);
            out.writeLong(seq);
        });
    }

    static void writeStamp(ByteBuf out, Stamp s) {
        out.writeLong(s.hlc());
        writeString(out, s.serverId());
    }

    static void writeOptionalStamp(ByteBuf out, @Nullable Stamp s) {
        out.writeBoolean(s != null);
        if (s != null) {
            writeStamp(out, s);
        }
    }

    // package-visible from here: the peer wire (PeerCodec) writes entries and strings the same way

    static void writeEntry(ByteBuf out, NodeEntry e) {
        writeString(out, e.name());
        writeString(out, e.host());
        out.writeShort(e.port());
        out.writeInt(e.metadata().size());
        e.metadata().forEach((k, v) -> {
            writeString(out, k);
            writeString(out, v);
        });
        out.writeInt(e.apps().size());
        for (AppEntry a : e.apps()) {
            writeString(out, a.name());
            out.writeInt(a.weight());
            out.writeByte(a.mode());
            out.writeByte(a.state());
        }
    }

    static void writeStrings(ByteBuf out, List<String> strings) {
        out.writeInt(strings.size());
        strings.forEach(s -> writeString(out, s));
    }

    static void writeString(ByteBuf out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xffff) {
            throw new IllegalArgumentException("a string of " + b.length + " bytes is too long for the wire");
        }
        out.writeShort(b.length);
        out.writeBytes(b);
    }

    static void writeFixed(ByteBuf out, byte[] b, int length, String what) {
        if (b.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, got " + b.length);
        }
        out.writeBytes(b);
    }

    /** The bytes a frame of {@code entry} alone costs, to cut snapshot pages before the frame cap. */
    public static int entrySize(NodeEntry e) {
        int size = 2 + utf8(e.name()) + 2 + utf8(e.host()) + 2 + 4 + 4;
        for (Map.Entry<String, String> m : e.metadata().entrySet()) {
            size += 4 + utf8(m.getKey()) + utf8(m.getValue());
        }
        for (AppEntry a : e.apps()) {
            size += 2 + utf8(a.name()) + 4 + 2;
        }
        return size;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    // ------------------------------------------------------------------ decoding

    /** The fields REGISTER and REGISTER_HA share, in that order. */
    private static void writeRegisterBody(
            ByteBuf out,
            byte[] proof,
            byte[] incarnation,
            String name,
            @Nullable NodeEntry entry,
            long epoch,
            long revision) {
        writeFixed(out, proof, PROOF_BYTES, "proof");
        writeFixed(out, incarnation, INCARNATION_BYTES, "incarnation");
        writeString(out, name);
        out.writeBoolean(entry != null);
        if (entry != null) {
            writeEntry(out, entry);
        }
        out.writeLong(epoch);
        out.writeLong(revision);
    }

    /** A REGISTER's fields, the start of a REGISTER_HA's too. */
    private static Message.Register readRegisterBody(Reader in) {
        byte[] proof = in.readFixed(PROOF_BYTES, "proof");
        byte[] incarnation = in.readFixed(INCARNATION_BYTES, "incarnation");
        String name = in.readString("node name");
        NodeEntry entry = in.readBoolean("entry flag") ? in.readEntry() : null;
        return new Message.Register(proof, incarnation, name, entry, in.readLong("epoch"), in.readLong("revision"));
    }

    /**
     * The message in {@code body} (a frame without its length prefix), all of it read: bytes left over are an
     * error too, so a frame means one thing only.
     *
     * @throws SaturnProtocolException when the bytes are not a valid message within {@code limits}
     */
    public static Message decode(ByteBuf body, Limits limits) {
        Reader in = new Reader(body, limits);
        byte type = in.readByte("message type");
        Message m = switch (type) {
            case HELLO -> {
                if (in.readInt("magic") != MAGIC) {
                    throw new SaturnProtocolException("not a Saturn client (bad magic)");
                }
                yield new Message.Hello(
                        in.readByte("version") & 0xff,
                        in.readStrings("features"),
                        in.readString("cluster"),
                        in.readString("token id"),
                        in.readFixed(NONCE_BYTES, "nonce"));
            }
            case CHALLENGE ->
                new Message.Challenge(
                        in.readByte("version") & 0xff,
                        in.readStrings("features"),
                        in.readFixed(NONCE_BYTES, "nonce"),
                        in.readFixed(PROOF_BYTES, "proof"));
            case REGISTER -> readRegisterBody(in);
            case WELCOME ->
                new Message.Welcome(
                        in.readLong("epoch"),
                        in.readLong("revision"),
                        in.readInt("ttl"),
                        in.readInt("heartbeat"),
                        in.readBoolean("snapshot flag"));
            case REFUSED ->
                new Message.Refused(in.readByte("code") & 0xff, in.readInt("retry-after"), in.readString("reason"));
            case SNAPSHOT -> {
                long revision = in.readLong("revision");
                boolean first = in.readBoolean("first flag");
                boolean last = in.readBoolean("last flag");
                int count = in.readCount("page entries");
                List<NodeEntry> entries = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    entries.add(in.readEntry());
                }
                yield new Message.SnapshotPage(revision, first, last, entries, in.readConfig());
            }
            case DELTA -> {
                long from = in.readLong("from revision");
                long to = in.readLong("to revision");
                int count = in.readCount("changes");
                List<Change> changes = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    changes.add(in.readChange());
                }
                yield new Message.Delta(from, to, changes);
            }
            case UPDATE -> new Message.Update(in.readEntry());
            case PING -> new Message.Ping(in.readLong("revision"));
            case LEAVE -> new Message.Leave();
            case REGISTER_HA -> {
                Message.Register r = readRegisterBody(in);
                VersionVector vector = in.readVector();
                Stamp lastClaim = in.readOptionalStamp("last claim");
                yield new Message.RegisterHa(
                        r.proof(), r.incarnation(), r.name(), r.entry(), r.epoch(), r.revision(), vector, lastClaim);
            }
            case WELCOME_HA -> {
                long epoch = in.readLong("epoch");
                long revision = in.readLong("revision");
                int ttl = in.readInt("ttl");
                int heartbeat = in.readInt("heartbeat");
                int code = in.readByte("mode") & 0xff;
                Message.WelcomeHa.Mode mode = Message.WelcomeHa.Mode.of(code);
                if (mode == null) {
                    throw new SaturnProtocolException("unknown welcome mode " + code);
                }
                String serverId = in.readString("server id");
                Stamp claim = in.readOptionalStamp("claim");
                VersionVector vector = in.readVector();
                int lag = in.readInt("replication lag");
                yield Reader.valid(() ->
                        new Message.WelcomeHa(epoch, revision, ttl, heartbeat, mode, serverId, claim, vector, lag));
            }
            case CATCHUP -> {
                long revision = in.readLong("revision");
                boolean first = in.readBoolean("first flag");
                boolean last = in.readBoolean("last flag");
                int count = in.readCount("page entries");
                List<NodeEntry> entries = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    entries.add(in.readEntry());
                }
                List<String> removed = in.readStrings("removed names");
                for (String name : removed) {
                    if (name.isEmpty()) {
                        throw new SaturnProtocolException("a removed name is empty");
                    }
                }
                yield new Message.CatchupPage(revision, first, last, entries, removed, in.readConfig());
            }
            case MARK -> new Message.Mark(in.readLong("revision"), in.readVector(), in.readInt("replication lag"));
            default -> throw new SaturnProtocolException("unknown message type " + type);
        };
        if (body.isReadable()) {
            throw new SaturnProtocolException(
                    body.readableBytes() + " bytes after a " + m.getClass().getSimpleName());
        }
        return m;
    }

    /** Bounded reads of one frame; {@link PeerCodec} reads with it too. */
    static final class Reader {
        private final ByteBuf in;
        private final Limits limits;

        Reader(ByteBuf in, Limits limits) {
            this.in = in;
            this.limits = limits;
        }

        private void need(int bytes, String what) {
            if (in.readableBytes() < bytes) {
                throw new SaturnProtocolException("frame ends inside " + what);
            }
        }

        byte readByte(String what) {
            need(1, what);
            return in.readByte();
        }

        boolean readBoolean(String what) {
            byte b = readByte(what);
            if (b != 0 && b != 1) {
                throw new SaturnProtocolException(what + " is " + b + ", not 0 or 1");
            }
            return b == 1;
        }

        int readInt(String what) {
            need(4, what);
            return in.readInt();
        }

        long readLong(String what) {
            need(8, what);
            return in.readLong();
        }

        int readCount(String what) {
            int n = readInt(what + " count");
            if (n < 0 || n > limits.maxItems()) {
                throw new SaturnProtocolException(
                        what + " count " + n + " is out of bounds (max-items " + limits.maxItems() + ")");
            }
            return n;
        }

        byte[] readFixed(int length, String what) {
            need(length, what);
            byte[] b = new byte[length];
            in.readBytes(b);
            return b;
        }

        String readString(String what) {
            need(2, what + " length");
            int length = in.readUnsignedShort();
            if (length > limits.maxStringBytes()) {
                throw new SaturnProtocolException(
                        what + " of " + length + " bytes is over max-string-bytes (" + limits.maxStringBytes() + ")");
            }
            need(length, what);
            String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
            in.skipBytes(length);
            return s;
        }

        List<String> readStrings(String what) {
            int n = readCount(what);
            List<String> out = new ArrayList<>(Math.min(n, 64));
            for (int i = 0; i < n; i++) {
                out.add(readString(what));
            }
            return out;
        }

        NodeEntry readEntry() {
            String name = readString("node name");
            String host = readString("host");
            need(2, "port");
            int port = in.readUnsignedShort();
            int pairs = readCount("metadata");
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int i = 0; i < pairs; i++) {
                metadata.put(readString("metadata key"), readString("metadata value"));
            }
            int count = readCount("applications");
            List<AppEntry> apps = new ArrayList<>(Math.min(count, 64));
            for (int i = 0; i < count; i++) {
                String app = readString("application name");
                int weight = readInt("weight");
                int mode = readByte("mode");
                int state = readByte("state");
                apps.add(valid(() -> new AppEntry(app, weight, mode, state)));
            }
            return valid(() -> new NodeEntry(name, host, port, metadata, apps));
        }

        Change readChange() {
            byte kind = readByte("change kind");
            long revision = readLong("change revision");
            return switch (kind) {
                case CHANGE_SET -> new Change.Set(revision, readEntry());
                case CHANGE_REMOVE -> new Change.Remove(revision, readString("node name"));
                case CHANGE_CONFIG -> {
                    String scope = readString("config scope");
                    String item = readString("config item");
                    if (item.isEmpty()) {
                        throw new SaturnProtocolException("a config change without an item");
                    }
                    yield new Change.Config(
                            revision,
                            scope,
                            item,
                            readBoolean("config value flag") ? readString("config value") : null);
                }
                default -> throw new SaturnProtocolException("unknown change kind " + kind);
            };
        }

        List<ConfigEntry> readConfig() {
            int items = readCount("config items");
            List<ConfigEntry> config = new ArrayList<>(Math.min(items, 1024));
            for (int i = 0; i < items; i++) {
                String scope = readString("config scope");
                String item = readString("config item");
                String value = readString("config value");
                config.add(valid(() -> new ConfigEntry(scope, item, value)));
            }
            return config;
        }

        Stamp readStamp(String what) {
            long hlc = readLong(what + " hlc");
            String serverId = readString(what + " server id");
            return valid(() -> new Stamp(hlc, serverId));
        }

        @Nullable
        Stamp readOptionalStamp(String what) {
            return readBoolean(what + " flag") ? readStamp(what) : null;
        }

        /** Origins strictly ascending, sequences positive: the one encoding {@link #writeVector} makes. */
        VersionVector readVector() {
            int n = readCount("vector origins");
            if (n > VersionVector.MAX_ORIGINS) {
                throw new SaturnProtocolException("a vector of " + n + " origins is over " + VersionVector.MAX_ORIGINS);
            }
            Map<Long, Long> seqs = new LinkedHashMap<>();
            long previous = 0;
            for (int i = 0; i < n; i++) {
                long origin = readLong("vector origin");
                long seq = readLong("vector seq");
                if (origin <= previous) {
                    throw new SaturnProtocolException("vector origins out of order or not positive at " + origin);
                }
                if (seq < 1) {
                    throw new SaturnProtocolException("origin " + origin + " has seq " + seq + " in a vector");
                }
                previous = origin;
                seqs.put(origin, seq);
            }
            return new VersionVector(seqs);
        }

        static <T> T valid(java.util.function.Supplier<T> make) {
            try {
                return make.get();
            } catch (IllegalArgumentException e) {
                throw new SaturnProtocolException(e.getMessage());
            }
        }
    }

    /** For tests and tools: a whole frame (prefix included) back to its message. */
    public static Message decodeFrame(ByteBuf frame, Limits limits) {
        int length = frame.readInt();
        if (length != frame.readableBytes()) {
            throw new SaturnProtocolException("frame length " + length + " but " + frame.readableBytes() + " bytes");
        }
        return decode(frame, limits);
    }
}
