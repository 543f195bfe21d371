package services.ergo.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import services.ergo.gen.Node;
import services.ergo.gen.Registrar;
import services.ergo.spring.cluster.ErgoClusterEvents;

/** The registrar's configuration as a property source, and its events as Spring events. */
@AutoConfiguration(after = ErgoAutoConfiguration.class)
@ConditionalOnBean({Node.class, Registrar.class})
public final class ErgoClusterAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ErgoClusterEvents ergoClusterEvents(
            Node node, Registrar registrar, ConfigurableEnvironment environment, ApplicationEventPublisher publisher) {
        return new ErgoClusterEvents(node, registrar, environment, publisher);
    }
}
