package services.ergo.registrar.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Node;
import services.ergo.gen.RegistrarEvent;
import services.ergo.testkit.EtcdServer;
import services.ergo.testkit.TcpRelay;
import services.ergo.testkit.TestProbe;

/**
 * Random schedules of a node's own changes (application start, stop, weight, metadata) and faults between it and
 * etcd while its lease lives: a network that hangs (freeze), hangs until a request times out, is reset, or passes
 * what it held late (thaw); etcd killed and restarted; an own key deleted by someone. Whatever the schedule, once
 * the faults end, etcd holds exactly what the node holds (read from etcd itself, not from another node's mirror).
 */
class EtcdOwnStateScheduleTest {
    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    enum Step {
        START,
        STOP,
        WEIGHT,
        META,
        FREEZE,
        TIME_OUT,
        RESET,
        THAW,
        RESTART_ETCD,
        DELETE_OWN_KEY
    }

    @BeforeContainer
    static void startEtcd() throws Exception {
        EtcdOwnStateTest.etcd = EtcdServer.start();
    }

    @AfterContainer
    static void stopEtcd() throws Exception {
        EtcdOwnStateTest.etcd.close();
    }

    @Provide
    Arbitrary<List<Step>> schedules() {
        return Arbitraries.of(Step.class).list().ofMinSize(3).ofMaxSize(8);
    }

    @Property(tries = 6)
    void etcdEndsHoldingWhatTheNodeHolds(@ForAll("schedules") List<Step> schedule) throws Exception {
        EtcdServer etcd = EtcdOwnStateTest.etcd;
        String cluster = "ownsched" + CLUSTERS.incrementAndGet();
        Node w = null;
        try (TcpRelay relay = TcpRelay.to(EtcdOwnStateTest.port(etcd))) {
            w = EtcdOwnStateTest.start("w@localhost", cluster, relay.port());
            EtcdOwnStateTest.load(w);
            TestProbe probe = EtcdOwnStateTest.watch(w);
            Map<String, String> meta = Map.of();
            boolean frozen = false;
            int value = 0;
            for (Step step : schedule) {
                try {
                    switch (step) {
                        case START -> w.applicationStart("svc", ApplicationOptions.defaults());
                        case STOP -> w.applicationStop("svc");
                        case WEIGHT -> w.applicationSetWeight("svc", ++value);
                        case META -> {
                            meta = Map.of("http", "localhost:" + (8000 + ++value));
                            w.network().registrar().setNodeMetadata(meta);
                        }
                        case FREEZE -> {
                            relay.freeze();
                            frozen = true;
                        }
                        case TIME_OUT -> {
                            // a put that hangs until it fails outright (once disconnected, nothing more is told)
                            boolean tells = frozen && w.network().registrar().connected();
                            w.applicationSetWeight("svc", ++value);
                            if (tells) {
                                EtcdOwnStateTest.expect(probe, RegistrarEvent.Disconnected.class, d -> true);
                            }
                        }
                        case RESET -> {
                            relay.reset();
                            frozen = false;
                        }
                        case THAW -> {
                            relay.thaw();
                            frozen = false;
                        }
                        case RESTART_ETCD -> {
                            etcd.kill();
                            etcd.restart();
                        }
                        case DELETE_OWN_KEY ->
                            etcd.etcdctl(
                                    "del",
                                    "services/ergo/cluster/" + cluster + "/routes/"
                                            + (value % 2 == 0 ? "nodes/" : "applications/svc/") + w.name());
                    }
                } catch (ErgoException | IllegalStateException refused) {
                    // a step the application's state does not allow now (stop before start, ...): the schedule goes on
                }
            }
            relay.thaw();
            Node node = w;
            Map<String, String> metadata = meta;
            await().atMost(EtcdOwnStateTest.WAIT)
                    .untilAsserted(() -> assertThat(EtcdOwnStateTest.inEtcd(cluster, node.name()))
                            .as("etcd holds what the node holds after %s", schedule)
                            .isEqualTo(EtcdOwnStateTest.held(node, metadata)));
        } finally {
            if (w != null) {
                w.stopForce();
            }
            if (!etcd.alive()) {
                etcd.restart();
            }
        }
    }
}
