package services.ergo.registrar.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.ProcessId;
import services.ergo.testkit.EtcdServer;

/** The registrar on a three-member etcd cluster that loses its leader, and on an etcd with authentication. */
class EtcdClusterTest {
    private final List<Node> nodes = new ArrayList<>();
    private final List<EtcdServer> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(Node::stopForce);
        for (EtcdServer s : servers) {
            s.close();
        }
    }

    private Node start(String name, EtcdRegistrarOptions options) {
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new EtcdRegistrar(options))
                        .build());
        nodes.add(n);
        n.spawnRegister("echo", EtcdRegistrarTest.Echo::new, services.ergo.gen.ProcessOptions.defaults());
        return n;
    }

    /** The member etcd says leads: the one whose member id is the leader id it reports. */
    private static EtcdServer leader(List<EtcdServer> members) throws Exception {
        for (EtcdServer m : members) {
            String fields = m.etcdctl("endpoint", "status", "-w", "fields");
            String member = field(fields, "\"MemberID\"");
            String leader = field(fields, "\"Leader\"");
            if (member != null && member.equals(leader)) {
                return m;
            }
        }
        throw new AssertionError("no member says it leads");
    }

    private static String field(String fields, String name) {
        return fields.lines()
                .filter(l -> l.startsWith(name))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst()
                .orElse(null);
    }

    @Test
    void killingTheEtcdLeaderDoesNotStopDiscovery() throws Exception {
        servers.addAll(EtcdServer.cluster(3));
        String[] endpoints = servers.stream().map(EtcdServer::endpoint).toArray(String[]::new);
        EtcdRegistrarOptions options = EtcdRegistrarOptions.defaults()
                .withEndpoints(endpoints)
                .withCluster("ha")
                .withLeaseTtl(Duration.ofSeconds(3))
                .withRequestTimeout(Duration.ofSeconds(2))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
        Node a = start("a@localhost", options);
        start("b@localhost", options);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> a.network().registrar().nodes().size() == 2);

        EtcdServer leader = leader(servers);
        long t0 = System.nanoTime();
        leader.kill();
        Node c = start("c@localhost", options);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> a.network().registrar().nodes().contains("c@localhost"));
        System.out.printf(
                "etcd leader killed → a new node registered and seen by another in %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(c.call(new ProcessId("echo", "a@localhost"), "still")).isEqualTo("still from a@localhost");
        assertThat(a.network().registrar().nodes()).containsExactly("a@localhost", "b@localhost", "c@localhost");
    }

    @Test
    void credentialsAreUsedAndWrongOnesAreAClearError() throws Exception {
        EtcdServer etcd = EtcdServer.start();
        servers.add(etcd);
        etcd.etcdctl("user", "add", "root", "--new-user-password=s3cret");
        etcd.etcdctl("user", "grant-role", "root", "root");
        assertThat(etcd.etcdctl("auth", "enable")).contains("Authentication Enabled");
        EtcdRegistrarOptions base = EtcdRegistrarOptions.defaults()
                .withEndpoints(etcd.endpoint())
                .withCluster("secure")
                .withRequestTimeout(Duration.ofSeconds(3));
        Node a = start("a@localhost", base.withCredentials("root", "s3cret"));
        assertThat(a.network().registrar().nodes()).containsExactly("a@localhost");
        assertThatThrownBy(() -> start("b@localhost", base.withCredentials("root", "wrong")))
                .hasMessageContaining("cannot register b@localhost with etcd")
                .hasMessageContaining("authentication failed");
    }
}
