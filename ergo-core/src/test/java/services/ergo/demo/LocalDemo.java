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
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;

/**
 * A small demo cluster until the samples exist: three nodes that find each other through the embedded registrar
 * (the first serves it on port 4499). Two workers run a "worker" application whose supervisor runs three job
 * handlers; the coordinator hands them jobs by name over TCP and calls them for their counts. One job in 50 000
 * is poisoned: its handler crashes, the supervisor restarts it, the coordinator carries on. Prints what happens
 * every second; Ctrl-C stops it.
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
        private static final List<ProcessId> HANDLERS = handlers();

        private static List<ProcessId> handlers() {
            List<ProcessId> all = new java.util.ArrayList<>();
            for (String worker : WORKERS) {
                for (String h : List.of("handler-1", "handler-2", "handler-3")) {
                    all.add(new ProcessId(h, worker));
                }
            }
            return List.copyOf(all);
        }

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
                    ProcessId to = HANDLERS.get(ThreadLocalRandom.current().nextInt(HANDLERS.size()));
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
            for (ProcessId h : HANDLERS) {
                Object count;
                try {
                    count = call(h, new Count());
                } catch (ErgoException e) {
                    count = "restarting";
                }
                counts.append(' ')
                        .append(h.name())
                        .append('@')
                        .append(h.node(), 0, h.node().indexOf('@'))
                        .append('=')
                        .append(count);
            }
            System.out.printf(
                    "jobs sent %d (refused while restarting: %d) | registrar knows %s |%s%n",
                    next, refused, node().network().registrar().nodes(), counts);
        }
    }

    static final List<String> WORKERS = List.of("worker1@localhost", "worker2@localhost");

    public static void main(String[] args) throws Exception {
        NodeOptions options = NodeOptions.builder().cookie("demo").build(); // network on, embedded registrar
        Node coordinator = Ergo.startNode("coordinator@localhost", options);
        List<Node> nodes = new java.util.ArrayList<>(List.of(coordinator));
        for (String name : WORKERS) {
            Node worker = Ergo.startNode(name, options);
            worker.applicationLoad((n, a) -> ApplicationSpec.builder("worker")
                    .weight(100)
                    .member(ApplicationMemberSpec.of("handlers", Handlers::new))
                    .build());
            worker.applicationStartPermanent("worker", ApplicationOptions.defaults());
            nodes.add(worker);
        }
        for (Node n : nodes) {
            n.network().registerType(Job.class);
            n.network().registerType(Count.class);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> nodes.forEach(Node::stop), "demo-stop"));
        coordinator.spawnRegister("coordinator", Coordinator::new, ProcessOptions.defaults());
        System.out.println("cluster up: " + coordinator.network().registrar().info() + "; nodes "
                + coordinator.network().registrar().nodes() + ". Ctrl-C stops.");
        coordinator.await();
    }

    private LocalDemo() {}
}
