package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.micrometer.ErgoMetrics;
import services.ergo.spring.autoconfigure.PropertyProblems.Problem;

class ErgoMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ErgoAutoConfiguration.class, ErgoMetricsAutoConfiguration.class))
            .withPropertyValues(
                    "ergo.node.name=metrics@localhost", "ergo.registrar.embedded.port=0", "ergo.network.port=0");

    @Test
    void theMetersAreThereWhenMicrometerIs() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ErgoMetrics.class);
            assertThat(context.getBean(ErgoMetricsProperties.class).getTopMailboxes())
                    .isEqualTo(10);
            // the ergo.metrics.* defaults are the module's own: a plain-Java node gets the same series
            assertThat(context.getBean(ErgoMetrics.class).options()).isEqualTo(ErgoMetrics.Options.defaults());
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
                                Ergo.startNode(
                                        "other@localhost",
                                        NodeOptions.builder()
                                                .network(NetworkOptions.off())
                                                .build()),
                                0,
                                Duration.ofSeconds(1)))
                .run(context -> assertThat(context).getBean(ErgoMetrics.class).isSameAs(context.getBean("mine")));
    }

    @Test
    void nothingWithoutANode() {
        runner.withPropertyValues("ergo.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(Node.class);
            assertThat(context).doesNotHaveBean(ErgoMetrics.class);
        });
    }

    @Test
    void aBadValueNamesItsProperty() {
        runner.withPropertyValues("ergo.metrics.top-mailboxes=-1")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("ergo.metrics.top-mailboxes"));
    }

    @Test
    void bothBadValuesAreListed() {
        runner.withPropertyValues("ergo.metrics.top-mailboxes=-1", "ergo.metrics.refresh-interval=10ms")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOfSatisfying(
                                InvalidErgoPropertiesException.class,
                                e -> assertThat(e.problems())
                                        .extracting(Problem::property)
                                        .containsExactlyInAnyOrder(
                                                "ergo.metrics.top-mailboxes", "ergo.metrics.refresh-interval")));
    }
}
