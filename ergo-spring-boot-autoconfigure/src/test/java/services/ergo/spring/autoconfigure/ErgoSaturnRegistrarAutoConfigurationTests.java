package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationMemberSpec;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ApplicationSpec;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Registrar;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.registrar.saturn.SaturnClientTls;
import services.ergo.registrar.saturn.SaturnRegistrar;
import services.ergo.registrar.saturn.SaturnRegistrarOptions;
import services.ergo.saturn.server.SaturnServer;
import services.ergo.saturn.server.SaturnServerOptions;
import services.ergo.spring.autoconfigure.PropertyProblems.Problem;

class ErgoSaturnRegistrarAutoConfigurationTests {
    private static final String TOKEN = "a-token-for-the-spring-test";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(ErgoAutoConfiguration.class, ErgoSaturnRegistrarAutoConfiguration.class))
            .withPropertyValues(
                    "ergo.node.name=test@localhost",
                    "ergo.registrar.embedded.port=0",
                    "ergo.network.port=0",
                    "ergo.shutdown.grace-period=1s");

    @Test
    void registersWithASaturnServer() {
        try (SaturnServer server =
                SaturnServer.start(SaturnServerOptions.defaults().withClusters(Map.of("spring-test", TOKEN)))) {
            runner.withPropertyValues(
                            "ergo.registrar.type=saturn",
                            "ergo.registrar.saturn.servers=" + server.address(),
                            "ergo.registrar.saturn.cluster=spring-test",
                            "ergo.registrar.saturn.token=" + TOKEN,
                            "ergo.registrar.saturn.tls.enabled=false")
                    .run(context -> {
                        assertThat(context).hasSingleBean(SaturnRegistrar.class);
                        assertThat(context).doesNotHaveBean(EmbeddedRegistrar.class);
                        Registrar registrar = context.getBean(Registrar.class);
                        assertThat(registrar.nodes()).containsExactly("test@localhost");
                        assertThat(server.entries("spring-test")).hasSize(1);
                    });
        }
    }

    @Test
    void tlsIsOnAndVerifiedUnlessSwitchedOff() {
        ErgoSaturnRegistrarProperties p = new ErgoSaturnRegistrarProperties();
        p.setToken(TOKEN);
        assertThat(SaturnRegistrarOptionsMapper.map(p).tls()).isEqualTo(SaturnClientTls.verified());
        p.getTls().setInsecureTrustAny(true);
        assertThat(SaturnRegistrarOptionsMapper.map(p).tls()).isEqualTo(SaturnClientTls.insecureTrustAny());
        p.getTls().setEnabled(false);
        assertThat(SaturnRegistrarOptionsMapper.map(p).tls()).isEqualTo(SaturnClientTls.off());
    }

    @Test
    void theSaturnRegistrarNeedsItsModule() {
        runner.withClassLoader(new FilteredClassLoader(SaturnRegistrar.class))
                .withPropertyValues("ergo.registrar.type=saturn")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("ergo.registrar.type")
                            .hasMessageContaining("ergo-registrar-saturn");
                });
    }

    @Test
    void backsOffToTheApplicationsOwnRegistrar() {
        runner.withPropertyValues("ergo.registrar.type=saturn")
                .withBean(
                        "ownRegistrar",
                        Registrar.class,
                        () -> new EmbeddedRegistrar(
                                EmbeddedRegistrar.Options.defaults().withPort(0)))
                .run(context -> {
                    assertThat(context).doesNotHaveBean(SaturnRegistrar.class);
                    assertThat(context).hasSingleBean(Registrar.class);
                });
    }

    @Test
    void everyBadValueIsListedBeforeAServerIsAsked() {
        runner.withPropertyValues(
                        "ergo.registrar.type=saturn",
                        "ergo.registrar.saturn.servers=saturn-without-port",
                        "ergo.registrar.saturn.cluster=",
                        "ergo.registrar.saturn.backoff-min=0s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOfSatisfying(
                                    InvalidErgoPropertiesException.class,
                                    e -> assertThat(e.problems())
                                            .extracting(Problem::property)
                                            .containsExactly(
                                                    "ergo.registrar.saturn.servers",
                                                    "ergo.registrar.saturn.cluster",
                                                    "ergo.registrar.saturn.token",
                                                    "ergo.registrar.saturn.backoff-min"));
                });
    }

    static final class Member extends Actor {}

    @Test
    void springCloudDiscoveryFindsAnApplicationThroughSaturn() {
        try (SaturnServer server =
                SaturnServer.start(SaturnServerOptions.defaults().withClusters(Map.of("spring-test", TOKEN)))) {
            Node worker = Ergo.startNode(
                    "worker@localhost",
                    NodeOptions.builder()
                            .network(NetworkOptions.on().withPort(0))
                            .registrar(() -> new SaturnRegistrar(SaturnRegistrarOptions.defaults()
                                    .withServers(server.address())
                                    .withCluster("spring-test")
                                    .withToken(TOKEN)))
                            .build());
            try {
                worker.network().registrar().setNodeMetadata(Map.of("http", "127.0.0.1:8080"));
                worker.applicationLoad((n, args) -> ApplicationSpec.builder("jobs")
                        .weight(10)
                        .member(ApplicationMemberSpec.of("m", Member::new))
                        .build());
                worker.applicationStart("jobs", ApplicationOptions.defaults());
                new ApplicationContextRunner()
                        .withConfiguration(AutoConfigurations.of(
                                ErgoAutoConfiguration.class,
                                ErgoSaturnRegistrarAutoConfiguration.class,
                                ErgoClusterAutoConfiguration.class,
                                ErgoDiscoveryAutoConfiguration.class))
                        .withPropertyValues(
                                "ergo.node.name=client@localhost",
                                "ergo.network.port=0",
                                "ergo.shutdown.grace-period=1s",
                                "ergo.registrar.type=saturn",
                                "ergo.registrar.saturn.servers=" + server.address(),
                                "ergo.registrar.saturn.cluster=spring-test",
                                "ergo.registrar.saturn.token=" + TOKEN,
                                "ergo.registrar.saturn.tls.enabled=false")
                        .run(context -> {
                            var discovery = context.getBean(DiscoveryClient.class);
                            await().atMost(Duration.ofSeconds(5))
                                    .until(() -> !discovery.getInstances("jobs").isEmpty());
                            assertThat(discovery.getServices()).containsExactly("jobs");
                            var instance = discovery.getInstances("jobs").get(0);
                            assertThat(instance.getUri().toString()).isEqualTo("http://127.0.0.1:8080");
                            assertThat(instance.getMetadata()).containsEntry("node", "worker@localhost");
                        });
            } finally {
                worker.stopForce();
            }
        }
    }

    @Test
    void theClustersConfigurationIsAPropertySourceThatFollowsChanges() {
        try (SaturnServer server =
                SaturnServer.start(SaturnServerOptions.defaults().withClusters(Map.of("spring-test", TOKEN)))) {
            server.putConfig("spring-test", "*", "db.pool-size", "int:20");
            server.putConfig("spring-test", "test", "db.pool-size", "int:50");
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(
                            ErgoAutoConfiguration.class,
                            ErgoSaturnRegistrarAutoConfiguration.class,
                            ErgoClusterAutoConfiguration.class))
                    .withPropertyValues(
                            "ergo.node.name=test@localhost",
                            "ergo.network.port=0",
                            "ergo.shutdown.grace-period=1s",
                            "ergo.registrar.type=saturn",
                            "ergo.registrar.saturn.servers=" + server.address(),
                            "ergo.registrar.saturn.cluster=spring-test",
                            "ergo.registrar.saturn.token=" + TOKEN,
                            "ergo.registrar.saturn.tls.enabled=false")
                    .run(context -> {
                        var environment = context.getEnvironment();
                        assertThat(environment.getProperty("db.pool-size", Long.class))
                                .as("this node's own level wins")
                                .isEqualTo(50L);
                        server.removeConfig("spring-test", "test", "db.pool-size");
                        await().atMost(Duration.ofSeconds(5))
                                .until(() ->
                                        Long.valueOf(20).equals(environment.getProperty("db.pool-size", Long.class)));
                    });
        }
    }
}
