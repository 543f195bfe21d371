package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import services.ergo.gen.ProcessId;
import services.ergo.leader.LeaderOptions;
import services.ergo.spring.autoconfigure.PropertyProblems.Problem;

class LeaderOptionsMapperTest {
    private final Map<String, ErgoLeaderProperties.Group> groups = new LinkedHashMap<>();

    @Test
    void aGroupWithOnlyItsPeersHasTheCoresDefaults() {
        group("schedulers", "scheduler@a@h", " scheduler@b@h");
        LeaderOptions mapped = LeaderOptionsMapper.map(groups).get("schedulers");
        assertThat(mapped)
                .isEqualTo(LeaderOptions.group(
                        "schedulers", List.of(ProcessId.parse("scheduler@a@h"), ProcessId.parse("scheduler@b@h"))));
    }

    @Test
    void everyPropertyIsApplied() {
        ErgoLeaderProperties.Group g = group("schedulers", "scheduler@a@h");
        g.setElectionTimeoutMin(Duration.ofMillis(40));
        g.setElectionTimeoutMax(Duration.ofMillis(80));
        g.setHeartbeat(Duration.ofMillis(10));
        g.setStateDirectory(Path.of("/var/lib/ergo"));
        g.getDiscovery().setApplication("jobs");
        g.getDiscovery().setRemoveAfter(Duration.ofSeconds(5));
        LeaderOptions mapped = LeaderOptionsMapper.map(groups).get("schedulers");
        assertThat(mapped)
                .isEqualTo(LeaderOptions.group("schedulers", List.of(ProcessId.parse("scheduler@a@h")))
                        .withTimeouts(Duration.ofMillis(40), Duration.ofMillis(80), Duration.ofMillis(10))
                        .withStateDirectory(Path.of("/var/lib/ergo"))
                        .withDiscovery("jobs", Duration.ofSeconds(5)));
    }

    @Test
    void theTimingRuleNamesThePropertyOutOfOrder() {
        group("a", "m@x@h").setHeartbeat(Duration.ofMillis(150));
        ErgoLeaderProperties.Group b = group("b", "m@x@h");
        b.setElectionTimeoutMin(Duration.ofMillis(300));
        b.setElectionTimeoutMax(Duration.ofMillis(300));
        assertThatThrownBy(() -> LeaderOptionsMapper.map(groups))
                .isInstanceOfSatisfying(
                        InvalidErgoPropertiesException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::property, Problem::value)
                                .containsExactly(
                                        tuple("ergo.leader.groups.a.heartbeat", Duration.ofMillis(150)),
                                        tuple("ergo.leader.groups.b.election-timeout-min", Duration.ofMillis(300))));
    }

    @Test
    void everyProblemOfEveryGroupIsListed() {
        group("a", "nobody", "m@x@h", "@x");
        group("b").getDiscovery().setApplication(" ");
        assertThatThrownBy(() -> LeaderOptionsMapper.map(groups))
                .isInstanceOfSatisfying(
                        InvalidErgoPropertiesException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::property, Problem::value)
                                .containsExactly(
                                        tuple("ergo.leader.groups.a.peers", "nobody"),
                                        tuple("ergo.leader.groups.a.peers", "@x"),
                                        tuple("ergo.leader.groups.b.peers", List.of()),
                                        tuple("ergo.leader.groups.b.discovery.application", " ")));
    }

    @Test
    void joinsAndOperatorsAreMappedAndABadNameIsReportedAgainstItsProperty() {
        ErgoLeaderProperties.Group g = group("schedulers", "scheduler@a@h");
        g.setAcceptJoins(false);
        g.setOperators(List.of(" ops@admin1"));
        LeaderOptions mapped = LeaderOptionsMapper.map(groups).get("schedulers");
        assertThat(mapped.acceptJoins()).isFalse();
        assertThat(mapped.operators()).containsExactly("ops@admin1");

        g.setOperators(List.of("admin1"));
        group("bad", "scheduler@host-without-node");
        group("../x", "scheduler@a@h");
        assertThatThrownBy(() -> LeaderOptionsMapper.map(groups))
                .isInstanceOfSatisfying(
                        InvalidErgoPropertiesException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::property)
                                .contains(
                                        "ergo.leader.groups.schedulers.operators",
                                        "ergo.leader.groups.bad.peers",
                                        "ergo.leader.groups.../x"));
    }

    @Test
    void aGroupWithoutPeersIsRefusedByTheCore() {
        group("lonely");
        assertThatThrownBy(() -> LeaderOptionsMapper.map(groups))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                    assertThat(e.getName()).isEqualTo("ergo.leader.groups.lonely.peers");
                    assertThat(e.getReason()).contains("needs the group's members");
                });
    }

    private ErgoLeaderProperties.Group group(String id, String... peers) {
        ErgoLeaderProperties.Group g = new ErgoLeaderProperties.Group();
        g.setPeers(List.of(peers));
        groups.put(id, g);
        return g;
    }
}
