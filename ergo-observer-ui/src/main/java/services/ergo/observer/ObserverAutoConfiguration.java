package services.ergo.observer;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import services.ergo.gen.Node;
import services.ergo.spring.autoconfigure.ErgoInspectorAutoConfiguration;

/**
 * The Observer at {@code /observer}: the page, and the {@code observer} Actuator endpoint it reads (expose it with
 * {@code management.endpoints.web.exposure.include=observer}).
 */
@AutoConfiguration(after = ErgoInspectorAutoConfiguration.class)
@ConditionalOnBean(Node.class)
@ConditionalOnBooleanProperty(name = "ergo.observer.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ObserverProperties.class)
public final class ObserverAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(ObserverEndpoint.class)
    ObserverEndpoint observerEndpoint(Node node, ObserverProperties properties) {
        return new ObserverEndpoint(node, properties);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    ObserverPage observerPage(Environment environment) {
        return new ObserverPage(environment);
    }
}
