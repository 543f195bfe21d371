package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import services.ergo.gen.Node;
import services.ergo.gen.Registrar;
import services.ergo.spring.health.ErgoNodeHealthIndicator;
import services.ergo.spring.health.ErgoRegistrarHealthIndicator;
import services.ergo.spring.leader.ErgoLeaderHealthIndicator;

class ErgoHealthAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ErgoAutoConfiguration.class,
                    ErgoHealthAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class))
            .withPropertyValues(
                    "ergo.node.name=health@localhost", "ergo.registrar.embedded.port=0", "ergo.network.port=0");

    @Test
    void theNodeTheRegistrarAndTheLeaderGroupsEachHaveAnIndicator() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ErgoNodeHealthIndicator.class);
            assertThat(context).hasSingleBean(ErgoRegistrarHealthIndicator.class);
            assertThat(context).hasSingleBean(ErgoLeaderHealthIndicator.class);
        });
    }

    @Test
    void theRegistrarsHealthSaysWhatItIsAndWhatItCanDo() {
        runner.run(context -> {
            String description = context.getBean(Registrar.class).info().description();
            assertThat(description).startsWith("embedded, serving on localhost:");
            Health health = context.getBean(ErgoRegistrarHealthIndicator.class).health(true);
            assertThat(health.getStatus().getCode()).isEqualTo("UP");
            assertThat(health.getDetails())
                    .containsEntry("registrar", description)
                    .containsEntry(
                            "capabilities",
                            Map.of(
                                    "applications", false,
                                    "events", false,
                                    "configuration", false,
                                    "hiddenNodes", true,
                                    "nodeMetadata", false));
        });
    }

    @Test
    void healthBacksOff() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).doesNotHaveBean(ErgoNodeHealthIndicator.class));
        runner.withPropertyValues("management.health.ergo.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(ErgoNodeHealthIndicator.class);
            assertThat(context).doesNotHaveBean(ErgoRegistrarHealthIndicator.class);
        });
    }

    @Test
    void nothingWithoutANode() {
        runner.withPropertyValues("ergo.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(Node.class);
            assertThat(context).doesNotHaveBean(ErgoNodeHealthIndicator.class);
        });
    }
}
