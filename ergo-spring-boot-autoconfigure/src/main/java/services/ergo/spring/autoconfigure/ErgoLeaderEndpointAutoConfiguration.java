package services.ergo.spring.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import services.ergo.gen.Node;
import services.ergo.leader.LeaderGroups;
import services.ergo.spring.actuate.ErgoLeaderEndpoint;

/** The {@code ergoleader} Actuator endpoint, when it is exposed ({@code management.endpoints.web.exposure.include}). */
@AutoConfiguration(after = ErgoAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean({Node.class, LeaderGroups.class})
@ConditionalOnAvailableEndpoint(ErgoLeaderEndpoint.class)
public final class ErgoLeaderEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ErgoLeaderEndpoint ergoLeaderEndpoint(Node node, LeaderGroups groups) {
        return new ErgoLeaderEndpoint(node, groups);
    }
}
