package services.ergo.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.CallResult;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.NetworkStats;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.registrar.EmbeddedRegistrar;

/**
 * Network scenarios on our nodes, two JVMs on loopback. One-way throughput uses the same flow control as the Pekko
 * side: {@value #IN_FLIGHT} × {@value #BURST} messages unacknowledged in all (split among the senders).
 */
final class OursNetwork {
    static final int BURST = 1000;
    static final int IN_FLIGHT = 3;
    static final int SENDERS = 4;
    static final int CALLERS = 64;

    private OursNetwork() {}

    private static Node node(String name) {
        return Ergo.startNode(
                name,
                NodeOptions.builder()
                        .cookie("bench")
                        // each node a registrar of its own: the peer is found by a static route
                        .registrar(() -> new EmbeddedRegistrar(
                                EmbeddedRegistrar.Options.defaults().withPort(0)))
                        .network(NetworkOptions.on().withPort(0))
                        .build());
    }

    /** Counts what arrives and acknowledges every burst to whoever started the run. */
    static final class Receiver extends Actor {
        private Pid ackTo;
        private long count;
        private long expected;
        private long burst;

        @Override
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof String start) { // a new run: "start:<total>:<burst>"
                String[] p = start.split(":");
                ackTo = from;
                expected = Long.parseLong(p[1]);
                burst = Long.parseLong(p[2]);
                count = 0;
                send(ackTo, 0L);
                return;
            }
            count++;
            if (count % burst == 0 || count == expected) {
                send(ackTo, count);
            }
        }
    }

    static final class Echo extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return request;
        }
    }

    static void peer(String scenario) throws Exception {
        Node node = node("peer@localhost");
        for (int i = 0; i < SENDERS; i++) {
            node.spawnRegister("receiver" + i, Receiver::new, ProcessOptions.defaults());
        }
        node.spawnRegister("echo", Echo::new, ProcessOptions.defaults());
        System.out.println("READY " + node.network().acceptor().port());
        node.await();
    }

    /** Sends {@code total} messages to a remote receiver in bursts, completing when all are acknowledged. */
    static final class Sender extends Actor {
        private ProcessId to;
        private long total;
        private long sent;
        private long burst;
        private Object payload;
        private CompletableFuture<Long> done;

        @Override
        @SuppressWarnings("unchecked")
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof Object[] start) {
                to = (ProcessId) start[0];
                total = (Long) start[1];
                payload = start[2];
                done = (CompletableFuture<Long>) start[3];
                burst = (Long) start[4];
                sent = 0;
                send(to, "start:" + total + ":" + burst);
            } else if (message instanceof Long acked) {
                if (acked == total) {
                    done.complete(System.nanoTime());
                    return;
                }
                long window = acked + IN_FLIGHT * burst;
                while (sent < total && sent < window) {
                    send(to, payload);
                    sent++;
                }
            }
        }
    }

    /** Sequential blocking calls, each round trip recorded. */
    static final class Caller extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            Object[] r = (Object[]) request;
            ProcessId echo = (ProcessId) r[0];
            int count = (Integer) r[1];
            Histogram h = new Histogram(3);
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                call(echo, i);
                h.recordValue(System.nanoTime() - t0);
            }
            return h;
        }
    }

    /** One call in flight at a time, without blocking: the next call goes out when the answer arrives. */
    static final class AsyncCaller extends Actor {
        private ProcessId echo;
        private int left;
        private CompletableFuture<Long> done;

        @Override
        @SuppressWarnings("unchecked")
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof Object[] start) {
                echo = (ProcessId) start[0];
                left = (Integer) start[1];
                done = (CompletableFuture<Long>) start[2];
                callAsync(echo, left, Duration.ofSeconds(30));
            } else if (message instanceof CallResult result) {
                if (result.error() != null) {
                    done.completeExceptionally(result.error());
                } else if (--left == 0) {
                    done.complete(System.nanoTime());
                } else {
                    callAsync(echo, left, Duration.ofSeconds(30));
                }
            }
        }
    }

    static List<Measurement> run(String scenario, Side.Sizes sizes, String mode) throws Exception {
        try (Peer peer = Peer.start("ours", scenario, mode)) {
            Node node = node("bench@localhost");
            try {
                node.network().addRoute("peer@localhost", new NetworkRoute("localhost", peer.port));
                return switch (scenario) {
                    case "network-tell-1to1" -> tell(node, sizes, 1, 1, scenario);
                    case "network-tell-1to1-100b" -> tell(node, sizes, new byte[100], 1, scenario);
                    case "network-tell-1to1-1kb" -> tell(node, sizes, new byte[1024], 1, scenario);
                    case "network-tell-4to4" -> tell(node, sizes, 1, SENDERS, scenario);
                    case "network-call-rtt" -> rtt(node, sizes);
                    case "network-call-64" -> List.of(calls(node, sizes));
                    default -> throw new IllegalArgumentException(scenario);
                };
            } finally {
                node.stopForce();
            }
        }
    }

    /**
     * {@code senders} senders, each to its own receiver, each sending its share of the messages; the rate is of all
     * of them together. Also reports how many messages went out per socket write.
     */
    private static List<Measurement> tell(Node node, Side.Sizes sizes, Object payload, int senders, String metric)
            throws Exception {
        long each = sizes.networkMessages() / senders;
        long burst = BURST / senders; // the same number in flight in all, whatever the number of senders
        List<Pid> pids = new java.util.ArrayList<>();
        for (int i = 0; i < senders; i++) {
            pids.add(node.spawn(Sender::new, ProcessOptions.defaults()));
        }
        double rate = 0;
        double perWrite = 0;
        for (int round = 0; round <= sizes.warmups(); round++) {
            NetworkStats before = node.network().stats("peer@localhost");
            List<CompletableFuture<Long>> done = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < senders; i++) {
                CompletableFuture<Long> d = new CompletableFuture<>();
                done.add(d);
                ProcessId receiver = new ProcessId("receiver" + i, "peer@localhost");
                node.send(pids.get(i), new Object[] {receiver, each, payload, d, burst});
            }
            long t1 = 0;
            for (CompletableFuture<Long> d : done) {
                t1 = Math.max(t1, d.get(5, TimeUnit.MINUTES));
            }
            rate = each * senders / ((t1 - t0) / 1e9);
            NetworkStats after = node.network().stats("peer@localhost");
            long writes = after.writes() - before.writes();
            perWrite = writes == 0 ? 0 : (double) (after.messagesOut() - before.messagesOut()) / writes;
        }
        return List.of(
                new Measurement(metric, rate / 1e6, "Mmsg/s", true),
                new Measurement(metric + "-msgs-per-write", perWrite, "msg/write", true));
    }

    private static List<Measurement> rtt(Node node, Side.Sizes sizes) {
        Pid caller = node.spawn(Caller::new, ProcessOptions.defaults());
        ProcessId echo = new ProcessId("echo", "peer@localhost");
        Histogram h = null;
        for (int round = 0; round <= sizes.warmups(); round++) {
            h = (Histogram) node.call(caller, new Object[] {echo, sizes.networkCalls()}, Duration.ofMinutes(5));
        }
        return List.of(
                new Measurement("network-call-rtt-p50", h.getValueAtPercentile(50) / 1000.0, "us", false),
                new Measurement("network-call-rtt-p99", h.getValueAtPercentile(99) / 1000.0, "us", false));
    }

    /** {@value #CALLERS} callers, one call in flight each; calls per second of all together. */
    private static Measurement calls(Node node, Side.Sizes sizes) throws Exception {
        ProcessId echo = new ProcessId("echo", "peer@localhost");
        int each = Math.max(1, sizes.networkCalls() * 10 / CALLERS);
        List<Pid> pids = new java.util.ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            pids.add(node.spawn(AsyncCaller::new, ProcessOptions.defaults()));
        }
        double rate = 0;
        for (int round = 0; round <= sizes.warmups(); round++) {
            List<CompletableFuture<Long>> done = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            for (Pid p : pids) {
                CompletableFuture<Long> d = new CompletableFuture<>();
                done.add(d);
                node.send(p, new Object[] {echo, each, d});
            }
            long t1 = 0;
            for (CompletableFuture<Long> d : done) {
                t1 = Math.max(t1, d.get(5, TimeUnit.MINUTES));
            }
            rate = (double) each * CALLERS / ((t1 - t0) / 1e9);
        }
        return new Measurement("network-call-64", rate / 1e3, "Kcall/s", true);
    }
}
