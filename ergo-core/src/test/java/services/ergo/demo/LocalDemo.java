package services.ergo.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.act.Supervisor;
import services.ergo.act.SupervisorChildSpec;
import services.ergo.act.SupervisorSpec;
import services.ergo.gen.ApplicationMemberSpec;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ApplicationSpec;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Node;
import services.ergo.gen.NodeInfo;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;

/**
 * A small local demo of the node until the samples exist: a "worker" application whose supervisor runs three job
 * handlers, and a coordinator that hands them jobs by name and calls them for their counts. One job in 50 000 is
 * poisoned: its handler crashes, the supervisor restarts it, the coordinator carries on. Prints what happens every
 * second; Ctrl-C stops it.
 */
public final class LocalDemo {
    record Job(long id) {}

    record Tick() {}

    record Count() {}

    /** Handles jobs; one in 50 000 crashes it, to show monitors and the application's mode at work. */
    public static final class Handler extends Actor {
        private long processed;

        @Override
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof Job job) {
                if (job.id() % 50_000 == 49_999) {
                    throw new IllegalStateException("job " + job.id() + " is poisoned");
                }
                processed++;
            }
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return processed;
        }

        @Override
        protected Map<String, String> handleInspect(Pid from, String... items) {
            return Map.of("processed", Long.toString(processed));
        }
    }

    /** Restarts a crashed handler; more than 5 crashes in 5 s and it gives up. */
    public static final class Handlers extends Supervisor {
        @Override
        protected SupervisorSpec init(Object... args) {
            return SupervisorSpec.oneForOne(
                    SupervisorChildSpec.of("handler-1", Handler::new),
                    SupervisorChildSpec.of("handler-2", Handler::new),
                    SupervisorChildSpec.of("handler-3", Handler::new));
        }
    }

    /** Sends jobs to the handlers by name and reports once a second. */
    public static final class Coordinator extends Actor {
        private static final List<String> HANDLERS = List.of("handler-1", "handler-2", "handler-3");
        private long next;
        private long refused;

        @Override
        protected void init(Object... args) {
            sendAfter(pid(), new Tick(), Duration.ofMillis(10));
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof Tick) {
                for (int i = 0; i < 20_000; i++) {
                    String to = HANDLERS.get(ThreadLocalRandom.current().nextInt(HANDLERS.size()));
                    try {
                        send(to, new Job(next++));
                    } catch (ErgoException e) {
                        refused++; // the handler is being restarted: the send says so at once
                    }
                }
                report();
                sendAfter(pid(), new Tick(), Duration.ofSeconds(1));
            }
        }

        private void report() {
            StringBuilder counts = new StringBuilder();
            for (String h : HANDLERS) {
                Object count;
                try {
                    count = call(h, new Count());
                } catch (ErgoException e) {
                    count = "restarting";
                }
                counts.append(' ').append(h).append('=').append(count);
            }
            NodeInfo info = node().info();
            System.out.printf(
                    "jobs sent %d (refused while restarting: %d) | processes %d, ended so far %d |%s%n",
                    next, refused, info.processesTotal(), info.processesTerminated(), counts);
        }
    }

    public static void main(String[] args) throws Exception {
        Node node = Ergo.startNode("demo@localhost", NodeOptions.defaults());
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "demo-stop"));
        node.applicationLoad((n, a) -> ApplicationSpec.builder("worker")
                .weight(100)
                .member(ApplicationMemberSpec.of("handlers", Handlers::new))
                .build());
        node.applicationStartPermanent("worker", ApplicationOptions.defaults());
        node.spawnRegister("coordinator", Coordinator::new, ProcessOptions.defaults());
        System.out.println("node " + node.name() + " is up: a coordinator, and a supervisor with three handlers."
                + " Ctrl-C stops.");
        node.await();
    }

    private LocalDemo() {}
}
