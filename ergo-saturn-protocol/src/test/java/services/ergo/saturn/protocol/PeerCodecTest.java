package services.ergo.saturn.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The peer wire's bytes: every message round-trips, and hostile bytes meet a protocol error, never a crash. */
class PeerCodecTest {
    private static final Limits LIMITS = Limits.defaults();
    private static final long ORIGIN = 0x1234_5678_9abc_def1L;

    static final Stamp BORN = Stamp.of(1_764_700_000_000L, 0, "saturn1");
    static final Stamp CLAIM = Stamp.of(1_764_700_005_000L, 2, "saturn2");

    static byte[] incarnation(int seed) {
        byte[] b = new byte[Codec.INCARNATION_BYTES];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    static List<PeerRecord> records() {
        return List.of(
                new PeerRecord.Node(3, CodecTest.ENTRY.name(), incarnation(1), BORN, CLAIM, false, CodecTest.ENTRY),
                new PeerRecord.Node(5, "gone@h", incarnation(2), BORN, BORN, true, null),
                new PeerRecord.Config(6, "*", "db.pool_size", "int:20", CLAIM),
                new PeerRecord.Config(9, "worker1", "region", null, BORN));
    }

    static List<PeerMessage> samples() {
        byte[] nonce = new byte[Codec.NONCE_BYTES];
        nonce[3] = 7;
        byte[] proof = new byte[Codec.PROOF_BYTES];
        proof[31] = 1;
        byte[] config = new byte[PeerCodec.CONFIG_DIGEST_BYTES];
        config[0] = (byte) 0x81;
        return List.of(
                new PeerMessage.PeerHello(1, List.of("digest-v1"), "saturn1", nonce),
                new PeerMessage.PeerChallenge(1, List.of(), "saturn2", nonce, proof),
                new PeerMessage.PeerProof(proof),
                new PeerMessage.Digest(
                        CLAIM.hlc(),
                        config,
                        10_000,
                        3_000,
                        List.of(
                                new PeerMessage.ClusterDigest(
                                        "production",
                                        List.of(
                                                new PeerMessage.OriginDigest(
                                                        ORIGIN,
                                                        "saturn1",
                                                        40,
                                                        12,
                                                        -77,
                                                        PeerMessage.OriginState.LIVE,
                                                        0),
                                                new PeerMessage.OriginDigest(
                                                        5, "saturn3", 9, 9, 0, PeerMessage.OriginState.DEAD, 4_500)),
                                        List.of(11L, 13L)),
                                new PeerMessage.ClusterDigest("empty", List.of(), List.of()))),
                new PeerMessage.Digest(0, config, 1, 1, List.of()),
                new PeerMessage.Records("production", ORIGIN, 2, 9, records()),
                new PeerMessage.Records("production", ORIGIN, 9, 9, List.of()),
                new PeerMessage.Ack("production", ORIGIN, 9),
                new PeerMessage.Pull("production", ORIGIN, PeerMessage.Pull.WHOLE_TABLE),
                new PeerMessage.Pull("production", ORIGIN, 4),
                new PeerMessage.TablePage("production", ORIGIN, 40, 12, true, false, records()),
                new PeerMessage.TablePage("production", ORIGIN, 40, 12, false, true, List.of()),
                new PeerMessage.Goodbye(),
                new PeerMessage.PeerRefused(
                        PeerMessage.PeerRefused.BAD_PROOF, "the peer secret proof does not verify"));
    }

    @Test
    void everyMessageRoundTrips() {
        for (PeerMessage m : samples()) {
            ByteBuf frame = PeerCodec.encode(m, ByteBufAllocator.DEFAULT, LIMITS);
            try {
                PeerMessage back = PeerCodec.decodeFrame(frame, LIMITS);
                assertThat(back).usingRecursiveComparison().isEqualTo(m);
            } finally {
                frame.release();
            }
        }
    }

    @Test
    void everyFrameTypeHasItsOwnByte() {
        assertThat(samples().stream().map(m -> body(m)[0]).distinct().sorted())
                .containsExactly(
                        (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7, (byte) 8, (byte) 9,
                        (byte) 10);
    }

    @Test
    void anUnknownTypeByteIsRefused() {
        for (int type : List.of(0, 11, 14, 0x7f, 0x80, 0xff)) {
            assertThatThrownBy(() -> decode(new byte[] {(byte) type, 0, 0, 0, 0}))
                    .isInstanceOf(SaturnProtocolException.class)
                    .hasMessageContaining("unknown peer message type");
        }
    }

    /** Every field is needed: a frame cut anywhere is refused, never read as a shorter message. */
    @Test
    void everyFrameCutShortIsRefused() {
        for (PeerMessage m : samples()) {
            byte[] body = body(m);
            for (int length = 0; length < body.length; length++) {
                byte[] cut = Arrays.copyOf(body, length);
                assertThatThrownBy(() -> decode(cut))
                        .as("%s cut to %d of %d bytes", m.getClass().getSimpleName(), length, body.length)
                        .isInstanceOf(SaturnProtocolException.class);
            }
            assertThatThrownBy(() -> decode(Arrays.copyOf(body, body.length + 1)))
                    .isInstanceOf(SaturnProtocolException.class)
                    .hasMessageContaining("bytes after");
        }
        assertThatThrownBy(() ->
                        PeerCodec.decodeFrame(Unpooled.buffer().writeInt(9).writeByte(9), LIMITS))
                .isInstanceOf(SaturnProtocolException.class)
                .hasMessageContaining("frame length 9");
    }

    /** The two wires tell each other apart by the HELLO's magic, so a client on the peer port goes at once. */
    @Test
    void aClientHelloIsNotAPeerHelloNorTheOtherWayRound() {
        byte[] client = CodecTest.body(new Message.Hello(1, List.of(), "p", "", new byte[Codec.NONCE_BYTES]));
        assertThatThrownBy(() -> decode(client)).hasMessageContaining("not a Saturn peer");
        byte[] peer = body(samples().get(0));
        assertThatThrownBy(() -> Codec.decode(Unpooled.wrappedBuffer(peer), LIMITS))
                .isInstanceOf(SaturnProtocolException.class)
                .hasMessageContaining("not a Saturn client");
    }

    @Test
    void theFrameDecoderHoldsAPeerToTheHelloCapUntilOpened() {
        EmbeddedChannel guarded = new EmbeddedChannel(new FrameDecoder(LIMITS, true, PeerCodec::decode));
        ByteBuf header = Unpooled.buffer().writeInt(Limits.MAX_HELLO_BYTES + 1);
        assertThatThrownBy(() -> guarded.writeInbound(header))
                .isInstanceOf(DecoderException.class)
                .hasRootCauseInstanceOf(SaturnProtocolException.class)
                .hasMessageContaining("max-frame-bytes");
        assertThat(guarded.writeInbound(frame(new PeerMessage.Goodbye()))).isFalse(); // dropped, not read

        PeerMessage big = bigRecords();
        ByteBuf bigFrame = frame(big);
        assertThat(bigFrame.readableBytes()).isGreaterThan(Limits.MAX_HELLO_BYTES + 4);
        FrameDecoder frames = new FrameDecoder(LIMITS, true, PeerCodec::decode);
        EmbeddedChannel opened = new EmbeddedChannel(frames);
        assertThat(opened.writeInbound(frame(samples().get(0)))).isTrue();
        assertThat((Object) opened.readInbound()).isInstanceOf(PeerMessage.PeerHello.class);
        frames.open();
        assertThat(opened.writeInbound(bigFrame)).isTrue();
        assertThat((Object) opened.readInbound()).usingRecursiveComparison().isEqualTo(big);

        EmbeddedChannel small = new EmbeddedChannel(
                new FrameDecoder(LIMITS.withMaxFrameBytes(Limits.MAX_HELLO_BYTES), false, PeerCodec::decode));
        assertThatThrownBy(() -> small.writeInbound(frame(big)))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining("max-frame-bytes");
    }

    @Test
    void aFrameOverTheCapIsNotEncoded() {
        assertThatThrownBy(() -> PeerCodec.encode(
                        bigRecords(), ByteBufAllocator.DEFAULT, LIMITS.withMaxFrameBytes(Limits.MAX_HELLO_BYTES)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-frame-bytes");
    }

    @Test
    void boundsNameTheirOption() {
        Limits small = new Limits(4096, 64, 3);
        assertThatThrownBy(() -> decode(body(samples().get(5)), small))
                .isInstanceOf(SaturnProtocolException.class)
                .hasMessageContaining("max-items");
        byte[] longName = body(new PeerMessage.Ack("c".repeat(65), ORIGIN, 1));
        assertThatThrownBy(() -> decode(longName, small))
                .isInstanceOf(SaturnProtocolException.class)
                .hasMessageContaining("max-string-bytes");
    }

    /** What the records' constructors hold (order, seq range, a tombstone's missing entry) holds on the wire too. */
    @Test
    void recordsThatBreakTheirRulesAreRefused() {
        PeerRecord.Config one = new PeerRecord.Config(1, "*", "a", "1", BORN);
        PeerRecord.Config two = new PeerRecord.Config(2, "*", "a", "2", BORN);
        assertThatThrownBy(() -> decode(records(0, 5, two, one))).hasMessageContaining("out of order");
        assertThatThrownBy(() -> decode(records(0, 5, one, one))).hasMessageContaining("out of order");
        assertThatThrownBy(() -> decode(records(1, 5, one))).hasMessageContaining("outside (1, 5]");
        assertThatThrownBy(() -> decode(records(0, 1, two))).hasMessageContaining("outside (0, 1]");
        assertThat(decode(records(0, 2, one, two))).isInstanceOf(PeerMessage.Records.class);

        ByteBuf b = Unpooled.buffer();
        b.writeByte(PeerCodec.RECORDS);
        Codec.writeString(b, "c");
        b.writeLong(ORIGIN).writeLong(0).writeLong(1).writeInt(1);
        b.writeByte(1).writeLong(1);
        Codec.writeString(b, "other@h");
        b.writeBytes(incarnation(1));
        Codec.writeStamp(b, BORN);
        Codec.writeStamp(b, BORN);
        b.writeBoolean(false);
        Codec.writeEntry(b, CodecTest.ENTRY); // the entry of another node
        assertThatThrownBy(() -> PeerCodec.decode(b, LIMITS))
                .isInstanceOf(SaturnProtocolException.class)
                .hasMessageContaining("carries the entry of");

        assertThatThrownBy(() -> new PeerRecord.Node(1, "a@h", incarnation(1), BORN, BORN, false, null))
                .hasMessageContaining("needs an entry");
        assertThatThrownBy(() -> new PeerRecord.Node(1, "a@h", incarnation(1), BORN, BORN, true, CodecTest.ENTRY))
                .hasMessageContaining("no entry");
        assertThatThrownBy(() -> new PeerRecord.Node(0, "a@h", incarnation(1), BORN, BORN, true, null))
                .hasMessageContaining("seq must be >= 1");
        assertThatThrownBy(() -> new PeerMessage.Pull("c", ORIGIN, -2)).hasMessageContaining(">= -1");
        assertThatThrownBy(() -> new PeerMessage.Ack("c", 0, 1)).hasMessageContaining("origin must be > 0");
        assertThatThrownBy(() -> new PeerMessage.TablePage("c", ORIGIN, 4, 5, true, true, List.of()))
                .hasMessageContaining("floor");
    }

    @Test
    void anUnknownOriginStateOrRecordKindIsRefused() {
        byte[] digest = body(samples().get(3));
        // type, hlc, config digest, ttl, peer ttl, cluster count, "production", origin count, origin, "saturn1",
        // seq, floor, hash: then the state
        int state = 1 + 8 + 32 + 4 + 4 + 4 + 2 + 10 + 4 + 8 + 2 + 7 + 8 + 8 + 8;
        assertThat(digest[state]).isEqualTo((byte) PeerMessage.OriginState.LIVE.code);
        digest[state] = 4;
        assertThatThrownBy(() -> decode(digest)).hasMessageContaining("unknown origin state 4");

        byte[] records = body(samples().get(5));
        int kind = 1 + 2 + 10 + 8 + 8 + 8 + 4;
        assertThat(records[kind]).isEqualTo((byte) 1);
        records[kind] = 3;
        assertThatThrownBy(() -> decode(records)).hasMessageContaining("unknown record kind 3");
    }

    /** Any bytes at all: a message, or a protocol error; never another exception, never a hang. */
    @Property(tries = 2000)
    void randomBytesDecodeOrFailCleanly(@ForAll @Size(max = 300) byte[] body) {
        decodeOrProtocolError(body);
    }

    /** Random bytes after a valid type byte: they get past the first switch, into each message's fields. */
    @Property(tries = 2000)
    void randomBytesAfterAKnownTypeDecodeOrFailCleanly(
            @ForAll("types") byte type, @ForAll @Size(max = 300) byte[] rest) {
        byte[] body = new byte[rest.length + 1];
        body[0] = type;
        System.arraycopy(rest, 0, body, 1, rest.length);
        decodeOrProtocolError(body);
    }

    /** Valid frames with a few bytes changed, cut short or extended: the hostile input that gets furthest. */
    @Property(tries = 4000)
    void mutatedFramesDecodeOrFailCleanly(@ForAll("mutated") byte[] body) {
        decodeOrProtocolError(body);
    }

    @Provide
    Arbitrary<Byte> types() {
        return Arbitraries.bytes().between((byte) 1, (byte) 10);
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return CodecTest.mutations(samples().stream().map(PeerCodecTest::body).toList());
    }

    private static PeerMessage bigRecords() {
        List<PeerRecord> many = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            many.add(new PeerRecord.Config(i, "*", "item." + i, "value " + i, BORN));
        }
        return new PeerMessage.Records("production", ORIGIN, 0, 200, many);
    }

    /** A RECORDS body with {@code records} as given, whether or not the constructor would have them. */
    private static byte[] records(long from, long to, PeerRecord.Config... records) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(PeerCodec.RECORDS);
        Codec.writeString(b, "c");
        b.writeLong(ORIGIN).writeLong(from).writeLong(to).writeInt(records.length);
        for (PeerRecord.Config c : records) {
            b.writeByte(2).writeLong(c.seq());
            Codec.writeString(b, c.scope());
            Codec.writeString(b, c.item());
            b.writeBoolean(true);
            Codec.writeString(b, c.value());
            Codec.writeStamp(b, c.stamp());
        }
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static ByteBuf frame(PeerMessage m) {
        return PeerCodec.encode(m, ByteBufAllocator.DEFAULT, LIMITS);
    }

    static byte[] body(PeerMessage m) {
        ByteBuf f = frame(m);
        try {
            byte[] b = new byte[f.readableBytes() - 4];
            f.getBytes(4, b);
            return b;
        } finally {
            f.release();
        }
    }

    private static PeerMessage decode(byte[] body) {
        return decode(body, LIMITS);
    }

    private static PeerMessage decode(byte[] body, Limits limits) {
        return PeerCodec.decode(Unpooled.wrappedBuffer(body), limits);
    }

    private static void decodeOrProtocolError(byte[] body) {
        try {
            decode(body);
        } catch (SaturnProtocolException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
