package services.ergo.benchmark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The same scenarios on Apache Pekko typed actors, with Pekko's default dispatcher. Call is Pekko's fastest
 * request-response between actors: a tell carrying the reply-to reference, answered by a tell.
 */
final class PekkoSide implements Side {
    private static final Config CONFIG = ConfigFactory.parseString(
                    "pekko.loglevel = WARNING\n" + "pekko.stdout-loglevel = WARNING\n"
                            + "pekko.log-dead-letters = off\n" + "pekko.actor.provider = local\n")
            .withFallback(ConfigFactory.load());

    /** Asks the guardian to spawn an actor and hand back its reference. */
    record Spawn(Behavior<Object> behavior, CompletableFuture<ActorRef<Object>> ref) {}

    /** Asks the guardian to spawn {@code count} idle actors. */
    record SpawnIdle(int count, CompletableFuture<Integer> done) {}

    private static Behavior<Object> guardian() {
        Behavior<Object> idle = Behaviors.receiveMessage(m -> Behaviors.same());
        return Behaviors.receive((ctx, m) -> {
            if (m instanceof Spawn s) {
                s.ref().complete(ctx.spawnAnonymous(s.behavior()));
            } else if (m instanceof SpawnIdle s) {
                for (int i = 0; i < s.count(); i++) {
                    ctx.spawnAnonymous(idle);
                }
                s.done().complete(s.count());
            }
            return Behaviors.same();
        });
    }

    @Override
    public List<Measurement> run(String scenario, Sizes sizes) throws Exception {
        ActorSystem<Object> system = ActorSystem.create(guardian(), "bench", CONFIG);
        try {
            return switch (scenario) {
                case "local-tell-1to1" -> List.of(tell(system, 1, sizes));
                case "local-tell-2to2" -> List.of(tell(system, 2, sizes));
                case "local-call" -> call(system, sizes);
                case "spawn-memory" -> List.of(spawnMemory(system, sizes));
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static ActorRef<Object> spawn(ActorSystem<Object> system, Behavior<Object> behavior) throws Exception {
        CompletableFuture<ActorRef<Object>> ref = new CompletableFuture<>();
        system.tell(new Spawn(behavior, ref));
        return ref.get(30, TimeUnit.SECONDS);
    }

    record Arm(CountDownLatch done, int expected, ActorRef<Object> replyTo) {}

    record Go(ActorRef<Object> receiver, int count) {}

    private static Behavior<Object> receiver() {
        return Behaviors.setup(ctx -> {
            int[] n = {0};
            int[] expected = {0};
            CountDownLatch[] done = {null};
            return Behaviors.receiveMessage(m -> {
                if (m instanceof Arm arm) {
                    done[0] = arm.done();
                    expected[0] = arm.expected();
                    n[0] = 0;
                    arm.replyTo().tell("ready");
                } else if (++n[0] == expected[0]) {
                    done[0].countDown();
                }
                return Behaviors.same();
            });
        });
    }

    private static Behavior<Object> sender() {
        return Behaviors.receiveMessage(m -> {
            Go go = (Go) m;
            ActorRef<Object> to = go.receiver();
            for (int i = 0; i < go.count(); i++) {
                to.tell(i);
            }
            return Behaviors.same();
        });
    }

    private static Measurement tell(ActorSystem<Object> system, int pairs, Sizes sizes) throws Exception {
        List<ActorRef<Object>> senders = new ArrayList<>();
        List<ActorRef<Object>> receivers = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            senders.add(spawn(system, sender()));
            receivers.add(spawn(system, receiver()));
        }
        int perPair = sizes.messages() / pairs;
        double rate = 0;
        for (int round = 0; round <= sizes.warmups(); round++) {
            CountDownLatch done = new CountDownLatch(pairs);
            for (ActorRef<Object> r : receivers) {
                AskPattern.<Object, Object>ask(
                                r,
                                replyTo -> new Arm(done, perPair, replyTo),
                                Duration.ofSeconds(30),
                                system.scheduler())
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < pairs; i++) {
                senders.get(i).tell(new Go(receivers.get(i), perPair));
            }
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("tell did not finish");
            }
            rate = (double) perPair * pairs / ((System.nanoTime() - t0) / 1e9);
        }
        return new Measurement(pairs == 1 ? "local-tell-1to1" : "local-tell-2to2", rate / 1e6, "Mmsg/s", true);
    }

    record Request(int value, ActorRef<Object> replyTo) {}

    record Start(ActorRef<Object> echo, int count, CompletableFuture<Histogram> result) {}

    private static Behavior<Object> echo() {
        return Behaviors.receiveMessage(m -> {
            Request r = (Request) m;
            r.replyTo().tell(r.value());
            return Behaviors.same();
        });
    }

    private static Behavior<Object> caller() {
        return Behaviors.setup(ctx -> {
            Start[] current = {null};
            Histogram[] h = {null};
            long[] t0 = {0};
            int[] i = {0};
            return Behaviors.receiveMessage(m -> {
                if (m instanceof Start s) {
                    current[0] = s;
                    h[0] = new Histogram(3);
                    i[0] = 0;
                } else {
                    h[0].recordValue(System.nanoTime() - t0[0]);
                    if (++i[0] == current[0].count()) {
                        current[0].result().complete(h[0]);
                        return Behaviors.same();
                    }
                }
                t0[0] = System.nanoTime();
                current[0].echo().tell(new Request(i[0], ctx.getSelf()));
                return Behaviors.same();
            });
        });
    }

    private static List<Measurement> call(ActorSystem<Object> system, Sizes sizes) throws Exception {
        ActorRef<Object> echo = spawn(system, echo());
        ActorRef<Object> caller = spawn(system, caller());
        Histogram h = null;
        for (int round = 0; round <= sizes.warmups(); round++) {
            CompletableFuture<Histogram> result = new CompletableFuture<>();
            caller.tell(new Start(echo, sizes.calls(), result));
            h = result.get(5, TimeUnit.MINUTES);
        }
        return OursSide.latencies(h);
    }

    private static Measurement spawnMemory(ActorSystem<Object> system, Sizes sizes) throws Exception {
        long before = OursSide.heapAfterGc();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        system.tell(new SpawnIdle(sizes.processes(), done));
        done.get(5, TimeUnit.MINUTES);
        long after = OursSide.heapAfterGc();
        return new Measurement("spawn-memory", (after - before) / (double) sizes.processes(), "B", false);
    }
}
