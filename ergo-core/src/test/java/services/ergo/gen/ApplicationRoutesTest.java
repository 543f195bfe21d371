package services.ergo.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ApplicationRoutesTest {

    private static ApplicationRoute route(String node, int weight, ApplicationState state) {
        return new ApplicationRoute(node, "api", weight, ApplicationMode.PERMANENT, state);
    }

    @Test
    void runningInstancesArePickedInProportionToTheirWeight() {
        List<ApplicationRoute> routes = List.of(
                route("stable@h1", 90, ApplicationState.RUNNING),
                route("canary@h2", 10, ApplicationState.RUNNING),
                route("drained@h3", 0, ApplicationState.RUNNING),
                route("stopping@h4", 100, ApplicationState.STOPPING),
                route("loaded@h5", 100, ApplicationState.LOADED));
        SplittableRandom random = new SplittableRandom(42);
        Map<String, Integer> picks = new HashMap<>();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            picks.merge(ApplicationRoutes.selectNode(routes, random).orElseThrow(), 1, Integer::sum);
        }
        assertThat(picks.keySet()).containsExactlyInAnyOrder("stable@h1", "canary@h2");
        // 4 standard deviations of a binomial(200 000, 0.1) is ~0.0027
        assertThat(picks.get("canary@h2") / (double) n).isBetween(0.097, 0.103);
    }

    @Test
    void nothingRunningWithWeightMeansNothingToPick() {
        assertThat(ApplicationRoutes.selectNode(List.of())).isEmpty();
        assertThat(ApplicationRoutes.selectNode(
                        List.of(route("a@h", 0, ApplicationState.RUNNING), route("b@h", 50, ApplicationState.LOADED))))
                .isEmpty();
        assertThatThrownBy(() -> route("a@h", -1, ApplicationState.RUNNING)).hasMessageContaining(">= 0");
    }
}
