package services.ergo.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarInfo;

class NodeSnapshotTest {
    private Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stopForce();
        }
    }

    private Node start(Registrar registrar) {
        node = Ergo.startNode(
                "snapshot@localhost",
                NodeOptions.builder()
                        .cookie("snap")
                        .registrar(() -> registrar)
                        .network(NetworkOptions.on().withPort(0))
                        .build());
        return node;
    }

    @Test
    void theNetworkSectionCarriesTheRegistrarsStatus() {
        Map<String, Object> status = Map.of("server", "saturn2:4499", "revision", 42L, "lagRevisions", 0L);
        Map<String, Object> network = NodeSnapshot.network(start(new Alone(status)));

        assertThat(network).containsEntry("registrarStatus", status);
    }

    @Test
    void aRegistrarThatTellsNoStatusGivesAnEmptyOne() {
        Map<String, Object> network = NodeSnapshot.network(start(new Alone(null)));

        assertThat(network).containsEntry("registrarStatus", Map.of());
    }

    /** Registers nothing and knows no one; tells {@code status}, or keeps the default when null. */
    private record Alone(Map<String, Object> told) implements Registrar {
        @Override
        public Optional<NetworkRoute> resolve(String name) {
            return Optional.empty();
        }

        @Override
        public void register(Node node, NetworkRoute route) {}

        @Override
        public List<String> nodes() {
            return List.of();
        }

        @Override
        public Map<String, Object> status() {
            return told == null ? Registrar.super.status() : told;
        }

        @Override
        public RegistrarInfo info() {
            return RegistrarInfo.nodesOnly("alone");
        }

        @Override
        public void terminate() {}
    }
}
