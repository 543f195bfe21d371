package services.ergo.spring.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import services.ergo.gen.Node;
import services.ergo.micrometer.ErgoMetrics;

/**
 * The node's {@code ergo_*} meters, bound to every {@code MeterRegistry} of the context (with
 * {@code micrometer-registry-prometheus}, at {@code /actuator/prometheus}): the binder of {@code ergo-micrometer},
 * the same a plain-Java node binds itself.
 */
@AutoConfiguration(after = ErgoAutoConfiguration.class)
@ConditionalOnClass({MeterBinder.class, ErgoMetrics.class})
@ConditionalOnBean(Node.class)
@ConditionalOnBooleanProperty(name = "ergo.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ErgoMetricsProperties.class)
public final class ErgoMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ErgoMetrics ergoMetrics(Node node, ErgoMetricsProperties properties) {
        return new ErgoMetrics(node, MetricsOptionsMapper.map(properties));
    }
}
