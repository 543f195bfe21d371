package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.CallTimeoutException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.OutboxFullException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.gen.TlsOptions;
import services.ergo.testing.TestRegistrar;

/**
 * A peer that stops reading: the connection's outbox fills up to its cap and no further, sends and calls fail at
 * once with {@link OutboxFullException}, counted, and all flows again once the peer reads again.
 */
class OutboxTest {
    private static final int CAP = 1 << 20;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Node a;
    private Node b;
    private Pid sink;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong maxSeen = new AtomicLong();

    /** Counts the messages it gets; answers a call with "pong", or with the bytes it was sent. */
    static final class Sink extends Actor {
        private AtomicLong received;

        @Override
        protected void init(Object... args) {
            received = (AtomicLong) args[0];
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            received.incrementAndGet();
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return request instanceof byte[] bytes ? bytes : "pong";
        }
    }

    private static Node start(String name, TlsOptions tls) {
        return Ergo.startNode(
                name,
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .cookie("secret")
                        .callTimeout(Duration.ofSeconds(20))
                        .network(NetworkOptions.on()
                                .withPort(0)
                                .withMaxMessageSize(64 * 1024)
                                .withMaxOutboxBytes(CAP)
                                .withTls(tls))
                        .build());
    }

    private void startPair(TlsOptions tls) {
        a = start("alpha@localhost", tls);
        b = start("beta@localhost", tls);
        a.network().addRoute(b.name(), b.network().acceptor());
        b.network().addRoute(a.name(), a.network().acceptor());
        sink = b.spawn(Sink::new, ProcessOptions.defaults(), received);
        assertThat(a.call(sink, "ping")).isEqualTo("pong");
    }

    @AfterEach
    void stop() {
        for (Node n : new Node[] {a, b}) {
            if (n != null) {
                n.stopForce();
            }
        }
    }

    /** Stops or starts {@code reader}'s reading from the lanes of its connection to {@code peer}. */
    private static void reading(Node reader, Node peer, boolean on) {
        List<Lane> lanes = ((NetworkService) reader.network()).lanes(peer.name());
        assertThat(lanes).isNotEmpty();
        for (Lane l : lanes) {
            l.channel.config().setAutoRead(on);
        }
    }

    private void reading(boolean on) {
        reading(b, a, on);
    }

    private long outboxBytes() {
        return outboxBytes(a, b);
    }

    private static long outboxBytes(Node from, Node to) {
        return from.network().stats(to.name()).outboxBytes();
    }

    /** Sends 1 KiB messages until one is refused, sampling the outbox after each; returns how many it took. */
    private long topUp(Node from, Node to, Pid target) {
        byte[] payload = new byte[1024];
        long took = 0;
        try {
            for (int i = 0; i < 100_000; i++) {
                try {
                    from.send(target, payload);
                    accepted.incrementAndGet();
                    took++;
                } catch (OutboxFullException e) {
                    refused.incrementAndGet();
                    return took;
                } finally {
                    maxSeen.accumulateAndGet(outboxBytes(from, to), Math::max);
                }
            }
            throw new AssertionError("100 MiB sent and the outbox never filled");
        } finally {
            maxSeen.accumulateAndGet(outboxBytes(from, to), Math::max);
        }
    }

