package services.ergo.spring.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import services.ergo.gen.Node;
import services.ergo.spring.autoconfigure.ErgoAutoConfiguration;
import services.ergo.spring.autoconfigure.ErgoMetricsAutoConfiguration;

/** The custom-metrics example of docs/metrics.md works as written. */
class JobHandlerTest {

    @Test
    void anActorBeanRecordsItsOwnMetrics() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(ErgoAutoConfiguration.class, ErgoMetricsAutoConfiguration.class))
                .withPropertyValues("ergo.node.name=docs@localhost", "ergo.network.enabled=false")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withUserConfiguration(JobHandler.class)
                .run(context -> {
                    context.getBean(Node.class).send("jobs", "job-1");
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    Awaitility.await()
                            .atMost(Duration.ofSeconds(5))
                            .until(() -> registry.get("app.requests").counter().count() == 1.0);
                    assertThat(registry.get("app.request.duration").timer().count())
                            .isEqualTo(1);
                    assertThat(registry.get("app.active.jobs").gauge().value()).isZero();
                });
    }
}
