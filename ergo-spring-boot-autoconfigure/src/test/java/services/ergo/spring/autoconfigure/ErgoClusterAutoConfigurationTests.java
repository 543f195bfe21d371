package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import services.ergo.spring.cluster.ErgoClusterEvents;
import services.ergo.spring.cluster.ErgoClusterPropertySource;

class ErgoClusterAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ErgoAutoConfiguration.class, ErgoClusterAutoConfiguration.class))
            .withPropertyValues(
                    "ergo.node.name=cluster@localhost", "ergo.registrar.embedded.port=0", "ergo.network.port=0");

    @Test
    void theRegistrarsConfigurationIsAPropertySource() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ErgoClusterEvents.class);
            assertThat(context.getEnvironment().getPropertySources().contains(ErgoClusterPropertySource.NAME))
                    .isTrue();
        });
    }

    @Test
    void nothingWithoutANode() {
        runner.withPropertyValues("ergo.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(ErgoClusterEvents.class);
            assertThat(context.getEnvironment().getPropertySources().contains(ErgoClusterPropertySource.NAME))
                    .isFalse();
        });
    }
}
