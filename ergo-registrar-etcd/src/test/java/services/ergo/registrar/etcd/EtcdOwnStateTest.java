package services.ergo.registrar.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationInfo;
import services.ergo.gen.ApplicationMemberSpec;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ApplicationSpec;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.RegistrarEvent;
import services.ergo.testkit.EtcdServer;
import services.ergo.testkit.TcpRelay;
import services.ergo.testkit.TestProbe;

/**
 * A node's own keys in etcd (its route, its application routes, its metadata) against what the node holds, the
 * truth read from etcd itself, through faults between the node and etcd while its lease lives (H4 and L5 of the
 * security review).
 */
class EtcdOwnStateTest {
    static final Duration WAIT = Duration.ofSeconds(8);
    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    static EtcdServer etcd;

    private final List<Node> nodes = new ArrayList<>();
    private final List<TcpRelay> relays = new ArrayList<>();
    private final String cluster = "own" + CLUSTERS.incrementAndGet();

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdServer.start();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        etcd.close();
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(Node::stopForce);
        relays.forEach(TcpRelay::close);
    }

    static final class Member extends Actor {}

    static int port(EtcdServer server) {
        String e = server.endpoint();
        return Integer.parseInt(e.substring(e.lastIndexOf(':') + 1));
    }

    private TcpRelay relay() throws Exception {
        TcpRelay r = TcpRelay.to(port(etcd));
        relays.add(r);
        return r;
    }

    /** A node whose lease outlives every fault here (10 s), whose requests give up after 1 s. */
    static Node start(String name, String cluster, int etcdPort) {
        return Ergo.startNode(
                name,
                NodeOptions.builder()
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults()
                                .withEndpoints("http://127.0.0.1:" + etcdPort)
                                .withCluster(cluster)
                                .withLeaseTtl(Duration.ofSeconds(10))
                                .withRequestTimeout(Duration.ofSeconds(1))
                                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(300))))
                        .build());
    }

    private Node start(String name, int etcdPort) {
        Node n = start(name, cluster, etcdPort);
        nodes.add(n);
        return n;
    }

    static void load(Node n) {
        n.applicationLoad((x, a) -> ApplicationSpec.builder("svc")
                .weight(10)
                .member(ApplicationMemberSpec.of("m", Member::new))
                .build());
    }

    /** The node's own keys as etcd holds them: key → value. */
    static Map<String, String> inEtcd(String cluster, String node) throws Exception {
        String prefix = "services/ergo/cluster/" + cluster + "/routes/";
        List<String> lines = etcd.etcdctl("get", "--prefix", prefix).lines().toList();
        Map<String, String> own = new TreeMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            if (lines.get(i).endsWith("/" + node)) {
                own.put(lines.get(i).substring(prefix.length()), lines.get(i + 1));
            }
        }
        return own;
    }

    /** What the node holds, in etcd's layout: its route, its applications, the metadata it was given. */
    static Map<String, String> held(Node n, Map<String, String> metadata) {
        Map<String, String> own = new TreeMap<>();
        own.put("nodes/" + n.name(), ClusterView.formatRoute(n.network().acceptor()));
        for (ApplicationInfo app : n.applications()) {
            own.put(
                    "applications/" + app.name() + "/" + n.name(),
                    ClusterView.formatApplication(app.weight(), app.mode(), app.state()));
        }
        if (!metadata.isEmpty()) {
            own.put("meta/" + n.name(), ClusterView.formatMeta(metadata));
        }
        return own;
    }

    static TestProbe watch(Node n) {
        TestProbe probe = TestProbe.spawn(n);
        probe.monitorEvent(n.network().registrar().event().orElseThrow());
        return probe;
    }

    @SuppressWarnings("unchecked")
    static <T extends RegistrarEvent> T expect(TestProbe probe, Class<T> type, Predicate<T> match) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            assertThat(left).as("a %s within %s", type.getSimpleName(), WAIT).isPositive();
            MessageEvent e = probe.expectEvent(Duration.ofNanos(left));
            if (type.isInstance(e.message()) && match.test((T) e.message())) {
                return (T) e.message();
            }
        }
    }

    @Test
    void changesWhosePutsWereLostReachEtcdWhenItIsBackAndTheLeaseLived() throws Exception {
        TcpRelay relay = relay();
        Node w = start("w@localhost", relay.port());
        load(w);
        w.network().registrar().setNodeMetadata(Map.of("http", "localhost:8080"));
        await().atMost(WAIT).until(() -> inEtcd(cluster, w.name()).equals(held(w, Map.of("http", "localhost:8080"))));
        TestProbe probe = watch(w);

        // each change alone in an episode, so that no later put carries it: a network that drops everything
        // without a reset, the put hangs until it times out, then the connection is reset and what hung is gone
        List<Runnable> changes = List.of(
                () -> w.applicationStart("svc", ApplicationOptions.defaults()),
                () -> w.applicationSetWeight("svc", 70),
                () -> w.network().registrar().setNodeMetadata(Map.of("http", "localhost:9090")));
        for (Runnable change : changes) {
            relay.freeze();
            change.run();
            expect(probe, RegistrarEvent.Disconnected.class, d -> true);
            relay.reset();
            expect(probe, RegistrarEvent.Connected.class, c -> true);
        }

        Map<String, String> truth = held(w, Map.of("http", "localhost:9090"));
        assertThat(truth).containsValue("weight=70;mode=temporary;state=running");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(inEtcd(cluster, w.name()))
                        .as("etcd holds what the node holds")
                        .isEqualTo(truth));
    }

    @Test
    void aDeletedOwnKeyIsPutBackWhileTheLeaseLives() throws Exception {
        Node w = start("w@localhost", port(etcd));
        load(w);
        Map<String, String> truth = held(w, Map.of());
        await().atMost(WAIT).until(() -> inEtcd(cluster, w.name()).equals(truth));
        String prefix = "services/ergo/cluster/" + cluster + "/routes/";
        etcd.etcdctl("del", prefix + "nodes/" + w.name());
        etcd.etcdctl("del", prefix + "applications/svc/" + w.name());
        etcd.etcdctl("put", prefix + "applications/gone/" + w.name(), "weight=1;mode=temporary;state=running");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(inEtcd(cluster, w.name()))
                        .as("restored, and what the node does not have deleted")
                        .isEqualTo(truth));
        Node late = start("late@localhost", port(etcd));
        assertThat(late.network().registrar().resolve(w.name()))
                .contains(w.network().acceptor());
    }

    @Test
    void aCreateWhoseAnswerWasLostIsRecognisedAsThisNodesOwn() throws Exception {
        TcpRelay relay = relay();
        relay.loseAnswersFrom(2); // the lease grant is answered; the create transaction commits, its answer is lost
        Node w = start("w@localhost", relay.port());
        assertThat(w.network().registrar().connected()).isTrue();
        await().atMost(WAIT).until(() -> inEtcd(cluster, w.name()).equals(held(w, Map.of())));
        Node late = start("late@localhost", port(etcd));
        assertThat(late.network().registrar().resolve(w.name()))
                .contains(w.network().acceptor());
    }

    @Test
    void aNameTakenWhileAwayIsToldOnceAndTheNameIsTakenBackWhenFree() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(EtcdRegistrar.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Level level = log.getLevel();
        log.setLevel(Level.DEBUG);
        log.addAppender(lines);
        try {
            TcpRelay relay = relay();
            Node w = start("w@localhost", relay.port());
            TestProbe probe = watch(w);
            String nodeKey = "services/ergo/cluster/" + cluster + "/routes/nodes/" + w.name();
            String lease = etcd.etcdctl("get", nodeKey, "-w", "fields")
                    .lines()
                    .filter(l -> l.startsWith("\"Lease\""))
                    .findFirst()
                    .orElseThrow()
                    .replaceAll("[^0-9]", "");
            relay.freeze(); // away; meanwhile its lease goes and another node takes the name
            etcd.etcdctl("lease", "revoke", Long.toHexString(Long.parseLong(lease)));
            Node other = start("w@localhost", port(etcd));
            relay.reset();

            RegistrarEvent.Disconnected taken = expect(
                    probe, RegistrarEvent.Disconnected.class, d -> d.reason().contains("taken"));
            assertThat(taken.reason()).contains("w@localhost").contains(cluster);
            assertThat(w.network().registrar().connected()).isFalse();
            assertThat(w.network().registrar().info().description()).endsWith("(name taken by another node)");
            // it keeps trying, quietly: one warning for the episode
            await().atMost(WAIT)
                    .until(() -> lines.list.stream()
                                    .filter(e -> e.getFormattedMessage().contains("still taken"))
                                    .count()
                            >= 3);
            assertThat(lines.list.stream()
                            .filter(e -> e.getLevel() == Level.WARN
                                    && e.getFormattedMessage().contains("was taken"))
                            .count())
                    .isEqualTo(1);
            assertThat(inEtcd(cluster, "w@localhost"))
                    .as("the other node's registration is left alone")
                    .containsEntry(
                            "nodes/w@localhost",
                            ClusterView.formatRoute(other.network().acceptor()));

            other.stop(); // the name is free again: the node takes it back
            expect(probe, RegistrarEvent.Connected.class, c -> true);
            assertThat(w.network().registrar().info().description()).doesNotContain("taken");
            await().atMost(WAIT).until(() -> inEtcd(cluster, w.name()).equals(held(w, Map.of())));
        } finally {
            log.detachAppender(lines);
            log.setLevel(level);
        }
    }
}
