package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.ApplicationRoute;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarInfo;
import services.ergo.spring.cloud.ErgoCloudEvents;
import services.ergo.spring.cloud.ErgoDiscoveryClient;
import services.ergo.spring.cloud.ErgoEnvironmentEvents;
import services.ergo.spring.cloud.ErgoReactiveDiscoveryClient;

class ErgoDiscoveryAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ErgoAutoConfiguration.class,
                    ErgoClusterAutoConfiguration.class,
                    ErgoDiscoveryAutoConfiguration.class))
            .withPropertyValues(
                    "ergo.node.name=discovery@localhost", "ergo.registrar.embedded.port=0", "ergo.network.port=0");

    @Test
    void theRegistrarIsADiscoveryClient() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ErgoDiscoveryClient.class);
            assertThat(context).hasSingleBean(ErgoCloudEvents.class);
            assertThat(context).hasSingleBean(ErgoEnvironmentEvents.class);
            // Spring Cloud offers reactive discovery to WebFlux applications only (it needs WebClient)
            assertThat(context).doesNotHaveBean(ErgoReactiveDiscoveryClient.class);
            String description = context.getBean(Registrar.class).info().description();
            assertThat(context.getBean(ErgoDiscoveryClient.class).description())
                    .isEqualTo("Ergo registrar: " + description);
        });
    }

    @Test
    void discoveryBacksOff() {
        runner.withClassLoader(new FilteredClassLoader(DiscoveryClient.class))
                .run(context -> assertThat(context).doesNotHaveBean(ErgoDiscoveryClient.class));
        runner.withPropertyValues("spring.cloud.discovery.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(ErgoDiscoveryClient.class);
            assertThat(context).doesNotHaveBean(ErgoReactiveDiscoveryClient.class);
        });
        runner.withPropertyValues("spring.cloud.discovery.reactive.enabled=false")
                .run(context -> {
                    assertThat(context).hasSingleBean(ErgoDiscoveryClient.class);
                    assertThat(context).doesNotHaveBean(ReactiveDiscoveryClient.class);
                });
    }

    @Test
    void withoutSpringCloudContextTheRestOfDiscoveryStillWorks() {
        runner.withClassLoader(new FilteredClassLoader(EnvironmentChangeEvent.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(ErgoDiscoveryClient.class);
                    assertThat(context).hasSingleBean(ErgoCloudEvents.class);
                    assertThat(context).doesNotHaveBean(ErgoEnvironmentEvents.class);
                });
    }

    @Test
    void nothingWithoutANode() {
        runner.withPropertyValues("ergo.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(Node.class);
            assertThat(context).doesNotHaveBean(ErgoDiscoveryClient.class);
        });
    }

    @Test
    void theReactiveClientAnswersWhatTheBlockingOneDoes() {
        Registrar registrar = new Registrar() {
            @Override
            public void register(Node node, NetworkRoute route) {}

            @Override
            public Optional<NetworkRoute> resolve(String node) {
                return Optional.empty();
            }

            @Override
            public List<String> nodes() {
                return List.of("w1@h");
            }

            @Override
            public List<String> applications() {
                return List.of("jobs");
            }

            @Override
            public List<ApplicationRoute> resolveApplication(String name) {
                return List.of(
                        new ApplicationRoute("w1@h", "jobs", 10, ApplicationMode.TEMPORARY, ApplicationState.RUNNING),
                        new ApplicationRoute("w2@h", "jobs", 5, ApplicationMode.PERMANENT, ApplicationState.RUNNING));
            }

            @Override
            public Map<String, String> nodeMetadata(String node) {
                return node.equals("w1@h")
                        ? Map.of("http", "h:8080")
                        : Map.of("http", "[::1]:8443", "secure", "true", "weight", "99");
            }

            @Override
            public RegistrarInfo info() {
                return new RegistrarInfo("stub", true, false, false, false, true);
            }

            @Override
            public void terminate() {}
        };
        ReactiveDiscoveryClient reactive = new ErgoReactiveDiscoveryClient(new ErgoDiscoveryClient(registrar));
        assertThat(reactive.getServices().collectList().block()).containsExactly("jobs");
        var instances = reactive.getInstances("jobs").collectList().block();
        assertThat(instances).hasSize(2);
        assertThat(instances.get(0).getUri().toString()).isEqualTo("http://h:8080");
        assertThat(instances.get(0).isSecure()).isFalse();
        assertThat(instances.get(0).getMetadata()).containsEntry("weight", "10").containsEntry("node", "w1@h");
        // secure from what the node published; the route's weight wins over a published one
        assertThat(instances.get(1).getUri().toString()).isEqualTo("https://[::1]:8443");
        assertThat(instances.get(1).isSecure()).isTrue();
        assertThat(instances.get(1).getMetadata()).containsEntry("weight", "5").containsEntry("mode", "permanent");
    }
}
