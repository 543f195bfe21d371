package services.ergo.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.registrar.EmbeddedRegistrar;

/**
 * Network scenarios on our nodes, two JVMs on loopback. One-way throughput uses the same flow control as the Pekko
 * side: bursts of {@value #BURST} messages, at most {@value #IN_FLIGHT} bursts unacknowledged.
 */
final class OursNetwork {
    static final int BURST = 1000;
    static final int IN_FLIGHT = 3;

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

        @Override
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof Long total) { // a new run: how many will come
                ackTo = from;
                expected = total;
                count = 0;
                send(ackTo, 0L);
                return;
            }
            count++;
            if (count % BURST == 0 || count == expected) {
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
        node.spawnRegister("receiver", Receiver::new, ProcessOptions.defaults());
        node.spawnRegister("echo", Echo::new, ProcessOptions.defaults());
        System.out.println("READY " + node.network().acceptor().port());
        node.await();
    }

    /** Sends {@code total} ints to the remote receiver in bursts, completing when all are acknowledged. */
    static final class Sender extends Actor {
        private ProcessId to;
        private long total;
        private long sent;
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
                sent = 0;
                send(to, total);
            } else if (message instanceof Long acked) {
                if (acked == total) {
                    done.complete(System.nanoTime());
                    return;
                }
                long window = acked + (long) IN_FLIGHT * BURST;
                while (sent < total && sent < window) {
                    send(to, payload);
                    sent++;
                }
            }
        }
    }

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

    static List<Measurement> run(String scenario, Side.Sizes sizes, String mode) throws Exception {
        try (Peer peer = Peer.start("ours", scenario, mode)) {
            Node node = node("bench@localhost");
            try {
                node.network().addRoute("peer@localhost", new NetworkRoute("localhost", peer.port));
                return switch (scenario) {
                    case "network-tell-1to1" -> List.of(tell(node, sizes, 1, "network-tell-1to1"));
                    case "network-tell-1to1-1kb" -> List.of(tell(node, sizes, new byte[1024], "network-tell-1to1-1kb"));
                    case "network-call-rtt" -> rtt(node, sizes);
                    default -> throw new IllegalArgumentException(scenario);
                };
            } finally {
                node.stopForce();
            }
        }
    }

    private static Measurement tell(Node node, Side.Sizes sizes, Object payload, String metric) throws Exception {
        Pid sender = node.spawn(Sender::new, ProcessOptions.defaults());
        ProcessId receiver = new ProcessId("receiver", "peer@localhost");
        double rate = 0;
        for (int round = 0; round <= sizes.warmups(); round++) {
            CompletableFuture<Long> done = new CompletableFuture<>();
            long t0 = System.nanoTime();
            node.send(sender, new Object[] {receiver, (long) sizes.networkMessages(), payload, done});
            long t1 = done.get(5, TimeUnit.MINUTES);
            rate = sizes.networkMessages() / ((t1 - t0) / 1e9);
        }
        return new Measurement(metric, rate / 1e6, "Mmsg/s", true);
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
}
