package services.ergo.benchmark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.PoisonPill;
import org.apache.pekko.actor.Props;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.singleton.ClusterSingletonManager;
import org.apache.pekko.cluster.singleton.ClusterSingletonManagerSettings;
import org.apache.pekko.cluster.singleton.ClusterSingletonProxy;
import org.apache.pekko.cluster.singleton.ClusterSingletonProxySettings;
import org.apache.pekko.pattern.Patterns;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.leader.LeaderActor;
import services.ergo.leader.LeaderOptions;
import services.ergo.registrar.EmbeddedRegistrar;

/**
 * {@code leader-failover}: three members in three JVMs; the one that leads is killed with SIGKILL, as a crash; the
 * driver (a fourth node, not a member) measures the time until a survivor leads and answers a call as leader
 * ({@code -answer}), and until it became leader by its own clock ({@code -elected}); the killed member is
 * restarted and the group settles before the next trial.
 *
 * <p>Ours: a {@link LeaderActor} group with the default timeouts (election 150–300 ms, heartbeat 50 ms). Pekko:
 * its cluster singleton with the split-brain resolver (keep-majority), tuned hard as the issue asks: heartbeat
 * 100 ms, acceptable heartbeat pause 0.5 s, stable-after 1 s; the driver asks the singleton through its proxy.
 */
final class FailoverBench {
    private static final Duration POLL = Duration.ofMillis(2);

    private FailoverBench() {}

    static List<Measurement> run(String side, boolean smoke) throws Exception {
        int trials = smoke ? 2 : 30;
        Histogram answer = new Histogram(3);
        Histogram elected = new Histogram(3);
        if (side.equals("ours")) {
            ours(trials, answer, elected);
        } else {
            pekko(trials, answer, elected);
        }
        List<Measurement> out = new ArrayList<>();
        for (var h : List.of(java.util.Map.entry("answer", answer), java.util.Map.entry("elected", elected))) {
            out.add(new Measurement(
                    "leader-failover-" + h.getKey() + "-p50", h.getValue().getValueAtPercentile(50), "ms", false));
            out.add(new Measurement(
                    "leader-failover-" + h.getKey() + "-p95", h.getValue().getValueAtPercentile(95), "ms", false));
            out.add(new Measurement(
                    "leader-failover-" + h.getKey() + "-max", h.getValue().getMaxValue(), "ms", false));
        }
        return out;
    }

    static void peer(String side, String[] args) throws Exception {
        if (side.equals("ours")) {
            oursMember(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Path.of(args[2]));
        } else {
            pekkoMember(Integer.parseInt(args[0]), args[1]);
        }
    }

    /** Free for TCP and UDP both: the embedded registrar takes the two with one number. */
    private static int freePort() throws IOException {
        return services.ergo.testkit.EtcdServer.freePort();
    }

    // ------------------------------------------------------------------ ours

    /** A member: answers "who" with "leading term becameLeaderAtMillis". */
    static final class Member extends LeaderActor {
        private final LeaderOptions options;
        private volatile long since;

        Member(LeaderOptions options) {
            this.options = options;
        }

        @Override
        protected LeaderOptions initLeader(Object... args) {
            return options;
        }

        @Override
        protected void handleBecomeLeader() {
            since = System.currentTimeMillis();
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return (isLeader() ? "1 " : "0 ") + term() + " " + since;
        }
    }

    private static LeaderOptions group(Path state) {
        return LeaderOptions.of(
                        "bench",
                        ProcessId.parse("leader@m0@localhost"),
                        ProcessId.parse("leader@m1@localhost"),
                        ProcessId.parse("leader@m2@localhost"))
                .withStateDirectory(state);
    }

    private static NodeOptions nodeOptions(int registrarPort) {
        return NodeOptions.builder()
                .cookie("failover")
                .network(NetworkOptions.on().withPort(0))
                .registrar(() -> new EmbeddedRegistrar(
                        EmbeddedRegistrar.Options.defaults().withPort(registrarPort)))
                .build();
    }

    private static void oursMember(int index, int registrarPort, Path state) throws Exception {
        Node node = Ergo.startNode("m" + index + "@localhost", nodeOptions(registrarPort));
        node.spawnRegister("leader", () -> new Member(group(state)), ProcessOptions.defaults());
        System.out.println("READY 0");
        node.await();
    }

    private static Peer startOurs(int index, int registrarPort, Path state) throws IOException {
        return Peer.start(
                "ours",
                "leader-failover",
                "full",
                Integer.toString(index),
                Integer.toString(registrarPort),
                state.toString());
    }

    /** What member {@code i} says, or null when it does not answer now. */
    private static long[] who(Node driver, int i) {
        try {
            String[] w = ((String)
                            driver.call(new ProcessId("leader", "m" + i + "@localhost"), "who", Duration.ofMillis(100)))
                    .split(" ");
            return new long[] {Long.parseLong(w[0]), Long.parseLong(w[1]), Long.parseLong(w[2])};
        } catch (RuntimeException notNow) {
            return null;
        }
    }

