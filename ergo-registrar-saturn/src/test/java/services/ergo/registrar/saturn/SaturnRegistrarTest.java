package services.ergo.registrar.saturn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import services.ergo.gen.ErgoException;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.gen.RegistrarEvent;
import services.ergo.gen.RegistrarInfo;
import services.ergo.saturn.server.SaturnServer;
import services.ergo.saturn.server.SaturnServerOptions;
import services.ergo.testkit.TestProbe;

/** The Saturn registrar on real nodes, against an in-process Saturn server over real TCP. */
class SaturnRegistrarTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final String TOKEN = "the-token-of-cluster-prod";

    private SaturnServer server;
    private final List<Node> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() {
        server = startServer(0);
    }

    /**
     * A server on {@code port}, 0 meaning a free port below the ephemeral range: a test restarts its server on the
     * same port while clients keep dialling it, and a dial to a free ephemeral port can connect to itself (TCP
     * simultaneous open) and so hold the port the restart needs.
     */
    static SaturnServer startServer(int port) {
        return SaturnServer.start(SaturnServerOptions.defaults()
                .withPort(port == 0 ? lowFreePort() : port)
                .withTtl(Duration.ofSeconds(3))
                .withClusters(Map.of("prod", TOKEN, "other", TOKEN + "-other")));
    }

    static int lowFreePort() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; ; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (java.io.IOException taken) {
                if (attempt > 100) {
                    throw new IllegalStateException("no free port in 20000..32000", taken);
                }
            }
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(Node::stopForce);
        server.close();
    }

    static SaturnRegistrarOptions options(String... servers) {
        return SaturnRegistrarOptions.defaults()
                .withServers(servers)
                .withCluster("prod")
                .withToken(TOKEN)
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(300));
    }

    private Node start(String name, SaturnRegistrarOptions options, boolean hidden) {
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .cookie("saturn")
                        .network(NetworkOptions.on().withPort(0).withHidden(hidden))
                        .registrar(() -> new SaturnRegistrar(options))
                        .build());
        nodes.add(n);
        n.spawnRegister("echo", Echo::new, ProcessOptions.defaults());
        return n;
    }

    private Node start(String name) {
        return start(name, options(server.address()), false);
    }

    static final class Echo extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return request + " from " + node().name();
        }
    }

    static final class Member extends Actor {}

    static TestProbe watch(Node node) {
        TestProbe probe = TestProbe.spawn(node);
        probe.monitorEvent(node.network().registrar().event().orElseThrow());
        return probe;
    }

    /** The next registrar event that matches, skipping others. */
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

    static <T extends RegistrarEvent> T expect(TestProbe probe, Class<T> type) {
        return expect(probe, type, t -> true);
    }

    static SaturnRegistrar registrar(Node n) {
        return (SaturnRegistrar) n.network().registrar();
    }

    @Test
    void nodesFindEachOtherAndANameIsUniqueInItsCluster() {
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
                .isEqualTo("saturn " + server.address() + ", cluster prod");

        assertThatThrownBy(() -> start("b@localhost"))
                .isInstanceOf(NameTakenException.class)
                .hasMessageContaining("'b@localhost'")
                .hasMessageContaining("cluster 'prod'");
        Node other = start(
                "b@localhost", options(server.address()).withCluster("other").withToken(TOKEN + "-other"), false);
        assertThat(other.network().registrar().nodes()).containsExactly("b@localhost"); // another namespace

        b.stop(); // a clean stop leaves at once, not at the TTL's end
        assertThat(expect(probe, RegistrarEvent.NodeLeft.class).node()).isEqualTo("b@localhost");
        assertThat(a.network().registrar().resolve("b@localhost")).isEmpty();
    }

    @Test
    void aConnectedRegistrarsStatusNamesItsServerAndNoLagOnceLevel() {
        Node a = start("a@localhost");
        TestProbe probe = watch(a);
        start("b@localhost");
        expect(probe, RegistrarEvent.NodeJoined.class);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(a.network().registrar().status())
                        .containsEntry("server", server.address())
                        .containsEntry("connected", true)
                        .containsEntry("lagRevisions", 0L)
                        .containsEntry("lagMillis", 0L)
                        .hasEntrySatisfying(
                                "revision", r -> assertThat((Long) r).isNotNegative()));
        assertThat(a.network().registrar().status().get("revision"))
                .isEqualTo(registrar(a).revision());
    }

    @Test
    void aWrongTokenStopsTheStartWithAClearError() {
        assertThatThrownBy(() -> start("x@localhost", options(server.address()).withToken("not-the-token"), false))
                .isInstanceOf(ErgoException.class)
                .hasMessageContaining("token")
                .hasMessageContaining("ergo.registrar.saturn.token");
        assertThat(server.entries("prod")).isEmpty();
        assertThatThrownBy(() -> options("no-port")).hasMessageContaining("ergo.registrar.saturn.servers");
    }

    @Test
    void aHiddenNodeSeesTheClusterAndTheClusterDoesNotSeeIt() {
        Node seen = start("seen@localhost");
        Node hidden = start("hidden@localhost", options(server.address()), true);
        assertThat(hidden.network().registrar().info().description()).startsWith("hidden, saturn");
        assertThat(hidden.network().registrar().nodes()).containsExactly("seen@localhost");
        assertThat(hidden.call(new ProcessId("echo", "seen@localhost"), "hi")).isEqualTo("hi from seen@localhost");
        assertThat(seen.network().registrar().nodes()).containsExactly("seen@localhost");
        assertThat(server.sessions("prod")).isEqualTo(2);
        RegistrarInfo info = hidden.network().registrar().info();
        assertThat(info.supportsApplications()).isTrue();
        assertThat(info.supportsEvents()).isTrue();
        assertThat(info.supportsHiddenNodes()).isTrue();
        assertThat(info.supportsNodeMetadata()).isTrue();
        assertThat(info.supportsConfiguration()).isTrue();
    }

    @Test
    void applicationsAndMetadataArePublishedAsTheyChange() {
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
        assertThat(a.network().registrar().applications()).containsExactly("worker");

        b.applicationSetWeight("worker", 0); // drain
        assertThat(expect(probe, RegistrarEvent.ApplicationWeight.class).weight())
                .isZero();
        assertThat(ApplicationRoutes.selectNode(a.network().registrar().resolveApplication("worker")))
                .isEmpty();

        b.network().registrar().setNodeMetadata(Map.of("http", "127.0.0.1:8080"));
        await().atMost(WAIT)
                .until(() ->
                        a.network().registrar().nodeMetadata("b@localhost").equals(Map.of("http", "127.0.0.1:8080")));

        b.applicationStop("worker");
        expect(probe, RegistrarEvent.ApplicationStopping.class);
        assertThat(expect(probe, RegistrarEvent.ApplicationStopped.class).node())
                .isEqualTo("b@localhost");
        b.applicationUnload("worker");
        expect(probe, RegistrarEvent.ApplicationUnloaded.class);
        assertThat(a.network().registrar().resolveApplication("worker")).isEmpty();
        assertThat(a.network().registrar().nodeMetadata("b@localhost")).containsEntry("http", "127.0.0.1:8080");
    }

    @Test
    void afterAServerRestartEveryNodeRegistersItsCurrentStateAndHearsWhatTheOutageHid() {
        int port = server.port();
        Node a = start("a@localhost");
        Node b = start("b@localhost");
        Node c = start("c@localhost");
        TestProbe probe = watch(a);
        await().atMost(WAIT).until(() -> a.network().registrar().nodes().size() == 3); // c's join reached a
        server.close();
        expect(probe, RegistrarEvent.Disconnected.class);
        assertThat(a.network().registrar().connected()).isFalse();
        assertThat(a.network().registrar().nodes()).as("the copy still answers").hasSize(3);
        // while the server is away: c stops for good, b loads an application it never registered with
        c.stopForce();
        b.applicationLoad((n, args) -> ApplicationSpec.builder("late")
                .member(ApplicationMemberSpec.of("m", Member::new))
                .build());
        server = startServer(port);

        // a restarted server knows only who registered again: a, back before b, may also see b leave and return
        expect(probe, RegistrarEvent.NodeLeft.class, left -> left.node().equals("c@localhost"));
        expect(probe, RegistrarEvent.Connected.class);
        await().atMost(WAIT)
                .until(() -> !a.network().registrar().resolveApplication("late").isEmpty());
        assertThat(a.network().registrar().nodes()).containsExactly("a@localhost", "b@localhost");
        await().atMost(WAIT).until(() -> registrar(b).view().equals(server.entries("prod")));
        assertThat(registrar(a).view()).isEqualTo(server.entries("prod"));
    }

    @Test
    void aCutConnectionResumesFromItsRevisionWithTheChangesItMissed() throws Exception {
        Node a = start("a@localhost");
        try (Relay relay = Relay.to(server.port())) {
            Node b = start("b@localhost", options("127.0.0.1:" + relay.port()), false);
            TestProbe probe = watch(b);
            relay.cut();
            expect(probe, RegistrarEvent.Disconnected.class);
            Node c = start("c@localhost");
            a.network().registrar().setNodeMetadata(Map.of("k", "v"));
            await().atMost(WAIT)
                    .until(() -> server.entries("prod").size() == 2
                            && !server.entries("prod").get(0).metadata().isEmpty());
            long resumesBefore = server.counters().resumes.get();
            relay.restore();
            assertThat(expect(
                                    probe,
                                    RegistrarEvent.NodeJoined.class,
                                    j -> j.node().equals("c@localhost"))
                            .node())
                    .isEqualTo("c@localhost");
            expect(probe, RegistrarEvent.Connected.class);
            assertThat(server.counters().resumes.get()).as("resumed by delta").isEqualTo(resumesBefore + 1);
            await().atMost(WAIT).until(() -> registrar(b).view().equals(server.entries("prod")));
            assertThat(b.network().registrar().nodeMetadata("a@localhost")).containsEntry("k", "v");
            assertThat(registrar(c).view()).isEqualTo(server.entries("prod"));
        }
    }

    @Test
    void aHerdOfNodesStartingAtOnceIsAdmittedAtTheServersRateAndAllGetIn() throws Exception {
        server.close();
        server = SaturnServer.start(SaturnServerOptions.defaults()
                .withPort(lowFreePort())
                .withAdmission(20, 1)
                .withClusters(Map.of("prod", TOKEN)));
        List<java.util.concurrent.CompletableFuture<Node>> starting = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String name = "herd" + i + "@localhost";
            starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> start(name)));
        }
        for (var f : starting) {
            f.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(server.entries("prod")).hasSize(6);
        assertThat(server.counters().busy.get())
                .as("some were told to come back later")
                .isPositive();
    }

    @Test
    void configurationFollowsTheSeedsOverrideOrderAndTypesAndTellsOnlyRealChanges() {
        server.putConfig("prod", "*", "db.pool_size", "int:20");
        server.putConfig("prod", "*", "cache.enabled", "bool:true");
        server.putConfig("prod", "node1", "db.pool_size", "int:50");
        server.putConfig("prod", "node2@localhost", "ratio", "float:0.5");
        server.putGlobalConfig("region", "eu-west");
        server.putConfig("prod", "*", "broken", "int:abc");
        Node node1 = start("node1@localhost");
        Node node2 = start("node2@localhost");

        assertThat(node1.network().registrar().config("db.pool_size", "cache.enabled"))
                .isEqualTo(Map.of("db.pool_size", 50L, "cache.enabled", true));
        assertThat(node2.network().registrar().config("db.pool_size", "cache.enabled", "ratio"))
                .isEqualTo(Map.of("db.pool_size", 20L, "cache.enabled", true, "ratio", 0.5));
        assertThat(node2.network().registrar().config("region", "broken", "missing"))
                .as("global values apply; a malformed one is left out (and logged), not the others")
                .isEqualTo(Map.of("region", "eu-west"));
        assertThat(node1.network().registrar().configAll())
                .isEqualTo(Map.of("db.pool_size", 50L, "cache.enabled", true, "region", "eu-west"));

        TestProbe p1 = watch(node1);
        TestProbe p2 = watch(node2);
        server.removeConfig("prod", "node1", "db.pool_size");
        assertThat(expect(p1, RegistrarEvent.ConfigUpdate.class))
                .isEqualTo(new RegistrarEvent.ConfigUpdate("db.pool_size", 20L));
        // node2's value did not change: the next event it sees is the one after, in the server's order
        server.putConfig("prod", "*", "marker", "float:1.5");
        assertThat(p2.expectEvent(WAIT).message()).isEqualTo(new RegistrarEvent.ConfigUpdate("marker", 1.5));
        assertThat(expect(p1, RegistrarEvent.ConfigUpdate.class).item()).isEqualTo("marker");
        server.putConfig("prod", "*", "broken", "int:7");
        assertThat(expect(p2, RegistrarEvent.ConfigUpdate.class))
                .isEqualTo(new RegistrarEvent.ConfigUpdate("broken", 7L));
        server.removeConfig("prod", "*", "cache.enabled");
        assertThat(expect(p2, RegistrarEvent.ConfigUpdate.class))
                .isEqualTo(new RegistrarEvent.ConfigUpdate("cache.enabled", null));
    }

    @Test
    void aNodeWhoseTokenMayNotClaimItsNameDoesNotStart() throws Exception {
        server.close();
        String workers = "the-workers-token-of-prod";
        server = SaturnServer.start(SaturnServerOptions.defaults()
                .withPort(lowFreePort())
                .withClusters(Map.of("prod", TOKEN))
                .withToken(new services.ergo.saturn.server.SaturnToken("prod", "workers", workers, "worker\\d+@.*")));
        SaturnRegistrarOptions asWorker =
                options(server.address()).withToken(workers).withTokenId("workers");
        Node worker = start("worker1@localhost", asWorker, false);
        assertThat(worker.network().registrar().nodes()).containsExactly("worker1@localhost");
        assertThatThrownBy(() -> start("coordinator@localhost", asWorker, false))
                .isInstanceOf(ErgoException.class)
                .hasMessageContaining("may not claim node name 'coordinator@localhost'")
                .hasMessageContaining("ergo.registrar.saturn.token-id");
    }

    @Test
    void aSaturnYamlReachesTheNodesTypedAndAReloadTellsOnlyWhatChanged(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        server.close();
        String pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n";
        Files.writeString(dir.resolve("ca.pem"), pem);
        Path file = dir.resolve("saturn.yaml");
        String yaml = """
                clusters:
                  prod:
                    token: %s
                    config:
                      db.pool_size: 20
                      ratio: 1.5
                      cache.enabled: true
                      tls.ca.file: ca.pem
                    nodes:
                      node1:
                        db.pool_size: %d
                config:
                  region: eu-west
                """;
        Files.writeString(file, yaml.formatted(TOKEN, 50));
        server = SaturnServer.start(
                SaturnServerOptions.defaults().withPort(lowFreePort()).withConfigFile(file));
        Node node1 = start("node1@localhost");

        assertThat(node1.network().registrar().configAll())
                .isEqualTo(Map.of(
                        "db.pool_size",
                        50L,
                        "ratio",
                        1.5,
                        "cache.enabled",
                        true,
                        "tls.ca.file",
                        pem,
                        "region",
                        "eu-west"));

        TestProbe probe = watch(node1);
        Files.writeString(file, yaml.formatted(TOKEN, 60));
        assertThat(probe.expectEvent(Duration.ofSeconds(10)).message())
                .isEqualTo(new RegistrarEvent.ConfigUpdate("db.pool_size", 60L));
        assertThat(server.counters().configReloads.get()).isPositive();
        assertThat(probe.pollEvent(Duration.ofMillis(300)))
                .as("nothing else changed, nothing else is told")
                .isEmpty();
    }
}