    /**
     * Tops the outbox up until the kernel's socket buffers are full too: a sender outruns the event loop for a while
     * and fills the outbox long before the peer's silence matters, so one refused send does not mean stuck yet.
     * Stuck is: five top-ups in a row, 20 ms apart, found no room at all, and a lane is past Netty's high water mark
     * (its drain parked).
     */
    private void fillUntilStuck(Node from, Node to, Pid target) {
        int[] still = {0};
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            still[0] = topUp(from, to, target) == 0 ? still[0] + 1 : 0;
            return still[0] >= 5
                    && ((NetworkService) from.network())
                            .lanes(to.name()).stream().anyMatch(l -> !l.channel.isWritable());
        });
        assertThat(outboxBytes(from, to)).isGreaterThan(CAP - 2048).isLessThanOrEqualTo(CAP);
    }

    @Test
    void aPeerThatStopsReadingFillsTheOutboxToItsCapAndNoFurther() throws Exception {
        startPair(TlsOptions.off());
        stopsReadingFillsToTheCapAndNoFurther();
    }

    /** The same behind TLS: Netty's SslHandler holds what it has not encrypted yet, and counts it for writability. */
    @Test
    void behindTlsToo() throws Exception {
        startPair(TlsOptions.selfSigned());
        stopsReadingFillsToTheCapAndNoFurther();
    }

    private void stopsReadingFillsToTheCapAndNoFurther() throws Exception {
        long outBefore = a.network().stats(b.name()).messagesOut();
        reading(false);
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                maxSeen.accumulateAndGet(outboxBytes(), Math::max);
            }
        });
        sampler.start();
        try {
            fillUntilStuck(a, b, sink);
            assertThat(a.network().stats(b.name()).outboxFull())
                    .isEqualTo(refused.get())
                    .isPositive();
            assertThat(a.network().stats(null).outboxFull()).isEqualTo(refused.get());
            assertThat(a.network().stats(null).outboxBytes()).isEqualTo(outboxBytes());

            // full to within one 1 KiB frame: 16 KiB more cannot fit, so the call and the important send fail at once
            topUp(a, b, sink);
            byte[] big = new byte[16 * 1024];
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> a.call(sink, big, Duration.ofSeconds(20)))
                    .isInstanceOf(OutboxFullException.class)
                    .hasMessageContaining(b.name())
                    .hasMessageContaining("maxOutboxBytes");
            assertThatThrownBy(() -> a.sendImportant(sink, big)).isInstanceOf(OutboxFullException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(a.network().stats(b.name()).outboxFull()).isEqualTo(refused.get() + 2);
            assertThat(a.network().nodes()).as("still connected").containsExactly(b.name());
        } finally {
            sampling.set(false);
            sampler.join();
        }
        assertThat(maxSeen.get())
                .as("the most bytes ever seen in the outbox")
                .isGreaterThan(CAP - 2048)
                .isLessThanOrEqualTo(CAP);
        assertThat(a.network().stats(b.name()).messagesOut() - outBefore).isEqualTo(accepted.get());

        reading(true);
        // every message the outbox took arrives; then it is empty and a fresh send and call go through
        await().atMost(WAIT).until(() -> received.get() == accepted.get());
        await().atMost(WAIT).until(() -> outboxBytes() == 0);
        a.send(sink, "again");
        assertThat(a.call(sink, "ping")).isEqualTo("pong");
        await().atMost(WAIT).until(() -> received.get() == accepted.get() + 1);
        assertThat(a.network().stats(b.name()).outboxFull()).isEqualTo(refused.get() + 2);
    }

    @Test
    void aLaneThatClosesWhileFullGivesItsRoomBack() {
        startPair(TlsOptions.off());
        reading(false);
        fillUntilStuck(a, b, sink);
        List<Lane> lanes = ((NetworkService) a.network()).lanes(b.name());
        Connection full = lanes.get(0).connection;
        assertThat(full.outboxBytes()).isGreaterThan(CAP - 2048);

        a.network().disconnect(b.name());
        await().atMost(WAIT).until(() -> lanes.stream().noneMatch(l -> l.channel.isOpen()));
        // the frames parked in the lanes' queues and those in Netty's buffers are released and uncounted
        await().atMost(WAIT).until(() -> full.outboxBytes() == 0);

        // beta reads again and so sees the old lanes close: until then it holds alpha's name for that connection
        reading(true);
        await().atMost(WAIT)
                .until(() ->
                        a.network().nodes().isEmpty() && b.network().nodes().isEmpty());
        assertThat(a.call(sink, "ping")).isEqualTo("pong");
        assertThat(outboxBytes()).isZero();
    }

    @Test
    void anAnswerThatFindsTheOutboxFullIsDroppedAndCounted() {
        startPair(TlsOptions.off());
        // the other way round: alpha stops reading, beta fills its outbox to alpha, then alpha calls beta
        Pid quiet = a.spawn(Sink::new, ProcessOptions.defaults(), new AtomicLong());
        reading(a, b, false);
        fillUntilStuck(b, a, quiet);
        topUp(b, a, quiet);
        long full = b.network().stats(a.name()).outboxFull();

        // the call reaches beta, whose 16 KiB answer finds no room: dropped and counted, the caller times out
        assertThatThrownBy(() -> a.call(sink, new byte[16 * 1024], Duration.ofMillis(500)))
                .isInstanceOf(CallTimeoutException.class);
        await().atMost(WAIT).until(() -> b.network().stats(a.name()).outboxFull() == full + 1);

        reading(a, b, true);
        await().atMost(WAIT).until(() -> outboxBytes(b, a) == 0);
        assertThat(a.call(sink, "ping")).as("the answering process lived on").isEqualTo("pong");
    }

    @Test
    void theWaterMarksStayWellInsideTheOutbox() {
        var big = NetworkService.waterMark(64L << 20);
        assertThat(big.high()).isEqualTo(1 << 20);
        assertThat(big.low()).isEqualTo(256 << 10);
        var small = NetworkService.waterMark(CAP);
        assertThat(small.high()).isEqualTo(256 << 10);
        assertThat(small.low()).isEqualTo(64 << 10);
    }
}
