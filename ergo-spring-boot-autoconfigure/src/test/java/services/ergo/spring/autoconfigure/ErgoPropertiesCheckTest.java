package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import services.ergo.gen.Node;
import services.ergo.micrometer.ErgoMetrics;
import services.ergo.spring.autoconfigure.PropertyProblems.Problem;

/** One start reports the bad values of every capability it runs, before the node binds its acceptor. */
@ExtendWith(OutputCaptureExtension.class)
class ErgoPropertiesCheckTest {

    /**
     * Held for the whole test and given to the node with no range to move up in: a node that got as far as its
     * acceptor would fail on this port, not on the properties.
     */
    private ServerSocket acceptorPort;

    private ApplicationContextRunner runner;

    @BeforeEach
    void holdTheAcceptorPort() throws IOException {
        acceptorPort = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        ErgoEtcdRegistrarAutoConfiguration.class,
                        ErgoAutoConfiguration.class,
                        ErgoMetricsAutoConfiguration.class,
                        ErgoInspectorAutoConfiguration.class))
                .withPropertyValues(nodeOnTheHeldPort());
    }

    @AfterEach
    void release() throws IOException {
        acceptorPort.close();
    }

    private String[] nodeOnTheHeldPort() {
        return new String[] {
            "ergo.node.name=checked@localhost",
            "ergo.registrar.embedded.port=0",
            "ergo.network.host=127.0.0.1",
            "ergo.network.port=" + acceptorPort.getLocalPort(),
            "ergo.network.port-range=1",
            "ergo.shutdown.grace-period=1s"
        };
    }

    @Test
    void threeBadValuesInThreeCapabilitiesFailOneStartTogether(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(AllCapabilities.class)
                        .web(WebApplicationType.NONE)
                        .properties(nodeOnTheHeldPort())
                        .properties(
                                "ergo.network.pool-size=0",
                                "ergo.leader.groups.g.peers=scheduler@a@h",
                                "ergo.leader.groups.g.heartbeat=0s",
                                "ergo.metrics.refresh-interval=1ms")
                        .run())
                .rootCause()
                .isInstanceOfSatisfying(
                        InvalidErgoPropertiesException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::property)
                                .containsExactly(
                                        "ergo.network.pool-size",
                                        "ergo.leader.groups.g.heartbeat",
                                        "ergo.metrics.refresh-interval"));
        assertThat(output.toString().split("APPLICATION FAILED TO START", -1)).hasSize(2);
        assertThat(output)
                .contains("3 ergo.* properties are invalid:")
                .contains("Property: ergo.network.pool-size")
                .contains("Property: ergo.leader.groups.g.heartbeat")
                .contains("Property: ergo.metrics.refresh-interval")
                .contains("Value: \"1ms\"")
                .doesNotContain("are taken");
    }

    @Test
    void badValuesOfCapabilitiesMappedAfterTheNodeStopItBeforeItBinds() {
        // none of these is the node's own: each was refused by its own bean, most after the acceptor was bound
        runner.withPropertyValues(
                        "ergo.registrar.type=etcd",
                        "ergo.registrar.etcd.lease-ttl=100ms",
                        "ergo.leader.groups.g.peers=scheduler@a@h",
                        "ergo.leader.groups.g.heartbeat=0s",
                        "ergo.applications.jobs.weight=-1",
                        "ergo.metrics.top-mailboxes=-1",
                        "ergo.inspector.log-lines=0")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOfSatisfying(
                                InvalidErgoPropertiesException.class,
                                e -> assertThat(e.problems())
                                        .extracting(Problem::property)
                                        .containsExactly(
                                                "ergo.registrar.etcd.lease-ttl",
                                                "ergo.leader.groups.g.heartbeat",
                                                "ergo.applications.jobs.weight",
                                                "ergo.metrics.top-mailboxes",
                                                "ergo.inspector.log-lines")));
    }

    @Test
    void oneBadValueIsStillSpringBootsOwnFailure() {
        runner.withPropertyValues("ergo.metrics.refresh-interval=1ms")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("ergo.metrics.refresh-interval"));
    }

    @Test
    void aCapabilityThatDoesNotRunIsNotChecked() {
        // what started before the check started still: nothing reads these values
        String[] bad = {
            "ergo.registrar.etcd.lease-ttl=100ms", "ergo.metrics.refresh-interval=1ms", "ergo.inspector.log-lines=0"
        };
        ApplicationContextRunner free =
                runner.withPropertyValues("ergo.network.port=0").withPropertyValues(bad);
        free.withPropertyValues("ergo.metrics.enabled=false", "ergo.inspector.enabled=false")
                .run(context -> assertThat(context).hasNotFailed());
        free.withClassLoader(new FilteredClassLoader(ErgoMetrics.class))
                .withPropertyValues("ergo.inspector.enabled=false")
                .run(context -> assertThat(context).hasNotFailed());
        free.withPropertyValues("ergo.inspector.enabled=false")
                .withUserConfiguration(OwnMetrics.class)
                .run(context -> assertThat(context).hasNotFailed().hasBean("mine"));
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        ErgoEtcdRegistrarAutoConfiguration.class,
        ErgoAutoConfiguration.class,
        ErgoMetricsAutoConfiguration.class,
        ErgoInspectorAutoConfiguration.class
    })
    static class AllCapabilities {}

    @Configuration(proxyBeanMethods = false)
    static class OwnMetrics {
        @Bean
        ErgoMetrics mine(Node node) {
            return new ErgoMetrics(node);
        }
    }
}
