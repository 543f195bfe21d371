package services.ergo.saturn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import services.ergo.saturn.protocol.Message;

/** Bytes no client should send, over real TCP: each closes its connection, is counted, and harms no one else. */
class HostileInputTest {
    private SaturnServer server;

    @BeforeEach
    void start() {
        server = SaturnServer.start(SaturnServerOptions.defaults()
                .withClusters(Map.of("prod", SaturnServerTest.TOKEN))
                .withHandshakeTimeout(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void refusedAndCounted(byte[] bytes) throws Exception {
        long before = server.counters().refusedFrames.get();
        try (RawClient c = RawClient.connect(server.port())) {
            c.sendRaw(bytes);
            assertThat(c.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> server.counters().refusedFrames.get() == before + 1);
    }

    private static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length)
                .putInt(body.length)
                .put(body)
                .array();
    }

    @Test
    void aLengthOverTheHelloCapIsRefusedBeforeTheTokenIsProven() throws Exception {
        // 1 MiB is under the frame cap, but nobody proved the token yet: only a HELLO's worth is buffered
        refusedAndCounted(ByteBuffer.allocate(4).putInt(1 << 20).array());
        refusedAndCounted(ByteBuffer.allocate(4).putInt(-1).array());
        refusedAndCounted(ByteBuffer.allocate(4).putInt(0).array());
    }

    @Test
    void anythingButAHelloFirstIsRefused() throws Exception {
        refusedAndCounted(frame(new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 1}));
        refusedAndCounted(frame("GET / HTTP/1.1\r\n\r\n".getBytes()));
        refusedAndCounted(frame(new byte[] {1, 'N', 'O', 'P', 'E', 1}));
    }

    @Test
    void randomFramesAreRefusedAndAGoodClientIsServedAfterThem() throws Exception {
        Random random = new Random(19);
        for (int i = 0; i < 40; i++) {
            byte[] body = new byte[1 + random.nextInt(200)];
            random.nextBytes(body);
            body[0] = (byte) (random.nextBoolean() ? 1 : random.nextInt(256)); // often a HELLO's type: gets further
            refusedAndCounted(frame(body));
        }
        try (RawClient good = RawClient.connect(server.port())) {
            assertThat(good.register("prod", SaturnServerTest.TOKEN, "good@h", RawClient.entry("good@h", 1)))
                    .isInstanceOf(Message.Welcome.class);
        }
    }

    @Test
    void aSilentConnectionIsClosedAtTheHandshakeTimeout() throws Exception {
        try (RawClient idle = RawClient.connect(server.port())) {
            long t0 = System.nanoTime();
            assertThat(idle.closedByServer()).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(800L, 4900L);
        }
    }

    @Test
    void aProvenClientMayNotSendAnUpdateForAnotherNode() throws Exception {
        try (RawClient c = RawClient.connect(server.port())) {
            c.register("prod", SaturnServerTest.TOKEN, "me@h", RawClient.entry("me@h", 1));
            c.send(new Message.Update(RawClient.entry("someone-else@h", 2)));
            assertThat(c.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.entries("prod").isEmpty());
        assertThat(server.counters().refusedFrames.get()).isEqualTo(1);
    }
}
