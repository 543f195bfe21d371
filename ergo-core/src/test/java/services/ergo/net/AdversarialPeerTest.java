package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.MessageDown;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.NoConnectionException;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarInfo;
import services.ergo.node.MailboxQueue;
import services.ergo.testing.TestRegistrar;

/**
 * A peer that completes the handshake with the right cookie and then writes forged frames straight into its
 * lanes, past its own node's checks: one test per attack of the security review, each asserting that the node
 * refused it, counted it and still serves an honest peer.
 */
class AdversarialPeerTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Map<String, List<Object>> RECEIVED = new ConcurrentHashMap<>();

    private final List<Node> nodes = new ArrayList<>();
    private final String run = "adv" + SEQ.incrementAndGet();

    /** Keeps every message it gets, under its registered name; answers calls with the request. */
    static final class Recorder extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) {
            RECEIVED.computeIfAbsent(self().name(), k -> new CopyOnWriteArrayList<>())
                    .add(message);
        }

        @Override
        protected Object handleCall(Pid from, services.ergo.gen.Ref ref, Object request) {
            return request;
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(Node::stopForce);
    }

    private Node start(String name) {
        return start(name, NetworkOptions.on().withPort(0), TestRegistrar.shared());
    }

    private Node start(String name, NetworkOptions network, Supplier<? extends Registrar> registrar) {
        Node n = Ergo.startNode(
                name + "-" + run + "@localhost",
                NodeOptions.builder()
                        .registrar(registrar)
                        .cookie("adversary")
                        .network(network)
                        .build());
        nodes.add(n);
        return n;
    }

    private static NetworkService net(Node n) {
        return (NetworkService) n.network();
    }

    /** An authenticated lane from {@code from} to {@code to}, to write raw frames into. */
    private static Lane lane(Node from, Node to) {
        net(from).connect(to.name());
        return net(from).lanes(to.name()).get(0);
    }

    private static void write(Lane lane, ByteBuf frame) {
        lane.channel.writeAndFlush(NetworkService.sealed(frame)).syncUninterruptibly();
    }

    private static ByteBuf frame(byte type) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(0);
        b.writeByte(type);
        return b;
    }

    private static ByteBuf send(Pid from, Object to, Object message) {
        ByteBuf b = frame(Wire.SEND);
        Wire.writePid(b, from);
        Wire.writeTarget(b, to);
        b.writeByte(MailboxQueue.MAIN.wire());
        new ForyCodec().encode(message, b);
        return b;
    }

    private static Pid pidOf(Node n, long id) {
        return new Pid(n.name(), id, n.creation());
    }

    private static List<Object> received(String name) {
        return RECEIVED.getOrDefault(name, List.of());
    }

    /** The honest peer still gets answers from the target. */
    private static void stillServes(Node honest, Node target) {
        String echo = "echo-" + SEQ.incrementAndGet();
        target.spawnRegister(echo, Recorder::new, ProcessOptions.defaults());
        assertThat(honest.call(new ProcessId(echo, target.name()), "ping", Duration.ofSeconds(5)))
                .isEqualTo("ping");
    }

    /**
     * Writes {@code marker} to {@code name} on the target over the same lane, after the attack: frames of one lane
     * are handled in order, so once the marker arrives the attack has been judged.
     */
    private static void markerAfter(Lane lane, Node attacker, Node target, String name) {
        write(lane, send(pidOf(attacker, 1), new ProcessId(name, target.name()), "marker"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received(name).contains("marker"));
    }

    // ------------------------------------------------------------------ H2: senders and allow-lists

    @Test
    void aFrameThatNamesAnotherNodesSenderClosesTheLane() {
        Node target = start("target");
        Node honest = start("honest");
        Node attacker = start("attacker");
        target.spawnRegister("inbox", Recorder::new, ProcessOptions.defaults());
        long before = target.network().stats(null).protocolErrors();

        Lane lane = lane(attacker, target);
        write(lane, send(honest.corePid(), new ProcessId("inbox", target.name()), "forged"));

        await().until(() -> !lane.channel.isActive());
        assertThat(target.network().stats(null).protocolErrors()).isEqualTo(before + 1);
        assertThat(received("inbox")).doesNotContain("forged");
        stillServes(honest, target);
        stillServes(attacker, target); // the attacker's node reconnects; its own processes may still talk
    }

    @Test
    void theSpawnAllowListChecksTheAuthenticatedPeerNotTheClaimedSender() {
        Node target = start("target");
        Node honest = start("honest");
        Node attacker = start("attacker");
        target.network().enableSpawn("worker", Recorder::new, honest.name());

        Lane lane = lane(attacker, target);
        ByteBuf spawn = frame(Wire.SPAWN);
        Wire.writePid(spawn, honest.corePid());
        Wire.writeRef(spawn, new Ref(honest.name(), 1_000_000, honest.creation()));
        Wire.writeString(spawn, "worker");
        Wire.writeString(spawn, "forged-worker");
        spawn.writeInt(0);
        new ForyCodec().encode(List.of(), spawn);
        write(lane, spawn);

        await().until(() -> !lane.channel.isActive());
        assertThat(target.whereIs("forged-worker")).isNull();
        // and named as itself, the attacker is refused by the list
        assertThatThrownBy(() -> attacker.network()
                        .node(target.name())
                        .spawnRegister("own-worker", "worker", ProcessOptions.defaults()))
                .hasMessageContaining("may not spawn");
        assertThat(honest.network().node(target.name()).spawn("worker", ProcessOptions.defaults()))
                .isNotNull();
    }

    static final class SlowInit extends Actor {
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Override
        protected void init(Object... args) throws Exception {
            RELEASE.await(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFloodOfSpawnsForASlowInitGetsABoundedPoolNotAThreadEach() {
        Node target = start("target");
        Node attacker = start("attacker");
        target.network().enableSpawn("slow", SlowInit::new);
        Lane lane = lane(attacker, target);
        try {
            for (int i = 0; i < 200; i++) {
                ByteBuf spawn = frame(Wire.SPAWN);
                Wire.writePid(spawn, attacker.corePid());
                Wire.writeRef(spawn, new Ref(attacker.name(), 2_000_000 + i, attacker.creation()));
                Wire.writeString(spawn, "slow");
                Wire.writeString(spawn, "");
                spawn.writeInt(0);
                new ForyCodec().encode(List.of(), spawn);
                write(lane, spawn);
            }
            // every spawn frame was handed to the pool once a message written after them arrives
            target.spawnRegister("spawn-marker", Recorder::new, ProcessOptions.defaults());
            markerAfter(lane, attacker, target, "spawn-marker");
            String pool = "ergo-" + target.name() + "-remote-ops";
            await().until(() -> threadsNamed(pool) == RemoteOperations.MAX_THREADS);
            assertThat(threadsNamed(pool)).isEqualTo(RemoteOperations.MAX_THREADS);
        } finally {
            SlowInit.RELEASE.countDown();
        }
        stillServes(attacker, target);
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name))
                .count();
    }

    // ------------------------------------------------------------------ H2: answers only from the called node

    /** Calls the attacker's echo first (which shows it a ref and the caller), then blocks in a call to the target. */
    static final class TwoCalls extends Actor {
        static final AtomicReference<Object> RESULT = new AtomicReference<>();

        @Override
        protected void handleMessage(Pid from, Object message) {
            Object[] targets = (Object[]) message;
            call(targets[0], "first");
            RESULT.set(call(targets[1], "second", Duration.ofSeconds(20)));
        }
    }

    static final class Spy extends Actor {
        static final AtomicReference<Object[]> SEEN = new AtomicReference<>();

        @Override
        protected Object handleCall(Pid from, services.ergo.gen.Ref ref, Object request) {
            SEEN.set(new Object[] {from, ref});
            return request;
        }
    }

    static final class Slow extends Actor {
        static final CountDownLatch ENTERED = new CountDownLatch(1);
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Override
        protected Object handleCall(Pid from, services.ergo.gen.Ref ref, Object request) throws Exception {
            ENTERED.countDown();
            RELEASE.await(20, TimeUnit.SECONDS);
            return "real";
        }
    }

    @Test
    void anAnswerFromANodeTheCallDidNotGoToIsIgnored() throws Exception {
        Node caller = start("caller");
        Node target = start("target");
        Node attacker = start("attacker");
        attacker.spawnRegister("spy", Spy::new, ProcessOptions.defaults());
        target.spawnRegister("slow", Slow::new, ProcessOptions.defaults());
        caller.spawnRegister("recorder", Recorder::new, ProcessOptions.defaults());
        Pid twoCalls = caller.spawn(TwoCalls::new, ProcessOptions.defaults());
        caller.send(
                twoCalls, new Object[] {new ProcessId("spy", attacker.name()), new ProcessId("slow", target.name())});

        await().until(() -> Spy.SEEN.get() != null);
        assertThat(Slow.ENTERED.await(10, TimeUnit.SECONDS)).isTrue();
        Pid victim = (Pid) Spy.SEEN.get()[0];
        Ref seen = (Ref) Spy.SEEN.get()[1];
        Lane lane = lane(attacker, caller);
        for (long id = seen.id() + 1; id <= seen.id() + 100; id++) {
            ByteBuf answer = frame(Wire.RESPONSE);
            Wire.writePid(answer, pidOf(attacker, 1));
            Wire.writePid(answer, victim);
            Wire.writeRef(answer, new Ref(seen.node(), id, seen.creation()));
            answer.writeByte(1);
            new ForyCodec().encode("forged", answer);
            write(lane, answer);
        }
        markerAfter(lane, attacker, caller, "recorder");
        Slow.RELEASE.countDown();

        await().until(() -> TwoCalls.RESULT.get() != null);
        assertThat(TwoCalls.RESULT.get()).isEqualTo("real");
        assertThat(caller.network().refusals().get(NetworkService.REFUSED_SIGNAL))
                .isPositive();
    }

    // ------------------------------------------------------------------ H2: downs and exits need relations

    @Test
    void aDownWithoutAMonitorAndAnExitWithoutALinkAreDropped() {
        Node target = start("target");
        Node attacker = start("attacker");
        Pid victim = target.spawnRegister("victim", Recorder::new, ProcessOptions.defaults());
        Lane lane = lane(attacker, target);

        ByteBuf down = frame(Wire.DOWN);
        Wire.writePid(down, pidOf(attacker, 1001));
        Wire.writeTarget(down, victim);
        Wire.writeRef(down, new Ref(target.name(), 7, target.creation()));
        Wire.writeString(down, "normal");
        write(lane, down);
        for (long id = 1000; id < 1100; id++) { // pids are sequential: an attacker counts through them
            ByteBuf exit = frame(Wire.EXIT);
            Wire.writePid(exit, pidOf(attacker, 1001));
            Wire.writeTarget(exit, pidOf(target, id));
            Wire.writeString(exit, "kill");
            Wire.writeString(exit, "");
            write(lane, exit);
        }
        markerAfter(lane, attacker, target, "victim");

        assertThat(received("victim")).noneMatch(m -> m instanceof MessageDown);
        assertThat(target.network().refusals().get(NetworkService.REFUSED_SIGNAL))
                .isGreaterThanOrEqualTo(2);
        assertThat(target.whereIs("victim")).isEqualTo(victim);
        assertThat(lane.channel.isActive()).isTrue(); // well-formed, and about its own processes: dropped, not fatal
    }

    // ------------------------------------------------------------------ H1: the event loops never wait

    /**
     * A registrar that holds a resolve of a name it does not know until the test releases it, as a UDP resolve of
     * a far host holds its caller.
     */
    static final class SlowRegistrar implements Registrar {
        final Registrar real = TestRegistrar.shared().get();
        final List<String> resolvedOn = new CopyOnWriteArrayList<>();
        final CountDownLatch released = new CountDownLatch(1);

        @Override
        public Optional<NetworkRoute> resolve(String node) {
            resolvedOn.add(Thread.currentThread().getName());
            Optional<NetworkRoute> route = real.resolve(node);
            if (route.isEmpty()) {
                // a resolve that cannot finish before the test lets it: on an event loop it would stall every lane
                try {
                    released.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return route;
        }

        @Override
        public void register(Node node, NetworkRoute route) {
            real.register(node, route);
        }

        @Override
        public void registerHidden(Node node) {
            real.registerHidden(node);
        }

        @Override
        public List<String> nodes() {
            return real.nodes();
        }

        @Override
        public RegistrarInfo info() {
            return real.info();
        }

        @Override
        public void terminate() {
            real.terminate();
        }
    }

    @Test
    void noFrameMakesTheEventLoopDialOrResolve() throws Exception {
        SlowRegistrar registrar = new SlowRegistrar();
        Node target = start("target", NetworkOptions.on().withPort(0), () -> registrar);
        Node honest = start("honest");
        Node attacker = start("attacker");
        target.spawnRegister("echo", Recorder::new, ProcessOptions.defaults());
        ProcessId echo = new ProcessId("echo", target.name());
        assertThat(honest.call(echo, "warm")).isEqualTo("warm");

        Thread flood = new Thread(() -> {
            for (int i = 0; i < 200 && !Thread.currentThread().isInterrupted(); i++) {
                try {
                    Lane lane = lane(attacker, target);
                    String ghost = "ghost" + i + "@localhost";
                    // the old consequences: answer a ghost's call, relay an answer, tell a ghost of a link
                    ByteBuf request = frame(Wire.REQUEST);
                    Wire.writePid(request, new Pid(ghost, 1001, 1));
                    Wire.writeTarget(request, new ProcessId("nobody", target.name()));
                    Wire.writeRef(request, new Ref(ghost, 1, 1));
                    new ForyCodec().encode("x", request);
                    write(lane, request);
                    ByteBuf link = frame(Wire.LINK);
                    Wire.writePid(link, pidOf(attacker, 1001));
                    Wire.writeTarget(link, new ProcessId("nobody", target.name()));
                    write(lane, link);
                } catch (RuntimeException closedUnderUs) {
                    // the target closes the lane on a forged sender; the next round dials again
                }
            }
        });
        flood.start();
        long worstMillis = 0;
        while (flood.isAlive()) {
            long t0 = System.nanoTime();
            assertThat(honest.call(echo, "during", Duration.ofSeconds(10))).isEqualTo("during");
            worstMillis = Math.max(worstMillis, (System.nanoTime() - t0) / 1_000_000);
        }
        flood.join();
        registrar.released.countDown();

        assertThat(registrar.resolvedOn).noneMatch(t -> t.startsWith(NetworkService.EVENT_LOOP_PREFIX));
        assertThat(worstMillis)
                .as("the honest node's slowest call during the flood")
                .isLessThan(1000);
        assertThat(target.network().stats(null).protocolErrors()).isPositive();
    }

    // ------------------------------------------------------------------ M2: a name a live connection holds

    @Test
    void aNameThatALiveConnectionHoldsIsNotTakenOver() {
        Node target = start("target");
        Node original = start("twin");
        original.spawnRegister("inbox", Recorder::new, ProcessOptions.defaults());
        stillServes(original, target);

        // another process with the same name and the cookie: a new creation, as a restarted node would have
        Node impostor = Ergo.startNode(
                original.name(),
                NodeOptions.builder()
                        .registrar(() -> new StaticRegistrar(target))
                        .cookie("adversary")
                        .network(NetworkOptions.on().withPort(0))
                        .build());
        nodes.add(impostor);
        assertThatThrownBy(() -> impostor.network().connect(target.name()))
                .isInstanceOf(NoConnectionException.class)
                .hasMessageContaining("is still up");
        assertThat(net(target).refusals("name-held")).isPositive();

        // the live node keeps its connection and its traffic
        target.send(new ProcessId("inbox", original.name()), "still mine");
        await().until(() -> received("inbox").contains("still mine"));
        assertThat(net(target).lanes(original.name())).allMatch(l -> l.peerCreation == original.creation());

        // once the old incarnation is gone, and its death reported, the new creation takes the name over
        String watcher = "watcher-" + run;
        target.spawnRegister(watcher, Monitorer::new, ProcessOptions.defaults(), original.whereIs("inbox"));
        await().until(() -> net(original).lanes(target.name()).size() == NetworkOptions.DEFAULT_POOL_SIZE);
        original.stopForce();
        // a down of the stopping process, or noconnection if the lanes went first: either way, before the takeover
        await().until(() -> received(watcher).stream().anyMatch(m -> m instanceof MessageDown));
        await().until(() -> net(target).lanes(original.name()).isEmpty());
        impostor.network().connect(target.name());
        assertThat(net(target).lanes(original.name())).allMatch(l -> l.peerCreation == impostor.creation());
    }

    /** Knows one node only, and registers nothing: the impostor must not disturb the shared registrar. */
    record StaticRegistrar(Node known) implements Registrar {
        @Override
        public Optional<NetworkRoute> resolve(String node) {
            return node.equals(known.name()) ? Optional.of(known.network().acceptor()) : Optional.empty();
        }

        @Override
        public void register(Node node, NetworkRoute route) {}

        @Override
        public void registerHidden(Node node) {}

        @Override
        public List<String> nodes() {
            return List.of(known.name());
        }

        @Override
        public RegistrarInfo info() {
            return new RegistrarInfo("static", false, false, false, false, false);
        }

        @Override
        public void terminate() {}
    }

    @Test
    void aPeerThatFallsSilentIsFoundByTheKeepaliveAndItsProcessesReportedDown() {
        NetworkOptions fast = NetworkOptions.on()
                .withPort(0)
                .withKeepaliveInterval(Duration.ofMillis(200))
                .withKeepaliveMisses(3);
        Node watcher = start("watcher", fast, TestRegistrar.shared());
        Node silent = start("silent", fast, TestRegistrar.shared());
        Pid far = silent.spawnRegister("far", Recorder::new, ProcessOptions.defaults());
        watcher.spawnRegister("inbox", Recorder::new, ProcessOptions.defaults());
        String monitorer = "monitorer-" + run;
        watcher.spawnRegister(monitorer, Monitorer::new, ProcessOptions.defaults(), far);
        await().until(() -> net(watcher).lanes(silent.name()).size() == fast.poolSize());

        // the watcher stops hearing anything from its peer, as from a frozen host: no bytes come in
        net(watcher).lanes(silent.name()).forEach(l -> l.channel.config().setAutoRead(false));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> received(monitorer).stream()
                        .anyMatch(m -> m instanceof MessageDown d
                                && "noconnection".equals(d.reason().text())));
        assertThat(net(watcher).refusals(NetworkService.REFUSED_SILENT_LANE)).isPositive();
    }

    static final class Monitorer extends Actor {
        @Override
        protected void init(Object... args) {
            monitor(args[0]);
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            RECEIVED.computeIfAbsent(self().name(), k -> new CopyOnWriteArrayList<>())
                    .add(message);
        }
    }

    // ------------------------------------------------------------------ M1, L3, L4: before authentication

    @Test
    void beforeTheHandshakeAFrameMayBeSmallAndHandshakesInProgressAreCapped() throws Exception {
        Node target = start(
                "target",
                NetworkOptions.on()
                        .withPort(0)
                        .withHandshakeTimeout(Duration.ofSeconds(20))
                        .withMaxPendingHandshakesPerAddress(4),
                TestRegistrar.shared());
        int port = target.network().acceptor().port();
        try (Socket big = new Socket("127.0.0.1", port)) {
            big.setSoTimeout(10_000);
            OutputStream out = big.getOutputStream();
            out.write(new byte[] {0, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // a frame of 16 MiB - 1
            out.write(new byte[1024]);
            out.flush();
            // closed at once, not held for the 20 s handshake timeout while 16 MiB arrive
            assertThat(big.getInputStream().read()).isEqualTo(-1);
        }
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                idle.add(new Socket("127.0.0.1", port));
            }
            await().until(() -> net(target).refusals("pending-handshakes") >= 6);
            assertThat(net(target).pendingHandshakes()).isLessThanOrEqualTo(4);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        await().until(() -> net(target).pendingHandshakes() == 0);
        stillServes(start("honest"), target);
    }

    @Test
    void aChallengeThatFailsIsNotFinishedByAnAcceptBehindIt() throws Exception {
        Node dialer = start("dialer", NetworkOptions.on().withPort(0).withPoolSize(1), TestRegistrar.shared());
        try (ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String fakeName = "fake-" + run + "@localhost";
            dialer.network().addRoute(fakeName, new NetworkRoute("127.0.0.1", fake.getLocalPort()));
            Thread acceptor = new Thread(() -> {
                try (Socket s = fake.accept()) {
                    InputStream in = s.getInputStream();
                    int len = new java.io.DataInputStream(in).readInt();
                    in.readNBytes(len); // the hello
                    ByteBuf both = frame(Wire.CHALLENGE);
                    both.writeByte(Wire.VERSION);
                    Wire.writeString(both, fakeName);
                    both.writeLong(1);
                    both.writeBytes(new byte[Wire.NONCE_BYTES]);
                    both.writeInt(65536);
                    both.writeBytes(new byte[32]); // a proof that is wrong
                    NetworkService.sealed(both);
                    ByteBuf accept = NetworkService.sealed(frame(Wire.ACCEPT));
                    both.writeBytes(accept);
                    s.getOutputStream().write(io.netty.buffer.ByteBufUtil.getBytes(both));
                    s.getOutputStream().flush();
                    in.read(); // until the dialer hangs up
                } catch (java.io.IOException ignored) {
                    // the dialer closed on us
                }
            });
            acceptor.start();
            assertThatThrownBy(() -> dialer.network().connect(fakeName)).hasMessageContaining("wrong cookie");
            acceptor.join(10_000);
            assertThat(dialer.network().stats(fakeName).connects()).isZero();
        }
    }

    @Test
    void aClaimedNameThatIsNoNodeNameIsRefusedAndNeverLoggedAsItIs() throws Exception {
        Node target = start("target");
        ch.qos.logback.classic.Logger log =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(NetworkService.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        try (Socket s = new Socket("127.0.0.1", target.network().acceptor().port())) {
            s.setSoTimeout(10_000);
            ByteBuf hello = frame(Wire.HELLO);
            hello.writeInt(Wire.MAGIC);
            hello.writeByte(Wire.VERSION);
            Wire.writeString(hello, "a@b\n12:00:00 WARN FAKE line");
            hello.writeLong(1);
            hello.writeBytes(new byte[Wire.NONCE_BYTES]);
            hello.writeInt(65536);
            s.getOutputStream().write(io.netty.buffer.ByteBufUtil.getBytes(NetworkService.sealed(hello)));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        } finally {
            await().until(() -> !lines.list.isEmpty());
            log.detachAppender(lines);
        }
        assertThat(lines.list).allMatch(e -> !e.getFormattedMessage().contains("\n"));
        assertThat(lines.list).anyMatch(e -> e.getFormattedMessage().contains("is not a node name"));
    }
}
