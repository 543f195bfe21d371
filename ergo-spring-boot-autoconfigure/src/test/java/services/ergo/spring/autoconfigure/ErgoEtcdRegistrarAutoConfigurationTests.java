package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import services.ergo.gen.Registrar;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.registrar.etcd.EtcdRegistrar;
import services.ergo.spring.autoconfigure.PropertyProblems.Problem;
import services.ergo.testkit.EtcdServer;

class ErgoEtcdRegistrarAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(ErgoAutoConfiguration.class, ErgoEtcdRegistrarAutoConfiguration.class))
            .withPropertyValues(
                    "ergo.node.name=test@localhost",
                    "ergo.registrar.embedded.port=0",
                    "ergo.network.port=0",
                    "ergo.shutdown.grace-period=1s");

    @Test
    void registersWithARealEtcd() throws Exception {
        try (EtcdServer etcd = EtcdServer.start()) {
            runner.withPropertyValues(
                            "ergo.registrar.type=etcd",
                            "ergo.registrar.etcd.endpoints=" + etcd.endpoint(),
                            "ergo.registrar.etcd.cluster=spring-test",
                            "ergo.registrar.etcd.lease-ttl=2s")
                    .run(context -> {
                        assertThat(context).hasSingleBean(EtcdRegistrar.class);
                        assertThat(context).hasSingleBean(ErgoEtcdRegistrarProperties.class);
                        assertThat(context).doesNotHaveBean(EmbeddedRegistrar.class);
                        Registrar registrar = context.getBean(Registrar.class);
                        assertThat(registrar.nodes()).contains("test@localhost");
                        assertThat(etcd.etcdctl("get", "--prefix", "services/ergo/cluster/spring-test/"))
                                .contains("test@localhost");
                    });
        }
    }

    @Test
    void theEtcdRegistrarNeedsItsModule() {
        runner.withClassLoader(new FilteredClassLoader(EtcdRegistrar.class))
                .withPropertyValues("ergo.registrar.type=etcd")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("ergo.registrar.type")
                            .hasMessageContaining("ergo-registrar-etcd");
                });
    }

    @Test
    void withoutJetcdThereIsNoEtcdRegistrar() {
        runner.withClassLoader(new FilteredClassLoader(EtcdRegistrar.class)).run(context -> {
            assertThat(context).doesNotHaveBean(EtcdRegistrar.class);
            assertThat(context).hasSingleBean(EmbeddedRegistrar.class);
        });
    }

    @Test
    void itsPropertiesAreBoundOnlyWhenItRuns() {
        // what started before the etcd keys had a class of their own still starts: nothing reads them here
        runner.withPropertyValues("ergo.registrar.etcd.cluster=a/b").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ErgoEtcdRegistrarProperties.class);
        });
    }

    @Test
    void backsOffToTheApplicationsOwnRegistrar() {
        runner.withPropertyValues("ergo.registrar.type=etcd")
                .withBean(
                        "ownRegistrar",
                        Registrar.class,
                        () -> new EmbeddedRegistrar(
                                EmbeddedRegistrar.Options.defaults().withPort(0)))
                .run(context -> {
                    assertThat(context).doesNotHaveBean(EtcdRegistrar.class);
                    assertThat(context).hasSingleBean(Registrar.class);
                });
    }

    @Test
    void everyBadValueIsListedBeforeEtcdIsAsked() {
        runner.withPropertyValues(
                        "ergo.registrar.type=etcd",
                        "ergo.registrar.etcd.endpoints=etcd:2379",
                        "ergo.registrar.etcd.cluster=a/b",
                        "ergo.registrar.etcd.lease-ttl=100ms",
                        "ergo.registrar.etcd.username=ergo")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOfSatisfying(
                                    InvalidErgoPropertiesException.class,
                                    e -> assertThat(e.problems())
                                            .extracting(Problem::property)
                                            .containsExactly(
                                                    "ergo.registrar.etcd.endpoints",
                                                    "ergo.registrar.etcd.cluster",
                                                    "ergo.registrar.etcd.lease-ttl",
                                                    "ergo.registrar.etcd.password"));
                });
    }
}
