package services.ergo.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationMemberSpec;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ApplicationSpec;
import services.ergo.gen.ErgoException;
import services.ergo.gen.MessageDownPid;
import services.ergo.gen.Node;
import services.ergo.gen.NodeInfo;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;

/**
 * A small local demo of the node until the samples exist: a "worker" application of three job handlers and a
 * coordinator that hands them jobs, calls them for their counts, and notices when one crashes. Prints what happens
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

    /** Sends jobs to the live handlers and reports once a second. */
    public static final class Coordinator extends Actor {
        private final List<Pid> handlers = new ArrayList<>();
        private long next;

        @Override
        protected void init(Object... args) {
            for (Object h : (List<?>) args[0]) {
                Pid pid = (Pid) h;
                handlers.add(pid);
                monitor(pid);
            }
            sendAfter(pid(), new Tick(), Duration.ofMillis(10));
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof Tick) {
                for (int i = 0; i < 20_000 && !handlers.isEmpty(); i++) {
                    Pid to = handlers.get(ThreadLocalRandom.current().nextInt(handlers.size()));
                    try {
                        send(to, new Job(next++));
                    } catch (ErgoException e) {
                        handlers.remove(to); // it ended; its down message is on the way
                    }
                }
                report();
                sendAfter(pid(), new Tick(), Duration.ofSeconds(1));
            } else if (message instanceof MessageDownPid down) {
                handlers.remove(down.pid());
                log().warn(
                                "handler {} ended ({}); {} left",
                                down.pid(),
                                down.reason().text(),
                                handlers.size());
            }
        }

        private void report() {
            StringBuilder counts = new StringBuilder();
            for (Pid h : List.copyOf(handlers)) {
                try {
                    counts.append(' ').append(h).append('=').append(call(h, new Count()));
                } catch (ErgoException e) {
                    handlers.remove(h);
                }
            }
            NodeInfo info = node().info();
            System.out.printf("jobs sent %d | processes %d | handlers:%s%n", next, info.processesTotal(), counts);
        }
    }

    public static void main(String[] args) throws Exception {
        Node node = Ergo.startNode("demo@localhost", NodeOptions.defaults());
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "demo-stop"));
        node.applicationLoad((n, a) -> ApplicationSpec.builder("worker")
                .weight(100)
                .member(ApplicationMemberSpec.of("handler-1", Handler::new))
                .member(ApplicationMemberSpec.of("handler-2", Handler::new))
                .member(ApplicationMemberSpec.of("handler-3", Handler::new))
                .build());
        node.applicationStartTemporary("worker", ApplicationOptions.defaults());
        List<Pid> handlers = node.applicationInfo("worker").group();
        node.spawnRegister("coordinator", Coordinator::new, ProcessOptions.defaults(), handlers);
        System.out.println("node " + node.name() + " is up: a coordinator and three handlers. Ctrl-C stops.");
        node.await();
    }

    private LocalDemo() {}
}
