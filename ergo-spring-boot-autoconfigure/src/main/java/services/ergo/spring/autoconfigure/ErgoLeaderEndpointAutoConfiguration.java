package services.ergo.spring.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import services.ergo.gen.Node;
import services.ergo.spring.actuate.ErgoLeaderEndpoint;
import services.ergo.spring.leader.ErgoLeaderGroups;

/** The {@code ergoleader} Actuator endpoint, when it is exposed ({@code management.endpoints.web.exposure.include}). */
@AutoConfiguration(after = ErgoAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean({Node.class, ErgoLeaderGroups.class})
@ConditionalOnAvailableEndpoint(ErgoLeaderEndpoint.class)
public final class ErgoLeaderEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ErgoLeaderEndpoint ergoLeaderEndpoint(Node node, ErgoLeaderGroups groups) {
        return new ErgoLeaderEndpoint(node, groups);
    }
}
