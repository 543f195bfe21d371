package services.ergo.saturn.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The wire's bytes: every message round-trips, and hostile bytes meet a clear error, never a crash. */
class CodecTest {
    private static final Limits LIMITS = Limits.defaults();

    static final NodeEntry ENTRY = new NodeEntry(
            "worker@host1",
            "10.0.0.7",
            15000,
            Map.of("http", "10.0.0.7:8080", "zone", "eu-1"),
            List.of(new AppEntry("worker", 100, 1, 1), new AppEntry("cache", 0, 0, 2)));

    static List<Message> samples() {
        byte[] n = new byte[Codec.NONCE_BYTES];
        byte[] p = new byte[Codec.PROOF_BYTES];
        return List.of(
                new Message.Hello(1, List.of("resume"), "production", "workers", n),
                new Message.Challenge(1, List.of(), n, p),
                new Message.Register(p, new byte[Codec.INCARNATION_BYTES], "worker@host1", ENTRY, 7, 42),
                new Message.Register(p, new byte[Codec.INCARNATION_BYTES], "observer@h", null, 0, -1),
                new Message.Welcome(7, 42, 10_000, 3_333, true),
                new Message.Refused(Message.Refused.NAME_TAKEN, 10_000, "node name 'a' is taken"),
                new Message.SnapshotPage(
                        42, true, false, List.of(ENTRY), List.of(new ConfigEntry("*", "db.pool_size", "int:20"))),
                new Message.Delta(
                        41,
                        45,
                        List.of(
                                new Change.Set(42, ENTRY),
                                new Change.Remove(43, "gone@h"),
                                new Change.Config(44, "worker1", "db.pool_size", "int:50"),
                                new Change.Config(45, "", "region", null))),
                new Message.Update(ENTRY),
                new Message.Ping(42),
                new Message.Leave());
    }

    static final VersionVector VECTOR = VersionVector.EMPTY.with(7, 12).with(1L << 62 | 1, 3);
    static final Stamp CLAIM = Stamp.of(1_764_700_000_000L, 3, "saturn2");

    /** The messages of the feature {@code ha}, which no server negotiates yet. */
    static List<Message> haSamples() {
        byte[] p = new byte[Codec.PROOF_BYTES];
        byte[] inc = new byte[Codec.INCARNATION_BYTES];
        inc[0] = 9;
        ConfigEntry pool = new ConfigEntry("*", "db.pool_size", "int:20");
        return List.of(
                new Message.RegisterHa(p, inc, "worker@host1", ENTRY, 7, 42, VECTOR, CLAIM),
                new Message.RegisterHa(p, inc, "observer@h", null, 0, -1, VersionVector.EMPTY, null),
                new Message.WelcomeHa(
                        9, 50, 10_000, 3_333, Message.WelcomeHa.Mode.CATCHUP, "saturn2", CLAIM, VECTOR, 12),
                new Message.WelcomeHa(
                        9, 0, 10_000, 3_333, Message.WelcomeHa.Mode.SNAPSHOT, "s", null, VersionVector.EMPTY, 0),
                new Message.WelcomeHa(9, 50, 10_000, 3_333, Message.WelcomeHa.Mode.DELTAS, "saturn1", CLAIM, VECTOR, 0),
                new Message.CatchupPage(50, true, false, List.of(ENTRY), List.of("gone@h", "left@h"), List.of(pool)),
                new Message.CatchupPage(50, false, true, List.of(), List.of(), List.of()),
                new Message.Refused(Message.Refused.NAME_LOST, 0, "node name 'a' was registered earlier"),
                new Message.Refused(Message.Refused.NAME_HELD, 9_000, "node name 'a' is held by saturn1's node"),
                new Message.Mark(50, VECTOR, 7),
                new Message.Mark(0, VersionVector.EMPTY, 0));
    }

    static List<Message> allSamples() {
        List<Message> all = new java.util.ArrayList<>(samples());
        all.addAll(haSamples());
        return all;
    }

    @Test
    void everyMessageRoundTrips() {
        for (Message m : allSamples()) {
            ByteBuf frame = Codec.encode(m, ByteBufAllocator.DEFAULT, LIMITS);
            try {
                Message back = Codec.decodeFrame(frame, LIMITS);
                assertThat(back).usingRecursiveComparison().isEqualTo(m);
            } finally {
                frame.release();
            }
        }
    }

