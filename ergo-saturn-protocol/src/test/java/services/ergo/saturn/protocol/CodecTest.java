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

    @Test
    void everyMessageRoundTrips() {
        for (Message m : samples()) {
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

    @Provide
    Arbitrary<byte[]> mutated() {
        List<byte[]> bodies = samples().stream()
                .map(m -> {
                    ByteBuf f = Codec.encode(m, ByteBufAllocator.DEFAULT, LIMITS);
                    byte[] b = new byte[f.readableBytes() - 4];
                    f.getBytes(4, b);
                    f.release();
                    return b;
                })
                .toList();
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
