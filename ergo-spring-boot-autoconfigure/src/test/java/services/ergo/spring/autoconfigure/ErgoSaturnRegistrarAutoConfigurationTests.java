package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import services.ergo.gen.Registrar;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.registrar.saturn.SaturnClientTls;
import services.ergo.registrar.saturn.SaturnRegistrar;
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
}
