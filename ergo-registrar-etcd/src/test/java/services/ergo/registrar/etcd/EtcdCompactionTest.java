package services.ergo.registrar.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationMemberSpec;
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
 * A node cut off from etcd while the cluster moves on and etcd compacts its history: when it reconnects, its watch
 * cannot resume from where it was (the revisions are gone), so it must read the cluster again and report what it
 * missed.
 */
class EtcdCompactionTest {

    static final class Member extends Actor {}

    private static Node node(String name, String endpoint) {
        return Ergo.startNode(
                name,
                NodeOptions.builder()
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults()
                                .withEndpoints(endpoint)
                                .withCluster("compaction")
                                .withRequestTimeout(Duration.ofSeconds(1))
                                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(300))))
                        .build());
    }

    @Test
    void aWatchThatCannotResumeAfterCompactionReadsTheClusterAgain() throws Exception {
        try (EtcdServer etcd = EtcdServer.start();
                TcpRelay relay = TcpRelay.to(URI.create(etcd.endpoint()).getPort())) {
            Node cutOff = node("cut@localhost", "http://127.0.0.1:" + relay.port());
            Node other = node("other@localhost", etcd.endpoint());
            try {
                TestProbe probe = TestProbe.spawn(cutOff);
                probe.monitorEvent(cutOff.network().registrar().event().orElseThrow());
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> cutOff.network().registrar().nodes().size() == 2);

                relay.cut();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !((EtcdRegistrar) cutOff.network().registrar()).connected());
                other.applicationLoad((n, a) -> ApplicationSpec.builder("svc")
                        .weight(7)
                        .member(ApplicationMemberSpec.of("m", Member::new))
                        .build());
                for (int i = 0; i < 20; i++) {
                    etcd.etcdctl("put", "services/ergo/cluster/compaction/config/*/knob", "int:" + i);
                }
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> !other.network()
                                .registrar()
                                .resolveApplication("svc")
                                .isEmpty());
                String status = etcd.etcdctl("endpoint", "status", "-w", "fields");
                String revision = status.lines()
                        .filter(l -> l.startsWith("\"Revision\""))
                        .findFirst()
                        .orElseThrow()
                        .replaceAll("[^0-9]", "");
                assertThat(etcd.etcdctl("compact", revision)).contains("compacted revision " + revision);

                relay.restore();
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> ((EtcdRegistrar) cutOff.network().registrar()).connected());
                assertThat(cutOff.network().registrar().resolveApplication("svc"))
                        .hasSize(1);
                assertThat(cutOff.network().registrar().config("knob")).isEqualTo(Map.of("knob", 19L));
                boolean loaded = false;
                boolean knob = false;
                MessageEvent e;
                while ((e = probe.pollEvent(Duration.ofMillis(200)).orElse(null)) != null) {
                    loaded |= e.message() instanceof RegistrarEvent.ApplicationLoaded l
                            && l.name().equals("svc");
                    knob |= e.message().equals(new RegistrarEvent.ConfigUpdate("knob", 19L));
                }
                assertThat(loaded)
                        .as("the application loaded while cut off is reported")
                        .isTrue();
                assertThat(knob)
                        .as("the configuration's last value is reported")
                        .isTrue();
            } finally {
                cutOff.stopForce();
                other.stopForce();
            }
        }
    }
}
