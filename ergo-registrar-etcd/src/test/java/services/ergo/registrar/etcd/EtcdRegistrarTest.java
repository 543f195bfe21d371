package services.ergo.registrar.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationMemberSpec;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ApplicationRoute;
import services.ergo.gen.ApplicationRoutes;
import services.ergo.gen.ApplicationSpec;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.InvalidOptionException;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarEvent;
import services.ergo.gen.RegistrarInfo;
import services.ergo.testkit.EtcdServer;
import services.ergo.testkit.TestProbe;

/** The etcd registrar against a real etcd server. */
class EtcdRegistrarTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    private static EtcdServer etcd;

    private final List<Node> nodes = new ArrayList<>();
    private final String cluster = "test" + CLUSTERS.incrementAndGet();

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
    }

    private Node start(String name, String inCluster, String endpoint) {
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .cookie("etcd")
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults()
                                .withEndpoints(endpoint)
                                .withCluster(inCluster)
                                .withLeaseTtl(Duration.ofSeconds(2))
                                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))))
                        .build());
        nodes.add(n);
        n.spawnRegister("echo", Echo::new, ProcessOptions.defaults());
        return n;
    }

    private Node start(String name) {
        return start(name, cluster, etcd.endpoint());
    }

    static final class Echo extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return request + " from " + node().name();
        }
    }

    static final class Member extends Actor {}

    private static TestProbe watch(Node node) {
        TestProbe probe = TestProbe.spawn(node);
        probe.monitorEvent(node.network().registrar().event().orElseThrow());
        return probe;
    }

    /** The next registrar event that matches, skipping others. */
    @SuppressWarnings("unchecked")
    private static <T extends RegistrarEvent> T expect(TestProbe probe, Class<T> type, Predicate<T> match) {
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

    private static <T extends RegistrarEvent> T expect(TestProbe probe, Class<T> type) {
        return expect(probe, type, t -> true);
    }

    @Test
    void nodesFindEachOtherThroughTheMirrorAndANameIsUniqueInItsCluster() {
        Node a = start("a@localhost");
        TestProbe probe = watch(a);
        long t0 = System.nanoTime();
        Node b = start("b@localhost");
        assertThat(expect(probe, RegistrarEvent.NodeJoined.class).node()).isEqualTo("b@localhost");
        System.out.printf("registered → seen on another node in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        assertThat(a.network().registrar().nodes()).containsExactly("a@localhost", "b@localhost");
        assertThat(a.network().registrar().resolve("b@localhost"))
                .contains(b.network().acceptor());
        assertThat(a.call(new ProcessId("echo", "b@localhost"), "hi")).isEqualTo("hi from b@localhost");
        assertThat(a.network().registrar().info().description())
                .contains(etcd.endpoint())
                .contains(cluster);

        assertThatThrownBy(() -> start("b@localhost"))
                .isInstanceOf(NameTakenException.class)
                .hasMessageContaining("'b@localhost'")
                .hasMessageContaining("etcd cluster '" + cluster + "'");
        Node other = start("b@localhost", cluster + "-other", etcd.endpoint()); // another cluster: another namespace
        assertThat(other.network().registrar().nodes()).containsExactly("b@localhost");

        b.stop(); // a clean stop takes its registration with it at once, not at the lease's end
        assertThat(expect(probe, RegistrarEvent.NodeLeft.class).node()).isEqualTo("b@localhost");
        assertThat(a.network().registrar().resolve("b@localhost")).isEmpty();
    }

    @Test
    void aHiddenNodeSeesTheClusterAndTheClusterDoesNotSeeIt() throws Exception {
        Node seen = start("seen@localhost");
        Node hidden = Ergo.startNode(
                "hidden@localhost",
                NodeOptions.builder()
                        .cookie("etcd")
                        .network(NetworkOptions.on().withPort(0).withHidden(true))
                        .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults()
                                .withEndpoints(etcd.endpoint())
                                .withCluster(cluster)))
                        .build());
        nodes.add(hidden);
        assertThat(hidden.network().registrar().info().description()).startsWith("hidden, etcd");
        assertThat(hidden.network().registrar().nodes()).containsExactly("seen@localhost");
        assertThat(hidden.call(new ProcessId("echo", "seen@localhost"), "hi")).isEqualTo("hi from seen@localhost");
        assertThat(seen.network().registrar().nodes()).containsExactly("seen@localhost");
        assertThat(etcd.etcdctl("get", "--prefix", "--keys-only", "services/ergo/cluster/" + cluster + "/"))
                .doesNotContain("hidden@localhost");
    }

    @Test
    void infoSaysEtcdCanDoEverythingHiddenOrNot() {
        Node a = start("a@localhost");
        Node hidden = Ergo.startNode(
                "hidden@localhost",
                NodeOptions.builder()
                        .cookie("etcd")
                        .network(NetworkOptions.on().withPort(0).withHidden(true))
                        .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults()
                                .withEndpoints(etcd.endpoint())
                                .withCluster(cluster)))
                        .build());
        nodes.add(hidden);
        for (Node n : List.of(a, hidden)) {
            Registrar registrar = n.network().registrar();
            RegistrarInfo info = registrar.info();
            assertThat(info.supportsApplications()).isTrue();
            assertThat(info.supportsEvents()).isTrue();
            assertThat(info.supportsConfiguration()).isTrue();
            assertThat(info.supportsHiddenNodes()).isTrue();
            assertThat(info.supportsNodeMetadata()).isTrue();
            assertThat(info.toString()).isEqualTo(info.description());
            assertThat(registrar.resolver()).isSameAs(registrar);
            assertThat(registrar.event()).isPresent();
        }
        assertThat(a.network().registrar().info().description())
                .isEqualTo("etcd " + etcd.endpoint() + ", cluster " + cluster);
        assertThat(hidden.network().registrar().info().description())
                .isEqualTo("hidden, etcd " + etcd.endpoint() + ", cluster " + cluster);
        assertThat(hidden.network().registrar().resolver().resolve("a@localhost"))
                .contains(a.network().acceptor());
    }

    @Test
    void applicationsArePublishedWithWeightModeAndStateAsTheyChange() {
        Node a = start("a@localhost");
        Node b = start("b@localhost");
        TestProbe probe = watch(a);
        b.applicationLoad((n, args) -> ApplicationSpec.builder("worker")
                .weight(100)
                .member(ApplicationMemberSpec.of("m", Member::new))
                .build());
        assertThat(expect(probe, RegistrarEvent.ApplicationLoaded.class))
                .isEqualTo(new RegistrarEvent.ApplicationLoaded("worker", "b@localhost", 100));
        b.applicationStart("worker", ApplicationOptions.defaults().withMode(ApplicationMode.TRANSIENT));
        assertThat(expect(probe, RegistrarEvent.ApplicationStarted.class))
                .isEqualTo(
                        new RegistrarEvent.ApplicationStarted("worker", "b@localhost", 100, ApplicationMode.TRANSIENT));
        assertThat(a.network().registrar().resolveApplication("worker"))
                .containsExactly(new ApplicationRoute(
                        "b@localhost", "worker", 100, ApplicationMode.TRANSIENT, ApplicationState.RUNNING));

        b.applicationSetWeight("worker", 0); // drain
        assertThat(expect(probe, RegistrarEvent.ApplicationWeight.class).weight())
                .isZero();
        assertThat(ApplicationRoutes.selectNode(a.network().registrar().resolveApplication("worker")))
                .isEmpty();

        b.applicationStop("worker");
        expect(probe, RegistrarEvent.ApplicationStopping.class);
        assertThat(expect(probe, RegistrarEvent.ApplicationStopped.class).node())
                .isEqualTo("b@localhost");
        b.applicationUnload("worker");
        expect(probe, RegistrarEvent.ApplicationUnloaded.class);
        assertThat(a.network().registrar().resolveApplication("worker")).isEmpty();
    }

    @Test
    void configurationFollowsTheSeedsLayoutAndTypesAndTellsOnlyRealChanges() throws Exception {
        // the seed's lines, verbatim
        etcd.etcdctl("put", "services/ergo/cluster/production/config/*/db.pool_size", "int:20");
        etcd.etcdctl("put", "services/ergo/cluster/production/config/*/cache.enabled", "bool:true");
        etcd.etcdctl("put", "services/ergo/cluster/production/config/node1/db.pool_size", "int:50");
        etcd.etcdctl("put", "services/ergo/config/global/region", "eu-west");
        etcd.etcdctl("put", "services/ergo/cluster/production/config/*/broken", "int:abc");
        Node node1 = start("node1@localhost", "production", etcd.endpoint());
        Node node2 = start("node2@localhost", "production", etcd.endpoint());

        assertThat(node1.network().registrar().config("db.pool_size", "cache.enabled"))
                .isEqualTo(Map.of("db.pool_size", 50L, "cache.enabled", true));
        assertThat(node2.network().registrar().config("db.pool_size", "cache.enabled"))
                .isEqualTo(Map.of("db.pool_size", 20L, "cache.enabled", true));
        assertThat(node2.network().registrar().config("region", "broken", "missing"))
                .as("global values apply; a malformed one is left out (and logged), not the others")
                .isEqualTo(Map.of("region", "eu-west"));

        TestProbe p1 = watch(node1);
        TestProbe p2 = watch(node2);
        etcd.etcdctl("del", "services/ergo/cluster/production/config/node1/db.pool_size");
        assertThat(expect(p1, RegistrarEvent.ConfigUpdate.class))
                .isEqualTo(new RegistrarEvent.ConfigUpdate("db.pool_size", 20L));
        // node2's value did not change: the next event it sees is the one after, in etcd's order
        etcd.etcdctl("put", "services/ergo/cluster/production/config/*/marker", "float:1.5");
        assertThat(p2.expectEvent(WAIT).message()).isEqualTo(new RegistrarEvent.ConfigUpdate("marker", 1.5));
        assertThat(expect(p1, RegistrarEvent.ConfigUpdate.class).item()).isEqualTo("marker");
        etcd.etcdctl("put", "services/ergo/cluster/production/config/*/broken", "int:7");
        assertThat(expect(p2, RegistrarEvent.ConfigUpdate.class))
                .isEqualTo(new RegistrarEvent.ConfigUpdate("broken", 7L));
        etcd.etcdctl("del", "services/ergo/cluster/production/config", "--prefix");
        etcd.etcdctl("del", "services/ergo/config/global", "--prefix");
    }

    @Test
    void aLostLeaseIsReplacedAndTheNodeRegistersAgainUnderItsName() throws Exception {
        Node a = start("a@localhost");
        Node b = start("b@localhost");
        b.applicationLoad((n, args) -> ApplicationSpec.builder("svc")
                .weight(5)
                .member(ApplicationMemberSpec.of("m", Member::new))
                .build());
        await().atMost(WAIT)
                .until(() -> !a.network().registrar().resolveApplication("svc").isEmpty());
        TestProbe probe = watch(a);
        String lease =
                etcd.etcdctl("get", "services/ergo/cluster/" + cluster + "/routes/nodes/b@localhost", "-w", "fields");
        String id = lease.lines()
                .filter(l -> l.startsWith("\"Lease\""))
                .findFirst()
                .orElseThrow()
                .replaceAll("[^0-9]", "");
        etcd.etcdctl("lease", "revoke", Long.toHexString(Long.parseLong(id)));
        assertThat(expect(probe, RegistrarEvent.NodeLeft.class).node()).isEqualTo("b@localhost");
        assertThat(expect(probe, RegistrarEvent.NodeJoined.class).node()).isEqualTo("b@localhost");
        await().atMost(WAIT)
                .until(() -> a.network().registrar().resolveApplication("svc").size() == 1);
        assertThat(a.call(new ProcessId("echo", "b@localhost"), "back")).isEqualTo("back from b@localhost");
    }

    @Test
    void anEtcdRestartIsSurvivedAndWhatItHidIsReported() throws Exception {
        try (EtcdServer own = EtcdServer.start()) {
            Node a = start("a@localhost", cluster, own.endpoint());
            Node b = start("b@localhost", cluster, own.endpoint());
            TestProbe probe = watch(a);
            own.kill();
            expect(probe, RegistrarEvent.Disconnected.class);
            assertThat(a.network().registrar().resolve("b@localhost"))
                    .as("the mirror still answers during the outage")
                    .isPresent();
            b.stopForce(); // goes while etcd is away: its lease will run out after etcd is back
            own.restart();
            expect(probe, RegistrarEvent.Connected.class);
            assertThat(expect(probe, RegistrarEvent.NodeLeft.class).node()).isEqualTo("b@localhost");
            Node c = start("c@localhost", cluster, own.endpoint());
            assertThat(c.network().registrar().nodes()).containsExactly("a@localhost", "c@localhost");
            assertThat(c.call(new ProcessId("echo", "a@localhost"), "after")).isEqualTo("after from a@localhost");
        }
    }

    @Test
    void optionsAreChecked() {
        EtcdRegistrarOptions d = EtcdRegistrarOptions.defaults();
        assertThat(d.cluster()).isEqualTo("default");
        assertThat(d.leaseTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> d.withCluster("a/b")).hasMessageContaining("without '/'");
        assertThatThrownBy(() -> d.withLeaseTtl(Duration.ofMillis(10))).hasMessageContaining("at least 1 s");
        assertThatThrownBy(() -> d.withEndpoints()).hasMessageContaining("at least one endpoint");
        assertThatThrownBy(() -> d.withCredentials("user", null)).hasMessageContaining("go together");
        // the option named is the one missing, so a configuration can say which to set
        assertThatThrownBy(() -> d.withCredentials("user", null))
                .isInstanceOfSatisfying(
                        InvalidOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("password"));
        assertThatThrownBy(() -> d.withCredentials(null, "secret"))
                .isInstanceOfSatisfying(
                        InvalidOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("user"));
        assertThatThrownBy(() -> d.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(
                        InvalidOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("backoffMax"));
        assertThat(d.endpoints()).containsExactly(EtcdRegistrarOptions.DEFAULT_ENDPOINT);
        assertThat(d.requestTimeout()).isEqualTo(EtcdRegistrarOptions.DEFAULT_REQUEST_TIMEOUT);
    }

    @Test
    void anUnreachableEtcdIsAClearErrorAtStart() throws Exception {
        int port = EtcdServer.freePort();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Ergo.startNode(
                        "lonely@localhost",
                        NodeOptions.builder()
                                .network(NetworkOptions.on().withPort(0))
                                .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults()
                                        .withEndpoints("http://127.0.0.1:" + port)
                                        .withRequestTimeout(Duration.ofSeconds(1))))
                                .build()))
                .hasMessageContaining("cannot register lonely@localhost with etcd at [http://127.0.0.1:" + port + "]");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
}
