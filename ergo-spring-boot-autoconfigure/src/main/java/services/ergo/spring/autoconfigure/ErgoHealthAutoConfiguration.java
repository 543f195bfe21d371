package services.ergo.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import services.ergo.gen.Node;
import services.ergo.gen.Registrar;
import services.ergo.leader.LeaderGroups;
import services.ergo.spring.health.ErgoNodeHealthIndicator;
import services.ergo.spring.health.ErgoRegistrarHealthIndicator;
import services.ergo.spring.leader.ErgoLeaderHealthIndicator;

/**
 * Health contributors {@code ergo} (the node and its acceptor), {@code ergoRegistrar} and {@code ergoLeader} (each
 * leader group with a member here knows its leader). For Kubernetes, put
 * {@code ergo} in liveness and both in readiness:
 *
 * <pre>
 * management.endpoint.health.group.liveness.include: livenessState,ergo
 * management.endpoint.health.group.readiness.include: readinessState,ergo,ergoRegistrar
 * </pre>
 */
@AutoConfiguration(after = ErgoAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Node.class)
@ConditionalOnEnabledHealthIndicator("ergo")
public final class ErgoHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "ergoHealthIndicator")
    ErgoNodeHealthIndicator ergoHealthIndicator(Node node) {
        return new ErgoNodeHealthIndicator(node);
    }

    @Bean
    @ConditionalOnBean(LeaderGroups.class)
    @ConditionalOnMissingBean(name = "ergoLeaderHealthIndicator")
    ErgoLeaderHealthIndicator ergoLeaderHealthIndicator(LeaderGroups groups) {
        return new ErgoLeaderHealthIndicator(groups);
    }

    @Bean
    @ConditionalOnBean(Registrar.class)
    @ConditionalOnMissingBean(name = "ergoRegistrarHealthIndicator")
    ErgoRegistrarHealthIndicator ergoRegistrarHealthIndicator(Registrar registrar) {
        return new ErgoRegistrarHealthIndicator(registrar);
    }
}
