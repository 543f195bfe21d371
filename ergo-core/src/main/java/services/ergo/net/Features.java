package services.ergo.net;

import io.netty.buffer.ByteBuf;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a node speaks beyond the first release's wire, sent after the fixed fields of HELLO and CHALLENGE. A node of
 * the first release reads its fields and ignores what follows, and sends nothing there itself: a peer without this
 * block is a node of that release, and gets none of these features. A feature is used on a connection only when
 * both sides name it; every later change of the wire adds a name here instead of changing what a name means.
 *
 * <p>Layout: a tag byte, the block's version, the dialer's 16-byte connection id (zeros from the acceptor), then a
 * count and that many feature names.
 */
record Features(int version, byte[] connectionId, Set<String> names) {
    static final byte TAG = 0x46; // 'F'
    static final int VERSION = 1;
    static final int ID_BYTES = 16;
    private static final int MAX_NAMES = 64;

    /** Pings a lane with nothing to send and closes one that stays silent ({@link Wire#PING}). */
    static final String KEEPALIVE = "keepalive";
    /** Tells the peer the message types registered, with schema fingerprints ({@link Wire#TYPES}). */
    static final String TYPES = "types";

    /** What this release speaks. */
    static final Set<String> SPOKEN = Set.of(KEEPALIVE, TYPES);

    /** A peer of the first release: no block, no features, no connection id. */
    static final Features NONE = new Features(0, new byte[0], Set.of());

    static Features mine(byte[] connectionId) {
        return new Features(VERSION, connectionId, SPOKEN);
    }

    void write(ByteBuf out) {
        out.writeByte(TAG);
        out.writeByte(version);
        out.writeBytes(connectionId.length == ID_BYTES ? connectionId : new byte[ID_BYTES]);
        out.writeShort(names.size());
        for (String n : names) {
            Wire.writeString(out, n);
        }
    }

    /** The block at the end of a HELLO or CHALLENGE; {@link #NONE} when there is none (an older peer). */
    static Features read(ByteBuf in) {
        if (!in.isReadable()) {
            return NONE;
        }
        if (Wire.readByte(in, "features tag") != TAG) {
            throw new ProtocolException("bytes after the handshake fields that are not a features block");
        }
        int version = Wire.readByte(in, "features version") & 0xff;
        if (version < 1) {
            throw new ProtocolException("features block version " + version);
        }
        byte[] id = Wire.readBytes(in, ID_BYTES, "connection id");
        Wire.need(in, 2, "feature count");
        int count = in.readUnsignedShort();
        if (count > MAX_NAMES) {
            throw new ProtocolException(count + " features (at most " + MAX_NAMES + ")");
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            names.add(Wire.readString(in));
        }
        // a later version may add fields after the names: they are for nodes that know that version
        in.skipBytes(in.readableBytes());
        return new Features(version, id, Set.copyOf(names));
    }

    /** Whether both sides speak {@code feature}: only then is it used. */
    static boolean shared(Features mine, Features theirs, String feature) {
        return mine.names.contains(feature) && theirs.names.contains(feature);
    }
}
