package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.ProcessId;
import services.ergo.leader.LeaderOptions;
import services.ergo.spring.autoconfigure.PropertyProblems.Problem;
import services.ergo.spring.autoconfigure.PropertyProblems.Property;

class PropertyProblemsTest {

    @Test
    void aRefusedStepIsRecordedWithTheCoresReasonAndTheOptionsStayAsTheyWere() {
        PropertyProblems problems = new PropertyProblems();
        NetworkOptions before = NetworkOptions.on();
        NetworkOptions after = problems.apply(before, "ergo.network.port", 70000, o -> o.withPort(70000));
        assertThat(after).isSameAs(before);
        assertThat(problems.problems())
                .containsExactly(new Problem("ergo.network.port", 70000, "network port must be 0..65535, got 70000"));
    }

    @Test
    void aRuleOverSeveralPropertiesBlamesTheOneTheCoreNames() {
        PropertyProblems problems = new PropertyProblems();
        LeaderOptions group = LeaderOptions.group("g", java.util.List.of(ProcessId.parse("m@a@h")));
        Duration min = Duration.ofMillis(300);
        Duration max = Duration.ofMillis(200);
        problems.apply(
                group,
                o -> o.withTimeouts(min, max, Duration.ofMillis(50)),
                new Property("heartbeat", "p.heartbeat", Duration.ofMillis(50)),
                new Property("electionMin", "p.election-timeout-min", min),
                new Property("electionMax", "p.election-timeout-max", max));
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.property()).isEqualTo("p.election-timeout-min");
            assertThat(p.value()).isEqualTo(min);
            assertThat(p.reason()).contains("electionMin must be shorter than electionMax");
        });
    }

    @Test
    void oneProblemIsSpringBootsExceptionNamingTheProperty() {
        PropertyProblems problems = new PropertyProblems().check(false, "ergo.x", 1, "Must be 2.");
        assertThatThrownBy(problems::throwIfAny)
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                    assertThat(e.getName()).isEqualTo("ergo.x");
                    assertThat(e.getValue()).isEqualTo(1);
                    assertThat(e.getReason()).isEqualTo("Must be 2.");
                });
    }

    @Test
    void severalProblemsAreOneExceptionListingEach() {
        PropertyProblems problems = new PropertyProblems()
                .check(false, "ergo.a", 1, "Must be 2.")
                .check(true, "ergo.b", 2, "never")
                .check(false, "ergo.c", "x", "Must be y.");
        assertThatThrownBy(problems::throwIfAny).isInstanceOfSatisfying(InvalidErgoPropertiesException.class, e -> {
            assertThat(e.problems()).extracting(Problem::property).containsExactly("ergo.a", "ergo.c");
            assertThat(e.getMessage())
                    .isEqualTo("2 ergo.* properties are invalid:\n  ergo.a: 1: Must be 2.\n  ergo.c: x: Must be y.");
        });
    }

    @Test
    void noProblemNoException() {
        PropertyProblems problems = new PropertyProblems();
        assertThat(problems.get("ergo.p", "m@a", () -> ProcessId.parse("m@a"))).isEqualTo(ProcessId.parse("m@a"));
        assertThat(problems.isEmpty()).isTrue();
        assertThatCode(problems::throwIfAny).doesNotThrowAnyException();
        assertThat(problems.get("ergo.p", "nobody", () -> ProcessId.parse("nobody")))
                .isNull();
        assertThat(problems.problems()).extracting(Problem::reason).containsExactly("expected name@node, got 'nobody'");
    }
}
