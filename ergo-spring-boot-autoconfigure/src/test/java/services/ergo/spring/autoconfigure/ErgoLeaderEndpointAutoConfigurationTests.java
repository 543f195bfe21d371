package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import services.ergo.leader.LeaderGroups;
import services.ergo.spring.actuate.ErgoLeaderEndpoint;

class ErgoLeaderEndpointAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ErgoAutoConfiguration.class,
                    ErgoLeaderEndpointAutoConfiguration.class,
                    EndpointAutoConfiguration.class))
            .withPropertyValues(
                    "ergo.node.name=leaders@localhost", "ergo.registrar.embedded.port=0", "ergo.network.port=0");

    @Test
    void theEndpointIsThereOnlyWhenExposed() {
        runner.run(context -> assertThat(context).doesNotHaveBean(ErgoLeaderEndpoint.class));
        runner.withPropertyValues("management.endpoints.web.exposure.include=ergoleader")
                .run(context -> assertThat(context).hasSingleBean(ErgoLeaderEndpoint.class));
    }

    @Test
    void nothingWithoutANode() {
        runner.withPropertyValues("ergo.enabled=false", "management.endpoints.web.exposure.include=ergoleader")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(LeaderGroups.class);
                    assertThat(context).doesNotHaveBean(ErgoLeaderEndpoint.class);
                });
    }
}
