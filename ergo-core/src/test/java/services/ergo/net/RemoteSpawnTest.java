package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationMemberSpec;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.ApplicationSpec;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.gen.RemoteNode;
import services.ergo.testing.TestRegistrar;

class RemoteSpawnTest {
    record WorkerConfig(int batchSize) {}

    private final List<Node> nodes = new java.util.ArrayList<>();

    private Node start(String name, NetworkOptions network) {
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .cookie("spawn")
                        .callTimeout(Duration.ofSeconds(3))
                        .network(network.withPort(0))
                        .build());
        n.network().registerType(WorkerConfig.class);
        nodes.add(n);
        return n;
    }

    private static void routes(Node... ns) {
        for (Node a : ns) {
            for (Node b : ns) {
                if (a != b) {
                    a.network().addRoute(b.name(), b.network().acceptor());
                }
            }
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(Node::stopForce);
    }

    /** Answers calls with its config and the node it runs on. */
    static final class Worker extends Actor {
        private WorkerConfig config;

        @Override
        protected void init(Object... args) {
            config = (WorkerConfig) args[0];
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return config.batchSize() + "@" + node().name();
        }
    }

    @Test
    void aCoordinatorSpawnsWorkersWhereItIsAllowedTo() {
        Node worker = start("worker@localhost", NetworkOptions.on());
        Node coordinator = start("coordinator@localhost", NetworkOptions.on());
        Node stranger = start("stranger@localhost", NetworkOptions.on());
        routes(worker, coordinator, stranger);
        worker.network().enableSpawn("worker", Worker::new, "coordinator@localhost");

        RemoteNode remote = coordinator.network().node("worker@localhost");
        Pid pid = remote.spawn("worker", ProcessOptions.defaults(), new WorkerConfig(100));
        assertThat(pid.node()).isEqualTo("worker@localhost");
        assertThat(coordinator.call(pid, "config")).isEqualTo("100@worker@localhost");
        Pid named = remote.spawnRegister("w2", "worker", ProcessOptions.defaults(), new WorkerConfig(7));
        assertThat(coordinator.call(new ProcessId("w2", "worker@localhost"), "config"))
                .isEqualTo("7@worker@localhost");
        assertThat(worker.whereIs("w2")).isEqualTo(named);

        assertThatThrownBy(() -> stranger.network()
                        .node("worker@localhost")
                        .spawn("worker", ProcessOptions.defaults(), new WorkerConfig(1)))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("node stranger@localhost may not spawn 'worker'");
        assertThatThrownBy(() -> remote.spawn("other", ProcessOptions.defaults()))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("spawn of 'other' is not enabled");
        worker.network().disableSpawn("worker");
        assertThatThrownBy(() -> remote.spawn("worker", ProcessOptions.defaults(), new WorkerConfig(1)))
                .isInstanceOf(NotAllowedException.class);
    }

    @Test
    void remoteSpawnCanBeSwitchedOffAsAWhole() {
        Node worker = start("closed@localhost", NetworkOptions.on().withRemoteSpawn(false));
        Node coordinator = start("boss@localhost", NetworkOptions.on());
        routes(worker, coordinator);
        worker.network().enableSpawn("worker", Worker::new);
        assertThatThrownBy(() -> coordinator
                        .network()
                        .node(worker.name())
                        .spawn("worker", ProcessOptions.defaults(), new WorkerConfig(1)))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("remote spawn is switched off on closed@localhost");
    }

    @Test
    void aCoordinatorStartsAnApplicationWhereItIsAllowedTo() {
        Node worker = start("apphost@localhost", NetworkOptions.on());
        Node coordinator = start("orchestrator@localhost", NetworkOptions.on());
        Node stranger = start("intruder@localhost", NetworkOptions.on());
        routes(worker, coordinator, stranger);
        worker.applicationLoad((n, a) -> ApplicationSpec.builder("workers")
                .member(ApplicationMemberSpec.of("handler", Worker::new, new WorkerConfig(5)))
                .build());
        worker.network().enableApplicationStart("workers", "orchestrator@localhost");

        assertThatThrownBy(() -> stranger.network().node(worker.name()).applicationStartPermanent("workers"))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("may not start application 'workers'");
        assertThat(worker.applicationInfo("workers").state()).isEqualTo(ApplicationState.LOADED);

        coordinator.network().node(worker.name()).applicationStartPermanent("workers");
        assertThat(worker.applicationInfo("workers").state()).isEqualTo(ApplicationState.RUNNING);
        assertThat(worker.applicationInfo("workers").mode()).isEqualTo(ApplicationMode.PERMANENT);
        assertThat(coordinator.call(new ProcessId("handler", worker.name()), "config"))
                .isEqualTo("5@apphost@localhost");
        assertThatThrownBy(() ->
                        coordinator.network().node(worker.name()).applicationStart("nope", ApplicationMode.TEMPORARY))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("'nope' is not enabled");
    }
}
