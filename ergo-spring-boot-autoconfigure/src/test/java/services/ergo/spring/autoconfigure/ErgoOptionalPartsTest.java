package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.ApplicationRoute;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarInfo;
import services.ergo.inspect.NodeSnapshot;
import services.ergo.micrometer.ErgoMetrics;
import services.ergo.spring.actor.ErgoActor;
import services.ergo.spring.actuate.ErgoEndpoint;
import services.ergo.spring.cloud.ErgoDiscoveryClient;
import services.ergo.spring.cloud.ErgoReactiveDiscoveryClient;
import services.ergo.spring.cluster.ErgoClusterEvents;
import services.ergo.spring.cluster.ErgoClusterPropertySource;
import services.ergo.spring.health.ErgoNodeHealthIndicator;
import services.ergo.spring.health.ErgoRegistrarHealthIndicator;
import services.ergo.spring.leader.ErgoLeaderHealthIndicator;

/** Each optional part: on when its library is there, off when it is not or when switched off, backing off to yours. */
class ErgoOptionalPartsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ErgoAutoConfiguration.class,
                    ErgoEtcdRegistrarAutoConfiguration.class,
                    ErgoMetricsAutoConfiguration.class,
                    ErgoHealthAutoConfiguration.class,
                    ErgoEndpointAutoConfiguration.class,
                    ErgoClusterAutoConfiguration.class,
                    ErgoDiscoveryAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class,
                    EndpointAutoConfiguration.class))
            .withPropertyValues(
                    "ergo.node.name=parts@localhost", "ergo.registrar.embedded.port=0", "ergo.network.port=0");

    @Test
    void everyPartIsOnWhenItsLibraryIsThere() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=ergo")
                .run(context -> {
                    assertThat(context).hasSingleBean(ErgoMetrics.class);
                    // the ergo.metrics.* defaults are the module's own: a plain-Java node gets the same series
                    assertThat(context.getBean(ErgoMetrics.class).options()).isEqualTo(ErgoMetrics.Options.defaults());
                    assertThat(context).hasSingleBean(ErgoNodeHealthIndicator.class);
                    assertThat(context).hasSingleBean(ErgoRegistrarHealthIndicator.class);
                    assertThat(context).hasSingleBean(ErgoLeaderHealthIndicator.class);
                    assertThat(context).hasSingleBean(ErgoEndpoint.class);
                    assertThat(context).hasSingleBean(ErgoClusterEvents.class);
                    assertThat(context).hasSingleBean(ErgoDiscoveryClient.class);
                    // Spring Cloud offers reactive discovery to WebFlux applications only (it needs WebClient)
                    assertThat(context).doesNotHaveBean(ErgoReactiveDiscoveryClient.class);
                    assertThat(context.getEnvironment().getPropertySources().contains(ErgoClusterPropertySource.NAME))
                            .isTrue();

                    // the registrar's description as before, and what it can do beside it
                    String description = context.getBean(Registrar.class).info().description();
                    assertThat(description).startsWith("embedded, serving on localhost:");
                    Map<String, Object> embedded = Map.of(
                            "applications", false,
                            "events", false,
                            "configuration", false,
                            "hiddenNodes", true,
                            "nodeMetadata", false);
                    Health health =
                            context.getBean(ErgoRegistrarHealthIndicator.class).health(true);
                    assertThat(health.getStatus().getCode()).isEqualTo("UP");
                    assertThat(health.getDetails())
                            .containsEntry("registrar", description)
                            .containsEntry("capabilities", embedded);
                    Map<String, Object> network = NodeSnapshot.network(context.getBean(Node.class));
                    assertThat(network)
                            .containsEntry("registrar", description)
                            .containsEntry("registrarConnected", true)
                            .containsEntry("registrarCapabilities", embedded);
                    assertThat(context.getBean(ErgoDiscoveryClient.class).description())
                            .isEqualTo("Ergo registrar: " + description);
                });
    }

    @Test
    void metricsBackOff() {
        runner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
                .run(context -> assertThat(context).doesNotHaveBean(ErgoMetrics.class));
        runner.withClassLoader(new FilteredClassLoader(ErgoMetrics.class))
                .run(context -> assertThat(context).doesNotHaveBean(MeterBinder.class));
        runner.withPropertyValues("ergo.metrics.top-mailboxes=3", "ergo.metrics.refresh-interval=1s")
                .run(context -> assertThat(context.getBean(ErgoMetrics.class).options())
                        .isEqualTo(new ErgoMetrics.Options(3, Duration.ofSeconds(1))));
        runner.withPropertyValues("ergo.metrics.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ErgoMetrics.class));
        runner.withBean(
                        "mine",
                        ErgoMetrics.class,
                        () -> new ErgoMetrics(
                                services.ergo.Ergo.startNode(
                                        "other@localhost",
                                        services.ergo.gen.NodeOptions.builder()
                                                .network(services.ergo.gen.NetworkOptions.off())
                                                .build()),
                                0,
                                Duration.ofSeconds(1)))
                .run(context -> assertThat(context).getBean(ErgoMetrics.class).isSameAs(context.getBean("mine")));
        runner.withPropertyValues("ergo.metrics.top-mailboxes=-1")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("ergo.metrics.top-mailboxes"));
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
    void withoutSpringCloudContextTheRestOfDiscoveryStillWorks() {
        runner.withClassLoader(new FilteredClassLoader(
                        org.springframework.cloud.context.environment.EnvironmentChangeEvent.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(ErgoDiscoveryClient.class);
                    assertThat(context).hasSingleBean(services.ergo.spring.cloud.ErgoCloudEvents.class);
                    assertThat(context).doesNotHaveBean(services.ergo.spring.cloud.ErgoEnvironmentEvents.class);
                });
    }

    @Test
    void theEndpointIsThereOnlyWhenExposed() {
        runner.run(context -> assertThat(context).doesNotHaveBean(ErgoEndpoint.class));
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
    void nothingOfErgoWithoutANode() {
        runner.withPropertyValues("ergo.enabled=false", "management.endpoints.web.exposure.include=ergo")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(Node.class);
                    assertThat(context).doesNotHaveBean(ErgoMetrics.class);
                    assertThat(context).doesNotHaveBean(ErgoNodeHealthIndicator.class);
                    assertThat(context).doesNotHaveBean(ErgoEndpoint.class);
                    assertThat(context).doesNotHaveBean(ErgoDiscoveryClient.class);
                });
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

    @ErgoActor(name = "member", application = "work")
    static class Member extends services.ergo.act.Actor {}
}
