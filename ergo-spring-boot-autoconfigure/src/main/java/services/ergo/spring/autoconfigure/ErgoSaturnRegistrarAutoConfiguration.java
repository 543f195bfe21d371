package services.ergo.spring.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import services.ergo.gen.Registrar;
import services.ergo.registrar.saturn.SaturnRegistrar;

/**
 * The Saturn registrar, when {@code ergo.registrar.type=saturn} and {@code ergo-registrar-saturn} is on the
 * classpath; configured by {@link ErgoSaturnRegistrarProperties}.
 */
@AutoConfiguration(before = ErgoAutoConfiguration.class)
@ConditionalOnClass(SaturnRegistrar.class)
@ConditionalOnBooleanProperty(name = "ergo.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "ergo.registrar.type", havingValue = "saturn")
@EnableConfigurationProperties(ErgoSaturnRegistrarProperties.class)
public final class ErgoSaturnRegistrarAutoConfiguration {

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(Registrar.class)
    SaturnRegistrar ergoSaturnRegistrar(
            ErgoSaturnRegistrarProperties properties, ObjectProvider<ErgoPropertiesCheck> checked) {
        // made first though this bean is registered before the node's: Saturn's keys are reported with the others
        checked.getIfAvailable();
        return new SaturnRegistrar(SaturnRegistrarOptionsMapper.map(properties));
    }
}