    @Test
    void aDeltaBuiltFromChangesEncodedOnceReadsAsTheSameDelta() {
        List<Change> changes = List.of(new Change.Set(5, ENTRY), new Change.Remove(6, "x@h"));
        ByteBuf a = Codec.encodeChange(changes.get(0), ByteBufAllocator.DEFAULT);
        ByteBuf b = Codec.encodeChange(changes.get(1), ByteBufAllocator.DEFAULT);
        ByteBuf frame = Unpooled.wrappedBuffer(
                Codec.deltaHeader(ByteBufAllocator.DEFAULT, 4, 6, 2, a.readableBytes() + b.readableBytes()), a, b);
        assertThat(Codec.decodeFrame(frame, LIMITS)).isEqualTo(new Message.Delta(4, 6, changes));
    }

    @Test
    void boundsNameTheirOption() {
        Limits small = new Limits(4096, 64, 3);
        ByteBuf frame = Codec.encode(
                new Message.Hello(1, List.of("a", "b", "c", "d"), "p", "", new byte[32]),
                ByteBufAllocator.DEFAULT,
                LIMITS);
        assertThatThrownBy(() -> Codec.decodeFrame(frame, small))
                .isInstanceOf(SaturnProtocolException.class)
                .hasMessageContaining("max-items");
        assertThatThrownBy(() -> Codec.encode(
                        new Message.Update(new NodeEntry("a@h", "h", 1, Map.of("k", "v".repeat(5000)), List.of())),
                        ByteBufAllocator.DEFAULT,
                        small))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-frame-bytes");
        assertThatThrownBy(() -> new Limits(100, 64, 1)).hasMessageContaining("max-frame-bytes");
    }

