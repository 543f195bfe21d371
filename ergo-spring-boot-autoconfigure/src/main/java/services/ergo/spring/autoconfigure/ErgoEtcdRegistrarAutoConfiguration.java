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
import services.ergo.registrar.etcd.EtcdRegistrar;

/**
 * The etcd registrar, when {@code ergo.registrar.type=etcd} and {@code ergo-registrar-etcd} is on the classpath;
 * configured by {@link ErgoEtcdRegistrarProperties}.
 */
@AutoConfiguration(before = ErgoAutoConfiguration.class)
@ConditionalOnClass(EtcdRegistrar.class)
@ConditionalOnBooleanProperty(name = "ergo.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "ergo.registrar.type", havingValue = "etcd")
@EnableConfigurationProperties(ErgoEtcdRegistrarProperties.class)
public final class ErgoEtcdRegistrarAutoConfiguration {

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(Registrar.class)
    EtcdRegistrar ergoEtcdRegistrar(
            ErgoEtcdRegistrarProperties properties, ObjectProvider<ErgoPropertiesCheck> checked) {
        // made first though this bean is registered before the node's: etcd's keys are reported with all the others
        checked.getIfAvailable();
        return new EtcdRegistrar(EtcdRegistrarOptionsMapper.map(properties));
    }
}
