package services.ergo.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import services.ergo.gen.InvalidOptionException;
import services.ergo.gen.ProcessId;

class LeaderOptionsTest {
    private static final LeaderOptions GROUP = LeaderOptions.group(
            "scheduler", List.of(ProcessId.parse("scheduler@a@host"), ProcessId.parse("scheduler@b@host")));

    @Test
    void theDefaultsAreTheConstants() {
        assertThat(GROUP.electionMin()).isEqualTo(LeaderOptions.DEFAULT_ELECTION_MIN);
        assertThat(GROUP.electionMax()).isEqualTo(LeaderOptions.DEFAULT_ELECTION_MAX);
        assertThat(GROUP.heartbeat()).isEqualTo(LeaderOptions.DEFAULT_HEARTBEAT);
        assertThat(GROUP.removeAfter()).isEqualTo(LeaderOptions.DEFAULT_REMOVE_AFTER);
    }

    @Test
    void theTimingRuleNamesTheFirstOfThePairOutOfOrder() {
        assertOption(() -> GROUP.withTimeouts(ms(150), ms(300), ms(150)), "heartbeat");
        assertOption(() -> GROUP.withTimeouts(ms(150), ms(300), Duration.ZERO), "heartbeat");
        assertOption(() -> GROUP.withTimeouts(ms(300), ms(300), ms(50)), "electionMin");
        assertOption(() -> GROUP.withTimeouts(ms(150), null, ms(50)), "electionMax");
        assertOption(() -> GROUP.withTimeouts(null, ms(300), ms(50)), "electionMin");
        // a heartbeat shorter than the default minimum is fine once the minimum moves with it
        assertThat(GROUP.withTimeouts(ms(40), ms(80), ms(10)).heartbeat()).isEqualTo(ms(10));
    }

    @Test
    void aJoiningGroupNeedsMembersAndDiscoveryAnApplication() {
        assertOption(() -> LeaderOptions.group("scheduler", List.of()), "peers");
        assertOption(() -> GROUP.withDiscovery(" ", Duration.ofSeconds(1)), "discoveryApplication");
        assertOption(() -> GROUP.withDiscovery("jobs", Duration.ofSeconds(-1)), "removeAfter");
        assertThat(LeaderOptions.of("alone").peers()).isEmpty(); // a fixed group of one needs none
    }

    @Test
    void stateIsKeptPerUserAndPersistentlyByDefaultNeverInTheTemporaryDirectory() {
        assertThat(GROUP.stateDirectory()).isEqualTo(LeaderOptions.defaultStateDirectory());
        assertThat(GROUP.stateDirectory().startsWith(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"))))
                .isFalse();
        assertThat(LeaderOptions.defaultStateDirectory(java.util.Map.of(), "/home/u", "Linux"))
                .isEqualTo(java.nio.file.Path.of("/home/u/.local/state/ergo/leader"));
        assertThat(LeaderOptions.defaultStateDirectory(
                        java.util.Map.of("XDG_STATE_HOME", "/srv/state"), "/home/u", "Linux"))
                .isEqualTo(java.nio.file.Path.of("/srv/state/ergo/leader"));
        // the XDG spec: a relative value is invalid and ignored
        assertThat(LeaderOptions.defaultStateDirectory(java.util.Map.of("XDG_STATE_HOME", "rel"), "/home/u", "Linux"))
                .isEqualTo(java.nio.file.Path.of("/home/u/.local/state/ergo/leader"));
    }

    @Test
    void joinsAreTakenAndNoOperatorsListedByDefaultAndNamesAreChecked() {
        assertThat(GROUP.acceptJoins()).isTrue();
        assertThat(GROUP.operators()).isEmpty();
        assertThat(GROUP.withAcceptJoins(false)
                        .withOperators(List.of("ops@admin1"))
                        .operators())
                .containsExactly("ops@admin1");
        assertOption(() -> GROUP.withOperators(List.of("ops@admin1\nFAKE")), "operators");
        assertOption(() -> GROUP.withOperators(List.of("admin1")), "operators");
        assertOption(() -> LeaderOptions.of("../../etc"), "clusterId");
        assertOption(() -> LeaderOptions.of("a b"), "clusterId");
        assertOption(() -> LeaderOptions.of("g", new ProcessId("x y", "n@h")), "peers");
        assertOption(() -> LeaderOptions.of("g", new ProcessId("x", "n@h\n9 9 ghost@x")), "peers");
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static void assertOption(ThrowingCallable refused, String option) {
        assertThatThrownBy(refused)
                .as(option)
                .isInstanceOf(InvalidOptionException.class)
                .satisfies(
                        e -> assertThat(((InvalidOptionException) e).option()).isEqualTo(option));
    }
}
