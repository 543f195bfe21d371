package services.ergo.saturn.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import services.ergo.saturn.protocol.Codec;
import services.ergo.saturn.protocol.Message;
import services.ergo.saturn.protocol.NodeEntry;
import services.ergo.saturn.protocol.Proofs;

/**
 * A first look at scale, not the benchmark: N blocking clients (a thread each) and the server in one JVM. All
 * connect at once (cold start: until every client holds revision N), then one client changes its entry R times
 * and each round's propagation to the last client is timed. Run by hand:
 * {@code java -cp <test classpath> services.ergo.saturn.server.SaturnScaleProbe 2000 20}.
 */
public final class SaturnScaleProbe {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (SaturnServer server = SaturnServer.start(SaturnServerOptions.defaults()
                .withClusters(Map.of("prod", SaturnServerTest.TOKEN))
                .withAdmission(0, 1)
                .withTtl(Duration.ofSeconds(60))
                .withHandshakeTimeout(Duration.ofSeconds(60)))) {
            long[] ready = new long[n];
            long[][] seen = new long[rounds][n];
            CountDownLatch coldDone = new CountDownLatch(n);
            CountDownLatch[] roundDone = new CountDownLatch[rounds];
            for (int k = 0; k < rounds; k++) {
                roundDone[k] = new CountDownLatch(n);
            }
            List<RawClient> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                clients.add(null);
            }
            long t0 = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                Thread t = new Thread(
                        () -> {
                            try {
                                RawClient c = new RawClient(server.port(), 0, Proofs.random(Codec.INCARNATION_BYTES));
                                c.socket.setSoTimeout(120_000);
                                clients.set(id, c);
                                String name = "n" + id + "@h";
                                Message m = c.register(
                                        "prod", SaturnServerTest.TOKEN, name, RawClient.entry(name, 1000 + id % 60000));
                                if (!(m instanceof Message.Welcome)) {
                                    throw new IllegalStateException(name + ": " + m);
                                }
                                c.readUntil(n);
                                ready[id] = System.nanoTime();
                                coldDone.countDown();
                                for (int k = 0; k < rounds; k++) {
                                    c.readUntil(n + k + 1);
                                    seen[k][id] = System.nanoTime();
                                    roundDone[k].countDown();
                                }
                            } catch (Exception e) {
                                System.err.println("client " + id + ": " + e);
                            }
                        },
                        "client-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
            threads.forEach(Thread::start);
            if (!coldDone.await(120, TimeUnit.SECONDS)) {
                System.out.println("cold start: not all within 120 s: " + coldDone.getCount() + " left");
                return;
            }
            long[] cold = Arrays.stream(ready).map(r -> r - t0).sorted().toArray();
            System.out.printf(
                    "N=%d cold start: 99%% at %.0f ms, 100%% at %.0f ms%n",
                    n, cold[(int) (n * 0.99) - 1] / 1e6, cold[n - 1] / 1e6);
            RawClient writer = clients.get(0);
            long[] last = new long[rounds];
            long[] p50 = new long[rounds];
            for (int k = 0; k < rounds; k++) {
                long sent = System.nanoTime();
                writer.send(
                        new Message.Update(new NodeEntry("n0@h", "127.0.0.1", 1000, Map.of("k", "" + k), List.of())));
                roundDone[k].await(60, TimeUnit.SECONDS);
                int round = k;
                long[] lat = Arrays.stream(seen[k]).map(s -> s - sent).sorted().toArray();
                last[round] = lat[n - 1];
                p50[round] = lat[n / 2];
                Thread.sleep(50); // between rounds, so that each measures one change alone
            }
            Arrays.sort(last);
            Arrays.sort(p50);
            System.out.printf(
                    "N=%d one change to all: median of rounds p50 %.1f ms, to the last client %.1f ms"
                            + " (median), %.1f ms (worst of %d rounds)%n",
                    n, p50[rounds / 2] / 1e6, last[rounds / 2] / 1e6, last[rounds - 1] / 1e6, rounds);
            System.out.printf(
                    "delta frames %d, changes encoded %d, snapshots %d%n",
                    server.counters().deltaFrames.get(),
                    server.counters().changesEncoded.get(),
                    server.counters().snapshots.get());
            for (RawClient c : clients) {
                c.close();
            }
        }
    }
}
