package services.ergo.spring.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import services.ergo.gen.Node;
import services.ergo.spring.metrics.ErgoMetrics;

/**
 * The node's {@code ergo_*} meters, bound to every {@code MeterRegistry} of the context (with
 * {@code micrometer-registry-prometheus}, at {@code /actuator/prometheus}).
 */
@AutoConfiguration(after = ErgoAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(Node.class)
@ConditionalOnBooleanProperty(name = "ergo.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ErgoMetricsProperties.class)
public final class ErgoMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ErgoMetrics ergoMetrics(Node node, ErgoMetricsProperties properties) {
        int top = properties.getTopMailboxes();
        Duration refresh = properties.getRefreshInterval();
        PropertyProblems problems = new PropertyProblems()
                .check(
                        refresh != null && refresh.toMillis() >= 100,
                        "ergo.metrics.refresh-interval",
                        refresh,
                        "At least 100ms.");
        ErgoMetrics metrics =
                problems.get("ergo.metrics.top-mailboxes", top, () -> new ErgoMetrics(node, top, refresh));
        problems.throwIfAny();
        return metrics;
    }
}
