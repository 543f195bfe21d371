package services.ergo.benchmark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import scala.concurrent.Await;

/**
 * The network scenarios on Apache Pekko: classic actors over Artery TCP between two JVMs on loopback, with
 * Pekko's own serializers for the payloads (Integer, byte[]) and the same burst flow control as our side, which
 * Artery needs anyway: it drops messages when its outbound queue is full.
 */
final class PekkoNetwork {
    private PekkoNetwork() {}

    private static ActorSystem system(String name, int port) {
        Config config = ConfigFactory.parseString(""
                        + "pekko.loglevel = WARNING\n"
                        + "pekko.stdout-loglevel = WARNING\n"
                        + "pekko.log-dead-letters = off\n"
                        + "pekko.actor.provider = remote\n"
                        + "pekko.actor.allow-java-serialization = off\n"
                        + "pekko.remote.artery.transport = tcp\n"
                        + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n"
                        + "pekko.remote.artery.canonical.port = " + port + "\n")
                .withFallback(ConfigFactory.load());
        return ActorSystem.create(name, config);
    }

    /** Counts, and acknowledges every burst to the sender. */
    static final class Receiver extends AbstractActor {
        private long count;
        private long expected;
        private long burst;

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(
                            String.class,
                            start -> { // "start:<total>:<burst>"
                                String[] p = start.split(":");
                                expected = Long.parseLong(p[1]);
                                burst = Long.parseLong(p[2]);
                                count = 0;
                                getSender().tell(0L, getSelf());
                            })
                    .matchAny(m -> {
                        count++;
                        if (count % burst == 0 || count == expected) {
                            getSender().tell(count, getSelf());
                        }
                    })
                    .build();
        }
    }

    static final class Echo extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchAny(m -> getSender().tell(m, getSelf()))
                    .build();
        }
    }

    static void peer(String scenario) throws Exception {
        ActorSystem system = system("peer", 0);
        for (int i = 0; i < OursNetwork.SENDERS; i++) {
            system.actorOf(Props.create(Receiver.class), "receiver" + i);
        }
        system.actorOf(Props.create(Echo.class), "echo");
        int port = ((org.apache.pekko.actor.ExtendedActorSystem) system)
                .provider()
                .getDefaultAddress()
                .getPort()
                .get();
        System.out.println("READY " + port);
        Await.result(system.whenTerminated(), scala.concurrent.duration.Duration.Inf());
    }

    record Start(ActorSelection to, long total, Object payload, CompletableFuture<Long> done, long burst) {}

    static final class Sender extends AbstractActor {
        private Start run;
        private long sent;

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Start.class, s -> {
                        run = s;
                        sent = 0;
                        s.to().tell("start:" + s.total() + ":" + s.burst(), getSelf());
                    })
                    .match(Long.class, acked -> {
                        if (acked == run.total()) {
                            run.done().complete(System.nanoTime());
                            return;
                        }
                        long window = acked + (long) OursNetwork.IN_FLIGHT * run.burst();
                        while (sent < run.total() && sent < window) {
                            run.to().tell(run.payload(), getSelf());
                            sent++;
                        }
                    })
                    .build();
        }
    }

    record Calls(ActorSelection echo, int count, CompletableFuture<Histogram> done) {}

    /** One request in flight: a tell answered by a tell, each round trip recorded. */
    static final class Caller extends AbstractActor {
        private Calls run;
        private Histogram h;
        private int i;
        private long t0;

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Calls.class, c -> {
                        run = c;
                        h = new Histogram(3);
                        i = 0;
                        t0 = System.nanoTime();
                        c.echo().tell(i, getSelf());
                    })
                    .match(Integer.class, answer -> {
                        h.recordValue(System.nanoTime() - t0);
                        if (++i == run.count()) {
                            run.done().complete(h);
                            return;
                        }
                        t0 = System.nanoTime();
                        run.echo().tell(i, getSelf());
                    })
                    .build();
        }
    }

    static List<Measurement> run(String scenario, Side.Sizes sizes, String mode) throws Exception {
        try (Peer peer = Peer.start("pekko", scenario, mode)) {
            ActorSystem system = system("bench", 0);
            try {
                String base = "pekko://peer@127.0.0.1:" + peer.port + "/user/";
                return switch (scenario) {
                    case "network-tell-1to1" -> List.of(tell(system, base, sizes, 1, 1, scenario));
                    case "network-tell-1to1-100b" -> List.of(tell(system, base, sizes, new byte[100], 1, scenario));
                    case "network-tell-1to1-1kb" -> List.of(tell(system, base, sizes, new byte[1024], 1, scenario));
                    case "network-tell-4to4" -> List.of(tell(system, base, sizes, 1, OursNetwork.SENDERS, scenario));
                    case "network-call-rtt" -> rtt(system, base, sizes);
                    case "network-call-64" -> List.of(calls(system, base, sizes));
                    default -> throw new IllegalArgumentException(scenario);
                };
            } finally {
                system.terminate();
                Await.result(system.whenTerminated(), scala.concurrent.duration.Duration.create(30, TimeUnit.SECONDS));
            }
        }
    }

    private static Measurement tell(
            ActorSystem system, String base, Side.Sizes sizes, Object payload, int senders, String metric)
            throws Exception {
        long each = sizes.networkMessages() / senders;
        long burst = OursNetwork.BURST / senders;
        List<ActorRef> refs = new java.util.ArrayList<>();
        for (int i = 0; i < senders; i++) {
            refs.add(system.actorOf(Props.create(Sender.class)));
        }
        double rate = 0;
        for (int round = 0; round <= sizes.warmups(); round++) {
            List<CompletableFuture<Long>> done = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < senders; i++) {
                CompletableFuture<Long> d = new CompletableFuture<>();
                done.add(d);
                ActorSelection receiver = system.actorSelection(base + "receiver" + i);
                refs.get(i).tell(new Start(receiver, each, payload, d, burst), ActorRef.noSender());
            }
            long t1 = 0;
            for (CompletableFuture<Long> d : done) {
                t1 = Math.max(t1, d.get(5, TimeUnit.MINUTES));
            }
            rate = each * senders / ((t1 - t0) / 1e9);
        }
        return new Measurement(metric, rate / 1e6, "Mmsg/s", true);
    }

    /** As ours: {@link OursNetwork#CALLERS} callers, one request in flight each, calls per second together. */
    private static Measurement calls(ActorSystem system, String base, Side.Sizes sizes) throws Exception {
        ActorSelection echo = system.actorSelection(base + "echo");
        int each = Math.max(1, sizes.networkCalls() * 10 / OursNetwork.CALLERS);
        List<ActorRef> callers = new java.util.ArrayList<>();
        for (int i = 0; i < OursNetwork.CALLERS; i++) {
            callers.add(system.actorOf(Props.create(Caller.class)));
        }
        double rate = 0;
        for (int round = 0; round <= sizes.warmups(); round++) {
            List<CompletableFuture<Histogram>> done = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            for (ActorRef c : callers) {
                CompletableFuture<Histogram> d = new CompletableFuture<>();
                done.add(d);
                c.tell(new Calls(echo, each, d), ActorRef.noSender());
            }
            for (CompletableFuture<Histogram> d : done) {
                d.get(5, TimeUnit.MINUTES);
            }
            rate = (double) each * OursNetwork.CALLERS / ((System.nanoTime() - t0) / 1e9);
        }
        return new Measurement("network-call-64", rate / 1e3, "Kcall/s", true);
    }

    private static List<Measurement> rtt(ActorSystem system, String base, Side.Sizes sizes) throws Exception {
        ActorRef caller = system.actorOf(Props.create(Caller.class));
        ActorSelection echo = system.actorSelection(base + "echo");
        Histogram h = null;
        for (int round = 0; round <= sizes.warmups(); round++) {
            CompletableFuture<Histogram> done = new CompletableFuture<>();
            caller.tell(new Calls(echo, sizes.networkCalls(), done), ActorRef.noSender());
            h = done.get(5, TimeUnit.MINUTES);
        }
        return List.of(
                new Measurement("network-call-rtt-p50", h.getValueAtPercentile(50) / 1000.0, "us", false),
                new Measurement("network-call-rtt-p99", h.getValueAtPercentile(99) / 1000.0, "us", false));
    }
}
