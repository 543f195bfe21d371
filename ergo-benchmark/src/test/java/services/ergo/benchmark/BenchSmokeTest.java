package services.ergo.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmarks are not timed here: this only proves every scenario still runs on both sides. */
class BenchSmokeTest {

    @Test
    void everyScenarioRunsOnBothSidesInSmokeMode() throws Exception {
        Map<String, Bench.Series> results = Bench.run(Bench.SCENARIOS, true, 1);
        assertThat(results.keySet())
                .containsExactlyInAnyOrder(
                        "local-tell-1to1",
                        "local-tell-2to2",
                        "local-call-p50",
                        "local-call-p99",
                        "spawn-memory",
                        "network-tell-1to1",
                        "network-tell-1to1-msgs-per-write",
                        "network-tell-1to1-100b",
                        "network-tell-1to1-100b-msgs-per-write",
                        "network-tell-1to1-1kb",
                        "network-tell-1to1-1kb-msgs-per-write",
                        "network-tell-4to4",
                        "network-tell-4to4-msgs-per-write",
                        "network-call-rtt-p50",
                        "network-call-rtt-p99",
                        "network-call-64",
                        "etcd-discovery-p50",
                        "etcd-discovery-p99",
                        "etcd-node-left",
                        "etcd-resolve",
                        "leader-failover-answer-p50",
                        "leader-failover-answer-p95",
                        "leader-failover-answer-max",
                        "leader-failover-elected-p50",
                        "leader-failover-elected-p95",
                        "leader-failover-elected-max");
        results.forEach((metric, s) -> {
            assertThat(s.ours).as("ours " + metric).hasSize(1).allMatch(v -> v > 0);
            // messages per write is counted on our side only
            assertThat(s.pekko)
                    .as("peer " + metric)
                    .hasSize(metric.endsWith("-msgs-per-write") ? 0 : 1)
                    .allMatch(v -> v > 0);
        });
        Bench.print(results, 1);
    }

    @Test
    void medianAndMeasurementLinesRoundTrip() {
        assertThat(Bench.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Bench.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        Measurement m = new Measurement("local-call-p50", 3.5, "us", false);
        assertThat(Measurement.parse(m.line())).isEqualTo(m);
    }
}
