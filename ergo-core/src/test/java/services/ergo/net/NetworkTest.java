package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.ErgoException;
import services.ergo.gen.MessageDownPid;
import services.ergo.gen.MessageExitPid;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NoConnectionException;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;
import services.ergo.testing.Reporter;
import services.ergo.testing.TestRegistrar;

class NetworkTest {
    record Job(long id, String payload, List<String> tags) {}

    record Done(long id, Pid by) {}

    record Unregistered(int x) {}

    private Node a;
    private Node b;

    private static Node start(String name, String cookie) {
        return Ergo.startNode(
                name,
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .cookie(cookie)
                        .callTimeout(Duration.ofSeconds(3))
                        .network(NetworkOptions.on().withPort(0).withMaxMessageSize(64 * 1024))
                        .build());
    }

    private void startPair(String cookieA, String cookieB) {
        a = start("alpha@localhost", cookieA);
        b = start("beta@localhost", cookieB);
        for (Node n : List.of(a, b)) {
            n.network().registerType(Job.class);
            n.network().registerType(Done.class);
        }
        a.network().addRoute(b.name(), b.network().acceptor());
        b.network().addRoute(a.name(), a.network().acceptor());
    }

    @AfterEach
    void stop() {
        for (Node n : new Node[] {a, b}) {
            if (n != null) {
                n.stopForce();
            }
        }
    }