    /** The member that leads while every live member agrees on the term, or -1. */
    private static int settledLeader(Node driver, boolean[] alive) {
        int leader = -1;
        long term = -1;
        for (int i = 0; i < 3; i++) {
            if (!alive[i]) {
                continue;
            }
            long[] w = who(driver, i);
            if (w == null || (term >= 0 && w[1] != term)) {
                return -1;
            }
            term = w[1];
            if (w[0] == 1) {
                if (leader >= 0) {
                    return -1;
                }
                leader = i;
            }
        }
        return leader;
    }

    private static void ours(int trials, Histogram answer, Histogram elected) throws Exception {
        int registrarPort = freePort();
        Path state = Files.createTempDirectory("ergo-failover");
        // the driver serves the registrar all along, so killing a member never moves it
        Node driver = Ergo.startNode("driver@localhost", nodeOptions(registrarPort));
        Peer[] members = new Peer[3];
        boolean[] alive = {true, true, true};
        try {
            for (int i = 0; i < 3; i++) {
                members[i] = startOurs(i, registrarPort, state);
            }
            for (int t = 0; t < trials; t++) {
                int leader = awaitSettled(() -> settledLeader(driver, alive));
                long oldTerm = who(driver, leader)[1];
                long wall = System.currentTimeMillis();
                long t0 = System.nanoTime();
                members[leader].process.destroyForcibly();
                alive[leader] = false;
                long[] found = null;
                while (found == null) {
                    for (int i = 0; i < 3 && found == null; i++) {
                        if (alive[i]) {
                            long[] w = who(driver, i);
                            if (w != null && w[0] == 1 && w[1] > oldTerm) {
                                found = w;
                            }
                        }
                    }
                    if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                        throw new IllegalStateException("no new leader 30 s after the old one was killed");
                    }
                    Thread.sleep(POLL.toMillis());
                }
                answer.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000_000));
                elected.recordValue(Math.max(1, found[2] - wall));
                members[leader].process.waitFor();
                members[leader] = startOurs(leader, registrarPort, state);
                alive[leader] = true;
            }
        } finally {
            for (Peer p : members) {
                if (p != null) {
                    p.process.destroyForcibly();
                }
            }
            driver.stopForce();
        }
    }

    private interface Probe {
        int leader() throws Exception;
    }

    private static int awaitSettled(Probe probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            int l = probe.leader();
            if (l >= 0) {
                return l;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the group did not settle on one leader within 60 s");
    }

    // ------------------------------------------------------------------ Pekko

    private static Config pekkoConfig(int port, String seeds, String role) {
        return ConfigFactory.parseString(""
                        + "pekko.actor.provider = cluster\n"
                        + "pekko.loglevel = WARNING\n"
                        + "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"\n"
                        + "pekko.remote.artery.canonical.port = " + port + "\n"
                        + "pekko.cluster.seed-nodes = [" + seeds + "]\n"
                        + "pekko.cluster.roles = [" + role + "]\n"
                        + "pekko.cluster.jmx.enabled = off\n"
                        + "pekko.cluster.log-info = off\n"
                        + "pekko.cluster.downing-provider-class = \"org.apache.pekko.cluster.sbr.SplitBrainResolverProvider\"\n"
                        + "pekko.cluster.split-brain-resolver.active-strategy = keep-majority\n"
                        + "pekko.cluster.split-brain-resolver.stable-after = 1s\n"
                        + "pekko.cluster.failure-detector.heartbeat-interval = 100ms\n"
                        + "pekko.cluster.failure-detector.acceptable-heartbeat-pause = 500ms\n"
                        + "pekko.cluster.singleton.hand-over-retry-interval = 100ms\n"
                        + "pekko.cluster.singleton-proxy.singleton-identification-interval = 100ms\n")
                .withFallback(ConfigFactory.load());
    }

    /** The singleton: answers "who" with "host:port startedAtMillis". */
    static final class Who extends AbstractActor {
        private final long started = System.currentTimeMillis();

        @Override
        public Receive createReceive() {
            String self = Cluster.get(getContext().getSystem())
                    .selfAddress()
                    .port()
                    .get()
                    .toString();
            return receiveBuilder()
                    .matchEquals("who", w -> getSender().tell(self + " " + started, getSelf()))
                    .build();
        }
    }

    private static void pekkoMember(int port, String seeds) throws Exception {
        ActorSystem system = ActorSystem.create("bench", pekkoConfig(port, seeds, "member"));
        system.actorOf(
                ClusterSingletonManager.props(
                        Props.create(Who.class),
                        PoisonPill.getInstance(),
                        ClusterSingletonManagerSettings.create(system).withRole("member")),
                "leader");
        System.out.println("READY " + port);
        system.getWhenTerminated().toCompletableFuture().get();
    }

    private static Peer startPekko(int port, String seeds) throws IOException {
        return Peer.start("pekko", "leader-failover", "full", Integer.toString(port), seeds);
    }

    private static String[] ask(ActorRef proxy) {
        try {
            Object r = Patterns.ask(proxy, "who", Duration.ofMillis(200))
                    .toCompletableFuture()
                    .get(300, TimeUnit.MILLISECONDS);
            return ((String) r).split(" ");
        } catch (Exception notNow) {
            return null;
        }
    }

    /**
     * The driver's side of the Pekko cluster. With the failure detector tuned hard, a JVM that starts on a busy
     * 2-core machine (class loading, JIT) can stall past the acceptable pause, be marked unreachable and be downed
     * by the split-brain resolver: a downed member's actor system terminates and its JVM ends, and a downed driver
     * never sees the cluster again. That is Pekko doing what it was told, not the failover this scenario measures,
     * so between trials a member that ended is started again and a driver that was downed is replaced, and each
     * repair is printed.
     */
    private static final class PekkoCluster implements AutoCloseable {
        private final int[] ports;
        private final String seeds;
        private final Peer[] members = new Peer[3];
        private ActorSystem driver;
        private ActorRef proxy;
        private int repairs;

        PekkoCluster() throws IOException {
            ports = services.ergo.testkit.EtcdServer.freePorts(3);
            StringBuilder s = new StringBuilder();
            for (int p : ports) {
                s.append(s.length() == 0 ? "" : ",")
                        .append("\"pekko://bench@127.0.0.1:")
                        .append(p)
                        .append('"');
            }
            seeds = s.toString();
        }

        void start() throws IOException {
            for (int i = 0; i < 3; i++) {
                members[i] = startPekko(ports[i], seeds);
            }
            startDriver();
        }

        private void startDriver() {
            driver = ActorSystem.create("bench", pekkoConfig(0, seeds, "driver"));
            proxy = driver.actorOf(
                    ClusterSingletonProxy.props(
                            "/user/leader",
                            ClusterSingletonProxySettings.create(driver).withRole("member")),
                    "proxy");
        }

        void restart(int i) throws Exception {
            members[i].process.waitFor();
            members[i] = startPekko(ports[i], seeds);
        }

        /** 0 once all four are up, none unreachable and the singleton answers; -1 before, repairing what ended. */
        int settled() throws Exception {
            for (int i = 0; i < 3; i++) {
                if (!members[i].process.isAlive()) {
                    repairs++;
                    System.err.printf(
                            "[bench] pekko leader-failover: member %d had ended (downed?), starting it again;"
                                    + " its last lines:%n%s%n",
                            i, members[i].tail());
                    restart(i);
                }
            }
            Cluster cluster = Cluster.get(driver);
            if (cluster.isTerminated()) {
                repairs++;
                System.err.println("[bench] pekko leader-failover: the driver was downed, starting a new one");
                driver.terminate();
                driver.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
                startDriver();
                return -1;
            }
            long up = 0;
            for (org.apache.pekko.cluster.Member m : cluster.state().getMembers()) {
                if (m.status() == MemberStatus.up()) {
                    up++;
                }
            }
            return up == 4 && !cluster.state().getUnreachable().iterator().hasNext() && ask(proxy) != null ? 0 : -1;
        }

        /** What the driver sees, for a failure message. */
        String describe() {
            StringBuilder out = new StringBuilder("driver's view: ")
                    .append(Cluster.get(driver).state())
                    .append("; repairs so far: ")
                    .append(repairs);
            for (int i = 0; i < 3; i++) {
                out.append("\nmember ")
                        .append(i)
                        .append(" (port ")
                        .append(ports[i])
                        .append(members[i].process.isAlive() ? ", running" : ", ended")
                        .append("), its last lines:\n")
                        .append(members[i].tail());
            }
            return out.toString();
        }

        @Override
        public void close() {
            for (Peer p : members) {
                if (p != null) {
                    p.process.destroyForcibly();
                }
            }
            if (driver != null) {
                driver.terminate();
            }
        }
    }

    private static void pekko(int trials, Histogram answer, Histogram elected) throws Exception {
        try (PekkoCluster c = new PekkoCluster()) {
            c.start();
            for (int t = 0; t < trials; t++) {
                try {
                    awaitSettled(c::settled);
                } catch (IllegalStateException unsettled) {
                    throw new IllegalStateException(unsettled.getMessage() + "\n" + c.describe(), unsettled);
                }
                String[] before = ask(c.proxy);
                int victim = -1;
                for (int i = 0; i < 3; i++) {
                    if (Integer.toString(c.ports[i]).equals(before[0])) {
                        victim = i;
                    }
                }
                long wall = System.currentTimeMillis();
                long t0 = System.nanoTime();
                c.members[victim].process.destroyForcibly();
                String[] now;
                while (true) {
                    now = ask(c.proxy);
                    if (now != null && !now[0].equals(before[0])) {
                        break;
                    }
                    if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60)) {
                        throw new IllegalStateException(
                                "no new singleton 60 s after the old one was killed\n" + c.describe());
                    }
                    Thread.sleep(POLL.toMillis());
                }
                answer.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000_000));
                elected.recordValue(Math.max(1, Long.parseLong(now[1]) - wall));
                c.restart(victim);
            }
        }
    }
}
