package services.ergo.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.testing.TestRegistrar;

/** A node's leader groups without Spring: options by cluster id, and the views of the leader actors it tracks. */
class LeaderGroupsTest {

    @Test
    void givesTheOptionsOfAGroupAndSaysHowToConfigureAMissingOne() {
        LeaderOptions schedulers = LeaderOptions.of("schedulers");
        LeaderGroups plain = new LeaderGroups(Map.of("schedulers", schedulers));
        assertThat(plain.options("schedulers")).isSameAs(schedulers);
        assertThat(plain.groups()).containsOnlyKeys("schedulers");
        assertThatThrownBy(() -> plain.options("locks"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("leader group 'locks' is not configured")
                .hasMessageContaining("[schedulers]");

        LeaderGroups configured =
                new LeaderGroups(Map.of("schedulers", schedulers), id -> "set my.groups." + id + ".peers");
        assertThatThrownBy(() -> configured.options("locks")).hasMessageContaining("set my.groups.locks.peers");
    }

    @Test
    void describesAViewAsTheHealthCheckAndTheObserverShowIt() {
        LeaderStatus s = new LeaderStatus("g", "a@n1", 4, null, false, true, List.of("a@n1", "a@n2"));
        assertThat(LeaderGroups.describe(s))
                .containsExactly(
                        Map.entry("member", "a@n1"),
                        Map.entry("inGroup", true),
                        Map.entry("term", 4L),
                        Map.entry("leader", "unknown"),
                        Map.entry("leading", false),
                        Map.entry("members", List.of("a@n1", "a@n2")));
    }

    @Test
    void tracksLiveLeaderActorsAndForgetsEndedOnes(@TempDir Path state) {
        Node node = Ergo.startNode(
                "groups@localhost",
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .network(NetworkOptions.on().withPort(0))
                        .build());
        try {
            LeaderGroups groups =
                    new LeaderGroups(Map.of("solo", LeaderOptions.of("solo").withStateDirectory(state)));
            assertThat(groups.statuses()).isEmpty();
            Pid solo = node.spawnRegister(
                    "solo",
                    () -> {
                        Solo s = new Solo(groups);
                        groups.track(s);
                        return s;
                    },
                    ProcessOptions.defaults());
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(groups.statuses())
                            .singleElement()
                            .satisfies(s -> {
                                assertThat(s.clusterId()).isEqualTo("solo");
                                assertThat(s.self()).isEqualTo("solo@groups@localhost");
                                assertThat(s.leading()).isTrue();
                            }));
            node.kill(solo);
            await().untilAsserted(() -> assertThat(groups.statuses()).isEmpty());
        } finally {
            node.stopForce();
        }
    }

    static final class Solo extends LeaderActor {
        private final LeaderGroups groups;

        Solo(LeaderGroups groups) {
            this.groups = groups;
        }

        @Override
        protected LeaderOptions initLeader(Object... args) {
            return groups.options("solo");
        }
    }
}