    /** Answers a Job call with Done, and on a Job message sends Done back to the sender. */
    static final class Worker extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof Job job) {
                send(from, new Done(job.id(), pid()));
            }
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            Job job = (Job) request;
            return new Done(job.id(), pid());
        }
    }

    /** Hands what it receives to the test; on a {target, message} array it sends the message itself. */
    static final class Relay extends Reporter {
        @Override
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof Object[] cmd) {
                send(cmd[0], cmd[1]);
            } else {
                report(message);
            }
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            Object[] cmd = (Object[]) request;
            return call(cmd[0], cmd[1]);
        }
    }

    @Test
    void messagesAndCallsCrossNodesByPidAndByName() throws Exception {
        startPair("secret", "secret");
        Pid worker = b.spawnRegister("worker", Worker::new, ProcessOptions.defaults());
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        Pid relay = a.spawn(Relay::new, ProcessOptions.defaults(), got);

        a.send(relay, new Object[] {new ProcessId("worker", b.name()), new Job(1, "x", List.of("t"))});
        Done done = (Done) got.poll(5, TimeUnit.SECONDS);
        assertThat(done).isEqualTo(new Done(1, worker));

        Object answer = a.call(relay, new Object[] {worker, new Job(2, "y", List.of())});
        assertThat(answer).isEqualTo(new Done(2, worker));
        assertThat(a.call(new ProcessId("worker", b.name()), new Job(3, "z", List.of())))
                .isEqualTo(new Done(3, worker));

        for (int i = 0; i < 10_000; i++) {
            a.send(relay, new Object[] {worker, new Job(i, "", List.of())});
        }
        for (int i = 0; i < 10_000; i++) {
            Done d = (Done) got.poll(5, TimeUnit.SECONDS);
            assertThat(d)
                    .as(
                            "answer %d of 10000; stats a→b %s, b→a %s",
                            i, a.network().stats(b.name()), b.network().stats(a.name()))
                    .isNotNull();
            assertThat(d.id()).as("in order").isEqualTo(i);
        }
        assertThat(a.network().nodes()).containsExactly(b.name());
        assertThat(b.network().nodes()).containsExactly(a.name());
        assertThat(a.network().stats(b.name()).messagesOut()).isGreaterThanOrEqualTo(10_002);
    }

    /** Links or monitors on command ({"link"|"monitor"|"trap", target}) and hands what it receives to the test. */
    static final class Watcher extends Reporter {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            Object[] cmd = (Object[]) request;
            switch ((String) cmd[0]) {
                case "link" -> link(cmd[1]);
                case "trap" -> {
                    setTrapExit(true);
                    link(cmd[1]);
                }
                case "monitor" -> {
                    return monitor(cmd[1]);
                }
                case "demonitor" -> demonitor(cmd[1]);
                default -> throw new IllegalArgumentException(String.valueOf(cmd[0]));
            }
            return "ok";
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            if ("crash".equals(message)) {
                throw new IllegalStateException("watcher crashed");
            }
            report(message);
        }
    }

    /** Crashes on "crash". */
    static final class Fragile extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) {
            if ("crash".equals(message)) {
                throw new IllegalStateException("fragile crashed");
            }
        }
    }

    private static boolean alive(Node node, Pid pid) {
        try {
            node.processInfo(pid);
            return true;
        } catch (ProcessUnknownException e) {
            return false;
        }
    }

    @Test
    void linksAndMonitorsCrossNodesBothWays() throws Exception {
        startPair("secret", "secret");
        Pid fragile = b.spawn(Fragile::new, ProcessOptions.defaults());
        BlockingQueue<Object> monQ = new LinkedBlockingQueue<>();
        BlockingQueue<Object> trapQ = new LinkedBlockingQueue<>();
        Pid monitor = a.spawn(Watcher::new, ProcessOptions.defaults(), monQ);
        Pid trapper = a.spawn(Watcher::new, ProcessOptions.defaults(), trapQ);
        Ref ref = (Ref) a.call(monitor, new Object[] {"monitor", fragile});
        a.call(trapper, new Object[] {"trap", fragile});
        await().until(() -> b.processInfo(fragile).links().size() == 1
                && b.processInfo(fragile).monitoredBy().size() == 1);

        b.send(fragile, "crash");
        MessageDownPid down = (MessageDownPid) monQ.poll(5, TimeUnit.SECONDS);
        assertThat(down).isNotNull();
        assertThat(down.pid()).isEqualTo(fragile);
        assertThat(down.ref()).isEqualTo(ref);
        assertThat(down.reason().text()).contains("fragile crashed");
        MessageExitPid exit = (MessageExitPid) trapQ.poll(5, TimeUnit.SECONDS);
        assertThat(exit).isNotNull();
        assertThat(exit.pid()).isEqualTo(fragile);

        // the other way: a local crash takes a linked remote process with it
        Pid remoteVictim = b.spawn(Fragile::new, ProcessOptions.defaults());
        Pid linker = a.spawn(Watcher::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());
        a.call(linker, new Object[] {"link", remoteVictim});
        await().until(() -> b.processInfo(remoteVictim).links().contains(linker));
        a.send(linker, "crash");
        await().until(() -> !alive(b, remoteVictim));

        // a remote process that does not exist answers a monitor with noproc
        Pid ghost = new Pid(b.name(), 999_999, b.creation());
        a.call(monitor, new Object[] {"monitor", ghost});
        MessageDownPid noproc = (MessageDownPid) monQ.poll(5, TimeUnit.SECONDS);
        assertThat(noproc.reason()).isEqualTo(Reason.NO_PROCESS);
    }

    @Test
    void losingTheConnectionTellsLinksAndMonitorsWithNoConnection() throws Exception {
        startPair("secret", "secret");
        Pid far = b.spawn(Fragile::new, ProcessOptions.defaults());
        BlockingQueue<Object> monQ = new LinkedBlockingQueue<>();
        BlockingQueue<Object> trapQ = new LinkedBlockingQueue<>();
        Pid monitor = a.spawn(Watcher::new, ProcessOptions.defaults(), monQ);
        Pid trapper = a.spawn(Watcher::new, ProcessOptions.defaults(), trapQ);
        Pid plain = a.spawn(Watcher::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());
        a.call(monitor, new Object[] {"monitor", far});
        a.call(trapper, new Object[] {"trap", far});
        a.call(plain, new Object[] {"link", far});
        await().until(() -> b.processInfo(far).links().size() == 2);

        long t0 = System.nanoTime();
        a.network().disconnect(b.name()); // the processes live on; only the connection is gone
        MessageDownPid down = (MessageDownPid) monQ.poll(5, TimeUnit.SECONDS);
        MessageExitPid exit = (MessageExitPid) trapQ.poll(5, TimeUnit.SECONDS);
        assertThat(down.reason()).isEqualTo(Reason.NO_CONNECTION);
        assertThat(exit.reason()).isEqualTo(Reason.NO_CONNECTION);
        await().until(() -> !alive(a, plain));
        System.out.printf("connection loss noticed in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(alive(a, monitor)).isTrue();
        await().until(() -> a.network().nodes().isEmpty());
        await().until(() -> !alive(b, far)); // its links to alpha broke the same way on beta's side
    }

    /** Takes calls and never answers them. */
    static final class Silent extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return null;
        }
    }

    @Test
    void callsWaitingOnALostNodeFailAtOnce() throws Exception {
        startPair("secret", "secret");
        b.spawnRegister("silent", Silent::new, ProcessOptions.defaults());
        Pid relay = a.spawn(Relay::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());
        ProcessId silent = new ProcessId("silent", b.name());
        a.network().connect(b.name());
        java.util.concurrent.CompletableFuture<Throwable> fromThread =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        a.call(silent, new Job(1, "", List.of()), Duration.ofSeconds(30));
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                });
        java.util.concurrent.CompletableFuture<Throwable> fromProcess =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        a.call(relay, new Object[] {silent, new Job(2, "", List.of())}, Duration.ofSeconds(30));
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                });
        await().until(() -> b.processInfo(b.whereIs("silent")).messagesIn() == 2);
        long t0 = System.nanoTime();
        a.network().disconnect(b.name());
        assertThat(fromThread.get(5, TimeUnit.SECONDS))
                .isInstanceOf(NoConnectionException.class)
                .hasMessageContaining("lost while waiting");
        // the relay's own call failed the same way, which ended the relay: its caller learns that at once too
        assertThat(fromProcess.get(5, TimeUnit.SECONDS))
                .isInstanceOf(services.ergo.gen.ProcessTerminatedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aWrongCookieIsRefusedAtOnceAndCounted() {
        startPair("secret", "other");
        b.spawnRegister("worker", Worker::new, ProcessOptions.defaults());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> a.send(new ProcessId("worker", b.name()), new Job(1, "", List.of())))
                .isInstanceOf(NoConnectionException.class)
                .hasMessageContaining("wrong cookie");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(a.network().stats(null).handshakeFailures()).isPositive();
        await().until(() -> b.network().stats(null).handshakeFailures() > 0);
        assertThat(a.network().nodes()).isEmpty();
    }

    record Late(String what) {}

    @Test
    void aTypeRegisteredAfterMessagesFlowedStillTravelsBothWays() {
        startPair("secret", "secret");
        Pid worker = b.spawnRegister("worker", Worker::new, ProcessOptions.defaults());
        assertThat(a.call(worker, new Job(1, "before", List.of()))).isNotNull(); // both codecs have been used
        for (Node n : List.of(a, b)) {
            n.network().registerType(Late.class);
        }
        Pid echo = b.spawnRegister("echo", Echo::new, ProcessOptions.defaults());
        assertThat(a.call(echo, new Late("after"))).isEqualTo(new Late("after"));
    }

    /** Answers a call with the request itself. */
    static final class Echo extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return request;
        }
    }

    @Test
    void unknownTypesUnknownProcessesAndOversizedMessagesFailAtTheSender() {
        startPair("secret", "secret");
        Pid worker = b.spawnRegister("worker", Worker::new, ProcessOptions.defaults());
        assertThatThrownBy(() -> a.send(worker, new Unregistered(1)))
                .isInstanceOf(ErgoException.class)
                .hasMessageContaining(Unregistered.class.getName())
                .hasMessageContaining("registerType");
        assertThatThrownBy(() -> a.call(new ProcessId("nobody", b.name()), new Job(1, "", List.of())))
                .isInstanceOf(ProcessUnknownException.class)
                .hasMessageContaining("nobody");
        String big = "x".repeat(100 * 1024);
        assertThatThrownBy(() -> a.send(worker, new Job(1, big, List.of())))
                .hasMessageContaining("larger than")
                .hasMessageContaining("maxMessageSize");
        assertThatThrownBy(() -> a.send(new ProcessId("w", "ghost@nowhere"), "x"))
                .isInstanceOf(NoConnectionException.class)
                .hasMessageContaining("no route");
        assertThat(a.call(worker, new Job(9, "", List.of()))).isEqualTo(new Done(9, worker));
    }

    @Test
    void garbageAtTheAcceptorClosesThatConnectionOnlyAndTheNodeServesOn() throws Exception {
        startPair("secret", "secret");
        Pid worker = b.spawnRegister("worker", Worker::new, ProcessOptions.defaults());
        int port = b.network().acceptor().port();
        byte[][] attacks = {
            {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3}, // a 2 GiB length prefix
            {0, 0, 0, 5, 99, 1, 2, 3, 4}, // unknown frame type before the handshake
            {0, 0, 0, 3, Wire.HELLO, 0x45, 0x52}, // truncated hello
            {0, 0, 0, 1, Wire.SEND}, // a message before the handshake
        };
        for (byte[] attack : attacks) {
            try (Socket s = new Socket("localhost", port)) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(attack);
                out.flush();
                InputStream in = s.getInputStream();
                int r;
                do {
                    r = in.read(); // the node answers with at most a reject, then closes
                } while (r >= 0);
            }
        }
        await().until(() -> b.network().stats(null).handshakeFailures() >= attacks.length);
        assertThat(a.call(worker, new Job(1, "", List.of()))).isEqualTo(new Done(1, worker));
    }

    @Test
    void aHandshakeThatNeverComesIsCutAfterTheTimeout() throws Exception {
        a = Ergo.startNode(
                "slow@localhost",
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .network(NetworkOptions.on().withPort(0).withHandshakeTimeout(Duration.ofMillis(300)))
                        .build());
        try (Socket s = new Socket("localhost", a.network().acceptor().port())) {
            s.setSoTimeout(5000);
            long t0 = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
        assertThat(a.network().stats(null).handshakeFailures()).isEqualTo(1);
    }

    @Test
    void networkOptionsAreCheckedAndANodeWithTheNetworkOffStaysLocal() {
        assertThatThrownBy(() -> NetworkOptions.on().withPoolSize(0)).hasMessageContaining("poolSize must be 1..64");
        assertThatThrownBy(() -> NetworkOptions.on().withPort(70000)).hasMessageContaining("port must be 0..65535");
        assertThat(NodeOptions.defaults().network().enabled()).isTrue();
        Node plain = Ergo.startNode(
                "plain@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
        try {
            assertThatThrownBy(plain::network).hasMessageContaining("network of plain@localhost is off");
            assertThatThrownBy(() -> plain.send(new ProcessId("x", "other@host"), "hi"))
                    .isInstanceOf(NoConnectionException.class);
        } finally {
            plain.stop();
        }
        assertThat(Map.of()).isEmpty();
    }
}
