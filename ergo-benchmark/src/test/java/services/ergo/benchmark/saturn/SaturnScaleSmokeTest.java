package services.ergo.benchmark.saturn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Not timed: proves that every phase of {@code saturn-scale} runs, on Saturn and on etcd, with small N. */
class SaturnScaleSmokeTest {

    @Test
    void everyPhaseRunsOnSaturnAndOnEtcd() throws Exception {
        List<SaturnScale.Row> rows =
                SaturnScale.run(new SaturnScale.Settings(List.of(40), true, false, 1, 1, 1, 1, true, 10, true));
        SaturnScale.print(rows);
        assertThat(rows).hasSize(3);
        SaturnScale.Row saturn = rows.get(0);
        assertThat(saturn.values.get("registrar")).isEqualTo("Saturn (TLS)");
        assertThat(saturn.values)
                .containsKeys(
                        "cold start 99 %",
                        "cold start 100 %",
                        "idle CPU (server)",
                        "heap+direct / node",
                        "RSS / node",
                        "churn 1/s p50 / p99",
                        "churn 10/s p50 / p99",
                        "churn 100/s p50 / p99",
                        "slow 1 %: others p99",
                        "slow 1 %: server memory",
                        "slow 1 %: caught up");
        // the full clients' views equal a newcomer's, and no client saw a gap or a refusal
        assertThat(saturn.values.get("views = newcomer's")).isEqualTo("1 / 1");
        assertThat(saturn.values.get("client errors")).isEqualTo("0");
        assertThat(saturn.values.values()).noneMatch(v -> v.contains("incomplete") || v.contains("not in"));
        SaturnScale.Row floor = rows.get(1);
        assertThat(floor.values.get("registrar")).startsWith("etcd floor");
        assertThat(floor.values).containsKeys("cold start 100 %", "churn 1/s p50 / p99", "churn 100/s p50 / p99");
        assertThat(floor.values.get("client errors")).isEqualTo("0");
        SaturnScale.Row registrar = rows.get(2);
        assertThat(registrar.values.get("registrar")).startsWith("our etcd registrar");
        assertThat(registrar.values).containsKey("churn 10/s p50 / p99");
    }
}
