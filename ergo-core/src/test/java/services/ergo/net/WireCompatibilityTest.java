package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.compat.OldRelease;
import services.ergo.compat.OldRelease.OldNode;
import services.ergo.gen.MessageDownPid;
import services.ergo.gen.MessageExitPid;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.NetworkStats;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessInfo;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;
import services.ergo.net.compat.Job;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.testing.Reporter;

/**
 * A node of the previous release keeps talking to a node of these sources, as in a rolling upgrade or a canary. The
 * old node is the ergo-core jar in {@code src/test/resources/compat} (its README says which commit, and how to
 * refresh it when a release changes the wire), running a small program compiled against that jar at test time, in
 * a JVM of its own with a class path of its own: old and new classes never mix. The new node runs in this JVM.
 * Whichever of them dials, they send, call, pass a record registered on both, link and monitor each other's
 * processes (EXIT and DOWN come across when one ends, and when the connection goes), spawn on each other, and the
 * connection outlives a quiet spell.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireCompatibilityTest {
    private static final String OLD = "old@localhost";
    private static final String NEW = "new@localhost";
    private static final String COOKIE = "compat";
    private static final String LOOPBACK = "127.0.0.1";
    /** How long anything may take to come across. */
    private static final Duration BOUND = Duration.ofSeconds(10);
    /** How long the connection stays unused and must stay up. */
    private static final Duration IDLE = Duration.ofSeconds(3);

    /** The old node's copy of {@link Job}: the same name, compiled against the old jar. */
    private static final String JOB_SOURCE = """
            package services.ergo.net.compat;

            import java.util.List;

            public record Job(long id, String text, List<String> tags) {}
            """;

    /**
     * The old node, written against the old API only. Commands come on stdin, one a line, {@code <n> <verb> <args>};
     * each is answered on stdout with {@code OLD <n> <answer>} (or {@code OLD <n> error ...}); what its processes
     * receive it says as {@code OLD got ...}, {@code OLD exit <pid> <reason>}, {@code OLD down <pid> <reason>}.
     */
    private static final String OLD_NODE_SOURCE = """
            package services.ergo.net.compat;

            import java.io.BufferedReader;
            import java.io.InputStreamReader;
            import java.nio.charset.StandardCharsets;
            import java.time.Duration;
            import java.util.ArrayList;
            import java.util.List;
            import services.ergo.Ergo;
            import services.ergo.act.Actor;
            import services.ergo.gen.MessageDownPid;
            import services.ergo.gen.MessageExitPid;
            import services.ergo.gen.NetworkOptions;
            import services.ergo.gen.NetworkRoute;
            import services.ergo.gen.NetworkStats;
            import services.ergo.gen.Node;
            import services.ergo.gen.NodeOptions;
            import services.ergo.gen.Pid;
            import services.ergo.gen.ProcessId;
            import services.ergo.gen.ProcessInfo;
            import services.ergo.gen.ProcessOptions;
            import services.ergo.gen.Ref;
            import services.ergo.registrar.EmbeddedRegistrar;

            public final class OldNodeMain {
                static synchronized void say(String line) {
                    System.out.println("OLD " + line);
                    System.out.flush();
                }

                static List<String> plus(List<String> tags, String tag) {
                    List<String> out = new ArrayList<>(tags);
                    out.add(tag);
                    return out;
                }

                /** Answers a Job with the next one, "pid" with its pid, anything else with "old echo:"; says what it gets. */
                public static final class Echo extends Actor {
                    @Override
                    protected void handleMessage(Pid from, Object message) {
                        if ("crash".equals(message)) {
                            throw new IllegalStateException("crashed on request");
                        }
                        say("got " + message);
                    }

                    @Override
                    protected Object handleCall(Pid from, Ref ref, Object request) {
                        if (request instanceof Job job) {
                            return new Job(job.id() + 1, job.text() + " (old)", plus(job.tags(), node().name()));
                        }
                        if ("pid".equals(request)) {
                            return pid();
                        }
                        return "old echo:" + request;
                    }
                }

                /** Links to and monitors the pid it is called with, trapping exits; says what comes of it. */
                public static final class Watcher extends Actor {
                    @Override
                    protected void init(Object... args) {
                        setTrapExit(true);
                    }

                    @Override
                    protected Object handleCall(Pid from, Ref ref, Object request) {
                        link(request);
                        return monitor(request);
                    }

                    @Override
                    protected void handleMessage(Pid from, Object message) {
                        if (message instanceof MessageExitPid exit) {
                            say("exit " + exit.pid() + " " + exit.reason());
                        } else if (message instanceof MessageDownPid down) {
                            say("down " + down.pid() + " " + down.reason());
                        } else {
                            say("watcher got " + message);
                        }
                    }
                }

                /** Spawned from the other node with a Job; answers calls with it. */
                public static final class Worker extends Actor {
                    private Job job;

                    @Override
                    protected void init(Object... args) {
                        job = (Job) args[0];
                    }

                    @Override
                    protected Object handleCall(Pid from, Ref ref, Object request) {
                        return "worker " + job.text() + " on " + node().name() + ": " + request;
                    }
                }

                public static void main(String[] args) throws Exception {
                    Node node = Ergo.startNode(
                            args[0],
                            NodeOptions.builder()
                                    .registrar(() -> new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults()
                                            .withAddress("127.0.0.1")
                                            .withPort(0)))
                                    .cookie(args[1])
                                    .callTimeout(Duration.ofSeconds(5))
                                    .network(NetworkOptions.on().withHost("127.0.0.1").withPort(0))
                                    .build());
                    node.network().registerType(Job.class);
                    node.spawnRegister("echo", Echo::new, ProcessOptions.defaults());
                    node.spawnRegister("victim", Echo::new, ProcessOptions.defaults());
                    Pid watcher = node.spawnRegister("watcher", Watcher::new, ProcessOptions.defaults());
                    node.network().enableSpawn("worker", Worker::new);
                    say("ready " + node.network().acceptor().port() + " "
                            + Ergo.class.getProtectionDomain().getCodeSource().getLocation());
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    for (String line; (line = in.readLine()) != null; ) {
                        String[] w = line.split(" ", 3);
                        try {
                            say(w[0] + " " + run(node, watcher, w[1], w.length > 2 ? w[2] : ""));
                        } catch (Exception e) {
                            say(w[0] + " error " + e);
                        }
                    }
                    node.stopForce(); // the test is gone
                    System.exit(0);
                }

                static String run(Node node, Pid watcher, String verb, String rest) {
                    switch (verb) {
                        case "route": { // <node> <port>
                            String[] a = rest.split(" ");
                            node.network().addRoute(a[0], new NetworkRoute("127.0.0.1", Integer.parseInt(a[1])));
                            return "ok";
                        }
                        case "send": { // <node> <name> <text>
                            String[] a = rest.split(" ", 3);
                            node.send(new ProcessId(a[1], a[0]), a[2]);
                            return "ok";
                        }
                        case "call": { // <node> <name> <text>
                            String[] a = rest.split(" ", 3);
                            return String.valueOf(node.call(new ProcessId(a[1], a[0]), a[2]));
                        }
                        case "job": { // <node> <name> <id> <text>: calls with a Job
                            String[] a = rest.split(" ", 4);
                            Job job = new Job(Long.parseLong(a[2]), a[3], List.of("old"));
                            return String.valueOf(node.call(new ProcessId(a[1], a[0]), job));
                        }
                        case "sendjob": { // <node> <name> <id> <text>
                            String[] a = rest.split(" ", 4);
                            node.send(new ProcessId(a[1], a[0]), new Job(Long.parseLong(a[2]), a[3], List.of("old")));
                            return "ok";
                        }
                        case "spawn": { // <node> <kind> <text>: spawns there with a Job, calls it with "go"
                            String[] a = rest.split(" ", 3);
                            Pid pid = node.network().node(a[0]).spawn(a[1], ProcessOptions.defaults(),
                                    new Job(0, a[2], List.of()));
                            return pid + " " + node.call(pid, "go");
                        }
                        case "watch": { // <node> <name>: the watcher links to and monitors its pid
                            String[] a = rest.split(" ");
                            Pid target = (Pid) node.call(new ProcessId(a[1], a[0]), "pid");
                            node.call(watcher, target);
                            return "watching " + target;
                        }
                        case "relations": { // <name>: how many links and monitors it has
                            ProcessInfo info = node.processInfo(node.whereIs(rest));
                            return info.links().size() + " " + info.monitoredBy().size();
                        }
                        case "stats": { // <node>
                            NetworkStats s = node.network().stats(rest);
                            return "connects=" + s.connects() + " disconnects=" + s.disconnects();
                        }
                        default:
                            throw new IllegalArgumentException("unknown command " + verb);
                    }
                }
            }
            """;

    @TempDir
    static Path build;

    /** The old jar, with the old node's program compiled against it. */
    private static OldRelease release;

    private Node fresh;
    private OldNode old;
    private final BlockingQueue<Object> echoGot = new LinkedBlockingQueue<>();
    private final BlockingQueue<Object> watcherGot = new LinkedBlockingQueue<>();
    private Pid watcher;

    @BeforeAll
    static void compileTheOldNode() throws IOException {
        OldRelease found = OldRelease.find();
        assertThat(found.dependencies())
                .as("the dependency jars on java.class.path")
                .anyMatch(j -> j.contains("fory-core"))
                .anyMatch(j -> j.contains("netty-handler"));
        release = found.compile(
                build,
                Map.of(
                        "services.ergo.net.compat.Job",
                        JOB_SOURCE,
                        "services.ergo.net.compat.OldNodeMain",
                        OLD_NODE_SOURCE));
    }

    @AfterEach
    void stop() {
        if (old != null) {
            old.close();
        }
        if (fresh != null) {
            fresh.stopForce();
        }
    }

    @Test
    void anOldNodeDialsANewOne() {
        startBoth();
        old.ask("route " + NEW + " " + fresh.network().acceptor().port());
        // the new node has no route to the old one: everything goes over the connection the old node dials
        assertThat(old.ask("call " + NEW + " echo hello")).isEqualTo("new echo:hello");
        assertThat(fresh.network().nodes()).containsExactly(OLD);

        Watched watched = exchange();

        // the connection goes: on both sides, the link and the monitor across say so
        fresh.network().disconnect(OLD);
        assertSignals(watched.oldEcho(), watched.ref(), Reason.NO_CONNECTION);
        old.awaitLine("exit " + watched.newEcho() + " noconnection");
        old.awaitLine("down " + watched.newEcho() + " noconnection");
    }

    @Test
    void aNewNodeDialsAnOldOne() {
        startBoth();
        fresh.network().addRoute(OLD, new NetworkRoute(LOOPBACK, old.port()));
        // the old node has no route to the new one: everything goes over the connection the new node dials
        assertThat(fresh.call(new ProcessId("echo", OLD), "hello")).isEqualTo("old echo:hello");
        assertThat(fresh.network().nodes()).containsExactly(OLD);

        Watched watched = exchange();

        // the old node's JVM dies: the link and the monitor here say so
        old.process().destroyForcibly();
        assertSignals(watched.oldEcho(), watched.ref(), Reason.NO_CONNECTION);
    }

    /** What the two watchers still watch at the end of {@link #exchange}: each node's echo, by the other. */
    private record Watched(Pid oldEcho, Ref ref, String newEcho) {}

    /** Everything the two nodes do with each other once connected, whoever dialed. */
    private Watched exchange() {
        ProcessId oldEcho = new ProcessId("echo", OLD);

        // send, both ways
        fresh.send(oldEcho, "ping from new");
        old.awaitLine("got ping from new");
        old.ask("send " + NEW + " echo ping from old");
        assertThat(next(echoGot)).isEqualTo("ping from old");

        // call with an answer, both ways
        assertThat(fresh.call(oldEcho, "hi")).isEqualTo("old echo:hi");
        assertThat(old.ask("call " + NEW + " echo hi")).isEqualTo("new echo:hi");

        // a record registered on both, sent and called with, both ways
        assertThat(fresh.call(oldEcho, new Job(1, "resize", List.of("new"))))
                .isEqualTo(new Job(2, "resize (old)", List.of("new", OLD)));
        assertThat(old.ask("job " + NEW + " echo 5 mail"))
                .isEqualTo(new Job(6, "mail (new)", List.of("old", NEW)).toString());
        fresh.send(oldEcho, new Job(9, "one way", List.of("new")));
        old.awaitLine("got " + new Job(9, "one way", List.of("new")));
        old.ask("sendjob " + NEW + " echo 10 the other way");
        assertThat(next(echoGot)).isEqualTo(new Job(10, "the other way", List.of("old")));

        // remote spawn, both ways, with a record as the argument
        Pid worker = fresh.network()
                .node(OLD)
                .spawn("worker", ProcessOptions.defaults(), new Job(3, "thumbnails", List.of()));
        assertThat(worker.node()).isEqualTo(OLD);
        assertThat(fresh.call(worker, "go")).isEqualTo("worker thumbnails on " + OLD + ": go");
        assertThat(old.ask("spawn " + NEW + " worker reports"))
                .startsWith("<" + NEW + ".")
                .endsWith(" worker reports on " + NEW + ": go");

        // link and monitor across: the new node watches a process of the old one, which crashes...
        Pid oldVictim = (Pid) fresh.call(new ProcessId("victim", OLD), "pid");
        assertThat(oldVictim.node()).isEqualTo(OLD);
        Ref victimRef = (Ref) fresh.call(watcher, oldVictim);
        soon().until(() -> old.ask("relations victim").equals("1 1"));
        fresh.send(oldVictim, "crash");
        List<Object> signals = List.of(next(watcherGot), next(watcherGot));
        assertThat(signals)
                .anySatisfy(m -> assertThat(m).isInstanceOfSatisfying(MessageExitPid.class, e -> {
                    assertThat(e.pid()).isEqualTo(oldVictim);
                    assertThat(e.reason().text()).contains("crashed on request");
                }))
                .anySatisfy(m -> assertThat(m).isInstanceOfSatisfying(MessageDownPid.class, d -> {
                    assertThat(d.pid()).isEqualTo(oldVictim);
                    assertThat(d.ref()).isEqualTo(victimRef);
                    assertThat(d.reason().text()).contains("crashed on request");
                }));

        // ...and the old node watches a process of the new one, which is killed
        Pid newVictim = fresh.whereIs("victim");
        assertThat(old.ask("watch " + NEW + " victim")).isEqualTo("watching " + newVictim);
        soon().until(() -> relations(newVictim).equals("1 1"));
        fresh.kill(newVictim);
        old.awaitLine("exit " + newVictim + " kill");
        old.awaitLine("down " + newVictim + " kill");

        // each watches the other's echo until the end of the test
        Pid oldEchoPid = (Pid) fresh.call(oldEcho, "pid");
        Ref echoRef = (Ref) fresh.call(watcher, oldEchoPid);
        Pid newEcho = fresh.whereIs("echo");
        assertThat(old.ask("watch " + NEW + " echo")).isEqualTo("watching " + newEcho);
        soon().until(() ->
                old.ask("relations echo").equals("1 1") && relations(newEcho).equals("1 1"));

        // a quiet spell: the connection stays up on both sides, and is the same one afterwards
        NetworkStats before = fresh.network().stats(OLD);
        String oldBefore = old.ask("stats " + NEW);
        await().during(IDLE)
                .atMost(IDLE.plus(BOUND))
                .until(() -> fresh.network().nodes().contains(OLD));
        NetworkStats after = fresh.network().stats(OLD);
        assertThat(after.connects()).isEqualTo(before.connects());
        assertThat(after.disconnects()).isEqualTo(before.disconnects()).isZero();
        assertThat(old.ask("stats " + NEW)).isEqualTo(oldBefore).endsWith(" disconnects=0");
        assertThat(fresh.call(oldEcho, "after a while")).isEqualTo("old echo:after a while");
        assertThat(old.ask("call " + NEW + " echo after a while")).isEqualTo("new echo:after a while");
        assertThat(echoGot).isEmpty();
        assertThat(watcherGot).isEmpty();
        return new Watched(oldEchoPid, echoRef, newEcho.toString());
    }

    /** The new watcher's EXIT and DOWN of {@code pid}, in either order. */
    private void assertSignals(Pid pid, Ref ref, Reason reason) {
        assertThat(List.of(next(watcherGot), next(watcherGot)))
                .contains(new MessageExitPid(pid, reason))
                .contains(new MessageDownPid(pid, ref, reason));
    }

    private void startBoth() {
        fresh = Ergo.startNode(
                NEW,
                NodeOptions.builder()
                        .registrar(() -> new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults()
                                .withAddress(LOOPBACK)
                                .withPort(0)))
                        .cookie(COOKIE)
                        .callTimeout(Duration.ofSeconds(5))
                        .network(NetworkOptions.on().withHost(LOOPBACK).withPort(0))
                        .build());
        fresh.network().registerType(Job.class);
        fresh.spawnRegister("echo", Echo::new, ProcessOptions.defaults(), echoGot);
        fresh.spawnRegister("victim", Echo::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());
        watcher = fresh.spawn(Watcher::new, ProcessOptions.defaults(), watcherGot);
        fresh.network().enableSpawn("worker", Worker::new);
        old = release.start("256m", "services.ergo.net.compat.OldNodeMain", OLD, COOKIE);
        assertThat(old.ready().get(1))
                .as("the old node runs the old jar")
                .endsWith("/" + release.jar().getFileName());
        assertThat(Ergo.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toString())
                .as("this JVM runs these sources")
                .doesNotEndWith("/" + release.jar().getFileName());
    }

    private String relations(Pid pid) {
        ProcessInfo info = fresh.processInfo(pid);
        return info.links().size() + " " + info.monitoredBy().size();
    }

    /** A wait for what comes within {@link #BOUND}, looked for often: most of it comes in milliseconds. */
    private static ConditionFactory soon() {
        return await().atMost(BOUND).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    private static Object next(BlockingQueue<Object> queue) {
        return soon().until(queue::poll, Objects::nonNull);
    }

    private static List<String> plus(List<String> tags, String tag) {
        List<String> out = new ArrayList<>(tags);
        out.add(tag);
        return out;
    }

    /** The new node's echo, as the old one's: answers a Job with the next one, "pid" with its pid; reports messages. */
    static final class Echo extends Reporter {
        @Override
        protected void handleMessage(Pid from, Object message) {
            if ("crash".equals(message)) {
                throw new IllegalStateException("crashed on request");
            }
            report(message);
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            if (request instanceof Job job) {
                return new Job(job.id() + 1, job.text() + " (new)", plus(job.tags(), node().name()));
            }
            if ("pid".equals(request)) {
                return pid();
            }
            return "new echo:" + request;
        }
    }

    /** Links to and monitors the pid it is called with, trapping exits; reports what comes of it. */
    static final class Watcher extends Reporter {
        @Override
        protected void setUp(Object... args) {
            setTrapExit(true);
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            link(request);
            return monitor(request);
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            report(message);
        }
    }

    /** Spawned from the old node with a Job; answers calls with it. */
    static final class Worker extends Actor {
        private Job job;

        @Override
        protected void init(Object... args) {
            job = (Job) args[0];
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return "worker " + job.text() + " on " + node().name() + ": " + request;
        }
    }
}