    @Test
    void theFrameDecoderRefusesALengthOverItsCapBeforeBufferingTheBody() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(LIMITS, true));
        ByteBuf header = Unpooled.buffer().writeInt(Limits.MAX_HELLO_BYTES + 1);
        assertThatThrownBy(() -> channel.writeInbound(header))
                .isInstanceOf(DecoderException.class)
                .hasRootCauseInstanceOf(SaturnProtocolException.class)
                .hasMessageContaining("max-frame-bytes");
        // whatever follows is dropped, not read
        assertThat(channel.writeInbound(Unpooled.buffer().writeInt(5))).isFalse();
    }

    @Test
    void theHaMessagesTakeTheNextTypesAndTheRefusalsTheNextCodes() {
        assertThat(haSamples().stream()
                        .filter(m -> !(m instanceof Message.Refused))
                        .map(CodecTest::typeOf)
                        .distinct())
                .containsExactly((byte) 11, (byte) 12, (byte) 13, (byte) 14);
        assertThat(samples().stream().map(CodecTest::typeOf).distinct().sorted())
                .containsExactly(
                        (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7, (byte) 8, (byte) 9,
                        (byte) 10);
        assertThat(List.of(Message.Refused.NAME_LOST, Message.Refused.NAME_HELD))
                .containsExactly(7, 8);
    }

    /** Every field is needed: a frame cut anywhere is refused, never read as a shorter message. */
    @Test
    void everyFrameCutShortIsRefused() {
        for (Message m : allSamples()) {
            byte[] body = body(m);
            for (int length = 0; length < body.length; length++) {
                byte[] cut = java.util.Arrays.copyOf(body, length);
                assertThatThrownBy(() -> Codec.decode(Unpooled.wrappedBuffer(cut), LIMITS))
                        .as("%s cut to %d of %d bytes", m.getClass().getSimpleName(), length, body.length)
                        .isInstanceOf(SaturnProtocolException.class);
            }
            byte[] longer = java.util.Arrays.copyOf(body, body.length + 1);
            assertThatThrownBy(() -> Codec.decode(Unpooled.wrappedBuffer(longer), LIMITS))
                    .isInstanceOf(SaturnProtocolException.class)
                    .hasMessageContaining("bytes after");
        }
    }

    /** A vector has one encoding: origins ascending and positive, sequences positive, at most MAX_ORIGINS. */
    @Test
    void aVectorOutOfItsOneEncodingIsRefused() {
        assertThatThrownBy(() -> decodeMark(2, 9, 1, 5, 1)).hasMessageContaining("out of order");
        assertThatThrownBy(() -> decodeMark(2, 5, 1, 5, 2)).hasMessageContaining("out of order");
        assertThatThrownBy(() -> decodeMark(1, 0, 1)).hasMessageContaining("not positive");
        assertThatThrownBy(() -> decodeMark(1, -4, 1)).hasMessageContaining("not positive");
        assertThatThrownBy(() -> decodeMark(1, 5, 0)).hasMessageContaining("seq 0");
        assertThatThrownBy(() -> decodeMark(VersionVector.MAX_ORIGINS + 1))
                .isInstanceOf(SaturnProtocolException.class)
                .hasMessageContaining("origins is over");
        assertThat(decodeMark(2, 5, 1, 9, 2))
                .isEqualTo(new Message.Mark(1, VersionVector.EMPTY.with(5, 1).with(9, 2), 0));
    }

    @Test
    void anUnknownWelcomeModeAndABadServerIdAreRefused() {
        byte[] body = body(haSamples().get(2));
        int mode = 1 + 8 + 8 + 4 + 4;
        assertThat(body[mode]).isEqualTo((byte) 1);
        body[mode] = 3;
        assertThatThrownBy(() -> Codec.decode(Unpooled.wrappedBuffer(body), LIMITS))
                .isInstanceOf(SaturnProtocolException.class)
                .hasMessageContaining("welcome mode 3");
        for (String id : List.of("", "x".repeat(Stamp.MAX_SERVER_ID_BYTES + 1))) {
            ByteBuf b = Unpooled.buffer();
            b.writeByte(Codec.WELCOME_HA)
                    .writeLong(9)
                    .writeLong(50)
                    .writeInt(1)
                    .writeInt(1)
                    .writeByte(0);
            Codec.writeString(b, id);
            Codec.writeOptionalStamp(b, null);
            Codec.writeVector(b, VersionVector.EMPTY);
            b.writeInt(0);
            assertThatThrownBy(() -> Codec.decode(b, LIMITS))
                    .isInstanceOf(SaturnProtocolException.class)
                    .hasMessageContaining("server id");
        }
        assertThatThrownBy(() -> new Message.WelcomeHa(
                        9, 50, 1, 1, Message.WelcomeHa.Mode.DELTAS, "x".repeat(65), null, VersionVector.EMPTY, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A MARK whose vector is {@code count} then the given longs, as a hostile peer could write it. */
    private static Message decodeMark(int count, long... longs) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(Codec.MARK);
        b.writeLong(1);
        b.writeInt(count);
        for (long l : longs) {
            b.writeLong(l);
        }
        if (count <= longs.length / 2) {
            b.writeInt(0);
        }
        return Codec.decode(b, LIMITS);
    }

    private static byte typeOf(Message m) {
        return body(m)[0];
    }

    static byte[] body(Message m) {
        ByteBuf f = Codec.encode(m, ByteBufAllocator.DEFAULT, LIMITS);
        try {
            byte[] b = new byte[f.readableBytes() - 4];
            f.getBytes(4, b);
            return b;
        } finally {
            f.release();
        }
    }

    /** Any bytes at all: a message, or a protocol error; never another exception, never a hang. */
    @Property(tries = 2000)
    void randomBytesDecodeOrFailCleanly(@ForAll @Size(max = 300) byte[] body) {
        decodeOrProtocolError(body);
    }

    /** Valid frames with a few bytes changed, cut short or extended: the hostile input that gets furthest. */
    @Property(tries = 3000)
    void mutatedFramesDecodeOrFailCleanly(@ForAll("mutated") byte[] body) {
        decodeOrProtocolError(body);
    }

    /** The same, on the HA messages alone, so that their fields get as many tries as the older ones'. */
    @Property(tries = 2000)
    void mutatedHaFramesDecodeOrFailCleanly(@ForAll("mutatedHa") byte[] body) {
        decodeOrProtocolError(body);
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return mutations(allSamples().stream().map(CodecTest::body).toList());
    }

    @Provide
    Arbitrary<byte[]> mutatedHa() {
        return mutations(haSamples().stream().map(CodecTest::body).toList());
    }

    /** Each body with up to four bytes changed, and cut short or extended by up to three. */
    static Arbitrary<byte[]> mutations(List<byte[]> bodies) {
        return Arbitraries.of(bodies)
                .flatMap(body -> Arbitraries.integers()
                        .between(0, body.length - 1)
                        .list()
                        .ofMaxSize(4)
                        .flatMap(positions -> Arbitraries.bytes()
                                .list()
                                .ofSize(positions.size())
                                .flatMap(values -> Arbitraries.integers()
                                        .between(-3, 3)
                                        .map(grow -> {
                                            byte[] out = java.util.Arrays.copyOf(body, Math.max(1, body.length + grow));
                                            for (int i = 0; i < positions.size(); i++) {
                                                if (positions.get(i) < out.length) {
                                                    out[positions.get(i)] = values.get(i);
                                                }
                                            }
                                            return out;
                                        }))));
    }

    private static void decodeOrProtocolError(byte[] body) {
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        try {
            Codec.decode(buf, LIMITS);
        } catch (SaturnProtocolException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
