package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import services.ergo.act.Actor;
import services.ergo.spring.actor.ErgoActor;
import services.ergo.spring.actuate.ErgoEndpoint;

class ErgoEndpointAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ErgoAutoConfiguration.class, ErgoEndpointAutoConfiguration.class, EndpointAutoConfiguration.class))
            .withPropertyValues(
                    "ergo.node.name=endpoint@localhost", "ergo.registrar.embedded.port=0", "ergo.network.port=0");

    @Test
    void theEndpointIsThereOnlyWhenExposed() {
        runner.run(context -> assertThat(context).doesNotHaveBean(ErgoEndpoint.class));
        runner.withPropertyValues("management.endpoints.web.exposure.include=ergo")
                .run(context -> assertThat(context).hasSingleBean(ErgoEndpoint.class));
    }

    @Test
    void nothingWithoutANode() {
        runner.withPropertyValues("ergo.enabled=false", "management.endpoints.web.exposure.include=ergo")
                .run(context -> assertThat(context).doesNotHaveBean(ErgoEndpoint.class));
    }

    @Test
    void theEndpointChangesAnApplicationsWeightAndStartsAndStopsIt() {
        runner.withUserConfiguration(Member.class)
                .withPropertyValues("management.endpoints.web.exposure.include=ergo")
                .run(context -> {
                    ErgoEndpoint endpoint = context.getBean(ErgoEndpoint.class);
                    assertThat(endpoint.updateApplication("work", 0, null)).containsEntry("weight", 0L);
                    assertThat(endpoint.updateApplication("work", null, "stop")).containsEntry("state", "loaded");
                    assertThat(endpoint.updateApplication("work", 30, "start"))
                            .containsEntry("state", "running")
                            .containsEntry("weight", 30L);
                    assertThatThrownBy(() -> endpoint.updateApplication("work", -1, null))
                            .hasMessageContaining("weight must be >= 0");
                    assertThatThrownBy(() -> endpoint.updateApplication("work", null, "explode"))
                            .hasMessageContaining("start or stop");
                    assertThat(endpoint.application("nope")).isNull();
                    Map<String, Object> all = endpoint.ergo();
                    assertThat(all).containsKeys("node", "applications", "network");
                });
    }

    @ErgoActor(name = "member", application = "work")
    static class Member extends Actor {}
}
