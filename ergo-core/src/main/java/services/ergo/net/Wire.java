package services.ergo.net;

import io.netty.buffer.ByteBuf;
import services.ergo.gen.Alias;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.Ref;

/**
 * The hand-written part of the wire format: frame types and control headers. A frame is a 4-byte length, then a
 * type byte, then the header fields of that type, then (for messages) the payload up to the frame's end. Every
 * read checks what is left, so a truncated or lying frame is a {@link ProtocolException}, never an exception from
 * deep inside, and never an allocation bigger than the frame.
 */
final class Wire {
    static final byte VERSION = 1;
    static final int MAGIC = 0x4552474f; // "ERGO"

    static final byte HELLO = 10;
    static final byte CHALLENGE = 11;
    static final byte ANSWER = 12;
    static final byte ACCEPT = 13;
    static final byte REJECT = 14;

    static final byte SEND = 1;
    static final byte REQUEST = 2;
    static final byte RESPONSE = 3;
    static final byte EXIT = 4;
    static final byte LINK = 5;
    static final byte UNLINK = 6;
    static final byte MONITOR = 7;
    static final byte DEMONITOR = 8;
    static final byte DOWN = 9;
    static final byte SEND_IMPORTANT = 15;
    /** Set in the type of a SEND, REQUEST or SEND_IMPORTANT frame whose payload is deflated. */
    static final byte COMPRESSED = 0x40;

    static final byte SPAWN = 20;
    static final byte APPLICATION_START = 21;

    /** The message types a peer registered, with their schema fingerprints (feature {@code types}). */
    static final byte TYPES = 30;
    /** Nothing but a sign of life, sent on a lane with nothing else to send (feature {@code keepalive}). */
    static final byte PING = 31;

    /**
     * The largest frame before the handshake succeeded: a HELLO or CHALLENGE with the longest names and the
     * features fits in 4 KiB; everything bigger waits until the peer proved the cookie.
     */
    static final int MAX_HANDSHAKE_FRAME = 4096;

    static final int NONCE_BYTES = 16;
    static final int MAX_STRING = 1024;

    private static final byte TARGET_PID = 1;
    private static final byte TARGET_PROCESS_ID = 2;
    private static final byte TARGET_ALIAS = 3;

    private Wire() {}

    static void writeString(ByteBuf out, String s) {
        byte[] b = WireStrings.encode(s);
        if (b.length > MAX_STRING) {
            throw new IllegalArgumentException("string longer than " + MAX_STRING + " bytes on the wire");
        }
        out.writeShort(b.length);
        out.writeBytes(b);
    }

    static String readString(ByteBuf in) {
        need(in, 2, "string length");
        int n = in.readUnsignedShort();
        if (n > MAX_STRING) {
            throw new ProtocolException("string of " + n + " bytes (limit " + MAX_STRING + ")");
        }
        need(in, n, "string");
        String s = WireStrings.decode(in, n);
        in.skipBytes(n);
        return s;
    }

    static long readLong(ByteBuf in, String what) {
        need(in, 8, what);
        return in.readLong();
    }

    static int readInt(ByteBuf in, String what) {
        need(in, 4, what);
        return in.readInt();
    }

    static byte readByte(ByteBuf in, String what) {
        need(in, 1, what);
        return in.readByte();
    }

    static byte[] readBytes(ByteBuf in, int n, String what) {
        need(in, n, what);
        byte[] b = new byte[n];
        in.readBytes(b);
        return b;
    }

    static void writePid(ByteBuf out, Pid pid) {
        writeString(out, pid.node());
        out.writeLong(pid.id());
        out.writeLong(pid.creation());
    }

    static Pid readPid(ByteBuf in) {
        String node = readString(in);
        long id = readLong(in, "pid id");
        long creation = readLong(in, "pid creation");
        if (node.isEmpty()) {
            throw new ProtocolException("pid without a node");
        }
        return new Pid(node, id, creation);
    }

    static void writeRef(ByteBuf out, Ref ref) {
        writeString(out, ref.node());
        out.writeLong(ref.id());
        out.writeLong(ref.creation());
    }

    static Ref readRef(ByteBuf in) {
        return new Ref(readString(in), readLong(in, "ref id"), readLong(in, "ref creation"));
    }

    static void writeTarget(ByteBuf out, Object to) {
        if (to instanceof Pid p) {
            out.writeByte(TARGET_PID);
            writePid(out, p);
        } else if (to instanceof ProcessId id) {
            out.writeByte(TARGET_PROCESS_ID);
            writeString(out, id.name());
            writeString(out, id.node());
        } else if (to instanceof Alias a) {
            out.writeByte(TARGET_ALIAS);
            writeString(out, a.node());
            out.writeLong(a.id());
            out.writeLong(a.creation());
        } else {
            throw new IllegalArgumentException("not a remote target: " + to);
        }
    }

    static Object readTarget(ByteBuf in) {
        byte tag = readByte(in, "target tag");
        return switch (tag) {
            case TARGET_PID -> readPid(in);
            case TARGET_PROCESS_ID -> {
                String name = readString(in);
                String node = readString(in);
                if (name.isEmpty() || node.isEmpty()) {
                    throw new ProtocolException("empty process id");
                }
                yield new ProcessId(name, node);
            }
            case TARGET_ALIAS -> new Alias(readString(in), readLong(in, "alias id"), readLong(in, "alias creation"));
            default -> throw new ProtocolException("unknown target tag " + tag);
        };
    }

    static void need(ByteBuf in, int n, String what) {
        if (n < 0 || in.readableBytes() < n) {
            throw new ProtocolException(
                    "truncated frame: " + what + " needs " + n + " bytes, " + in.readableBytes() + " left");
        }
    }
}
