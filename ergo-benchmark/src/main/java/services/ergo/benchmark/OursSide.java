package services.ergo.benchmark;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;

/** The local scenarios on our node, with its default options but the network off (they need none). */
final class OursSide implements Side {

    @Override
    public List<Measurement> run(String scenario, Sizes sizes) throws Exception {
        Node node = Ergo.startNode(
                "bench@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
        try {
            return switch (scenario) {
                case "local-tell-1to1" -> List.of(tell(node, 1, sizes));
                case "local-tell-2to2" -> List.of(tell(node, 2, sizes));
                case "local-call" -> call(node, sizes);
                case "spawn-memory" -> List.of(spawnMemory(node, sizes));
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
        } finally {
            node.stopForce();
        }
    }

    record Go(Pid receiver, int count) {}

    static final class Receiver extends Actor {
        private CountDownLatch done;
        private int expected;
        private int n;

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            Object[] r = (Object[]) request;
            done = (CountDownLatch) r[0];
            expected = (Integer) r[1];
            n = 0;
            return "ready";
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            if (++n == expected) {
                done.countDown();
            }
        }
    }

    static final class Sender extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) {
            Go go = (Go) message;
            Pid to = go.receiver();
            for (int i = 0; i < go.count(); i++) {
                send(to, i);
            }
        }
    }

    private static Measurement tell(Node node, int pairs, Sizes sizes) throws Exception {
        List<Pid> senders = new ArrayList<>();
        List<Pid> receivers = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            senders.add(node.spawn(Sender::new, ProcessOptions.defaults()));
            receivers.add(node.spawn(Receiver::new, ProcessOptions.defaults()));
        }
        int perPair = sizes.messages() / pairs;
        double rate = 0;
        for (int round = 0; round <= sizes.warmups(); round++) {
            CountDownLatch done = new CountDownLatch(pairs);
            for (Pid r : receivers) {
                node.call(r, new Object[] {done, perPair});
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < pairs; i++) {
                node.send(senders.get(i), new Go(receivers.get(i), perPair));
            }
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("tell did not finish");
            }
            rate = (double) perPair * pairs / ((System.nanoTime() - t0) / 1e9);
        }
        return new Measurement(pairs == 1 ? "local-tell-1to1" : "local-tell-2to2", rate / 1e6, "Mmsg/s", true);
    }

    static final class Echo extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return request;
        }
    }

    /** Calls the echo process {@code count} times in its handler, one call in flight, recording each round trip. */
    static final class Caller extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            Object[] r = (Object[]) request;
            Pid echo = (Pid) r[0];
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

    private static List<Measurement> call(Node node, Sizes sizes) {
        Pid echo = node.spawn(Echo::new, ProcessOptions.defaults());
        Pid caller = node.spawn(Caller::new, ProcessOptions.defaults());
        Histogram h = null;
        for (int round = 0; round <= sizes.warmups(); round++) {
            h = (Histogram) node.call(caller, new Object[] {echo, sizes.calls()}, Duration.ofMinutes(5));
        }
        return latencies(h);
    }

    static List<Measurement> latencies(Histogram nanos) {
        return List.of(
                new Measurement("local-call-p50", nanos.getValueAtPercentile(50) / 1000.0, "us", false),
                new Measurement("local-call-p99", nanos.getValueAtPercentile(99) / 1000.0, "us", false));
    }

    static final class Idle extends Actor {}

    private static Measurement spawnMemory(Node node, Sizes sizes) {
        long before = heapAfterGc();
        for (int i = 0; i < sizes.processes(); i++) {
            node.spawn(Idle::new, ProcessOptions.defaults());
        }
        long after = heapAfterGc();
        if (node.info().processesTotal() != sizes.processes()) {
            throw new IllegalStateException("expected " + sizes.processes() + " processes");
        }
        return new Measurement("spawn-memory", (after - before) / (double) sizes.processes(), "B", false);
    }

    static long heapAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
