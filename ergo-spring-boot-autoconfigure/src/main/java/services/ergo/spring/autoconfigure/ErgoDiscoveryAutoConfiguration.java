package services.ergo.spring.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import services.ergo.gen.Node;
import services.ergo.gen.Registrar;
import services.ergo.spring.cloud.ErgoCloudEvents;
import services.ergo.spring.cloud.ErgoDiscoveryClient;
import services.ergo.spring.cloud.ErgoEnvironmentEvents;
import services.ergo.spring.cloud.ErgoHttpAddressPublisher;
import services.ergo.spring.cloud.ErgoReactiveDiscoveryClient;

/**
 * Spring Cloud on the Ergo registrar: a {@code DiscoveryClient} (and its reactive twin) with each application a
 * service, the node's HTTP address published for it, {@code HeartbeatEvent}s on topology changes and
 * {@code EnvironmentChangeEvent}s on configuration changes.
 */
@AutoConfiguration(after = {ErgoAutoConfiguration.class, ErgoClusterAutoConfiguration.class})
@ConditionalOnClass(DiscoveryClient.class)
@ConditionalOnBean({Node.class, Registrar.class})
@ConditionalOnDiscoveryEnabled
public final class ErgoDiscoveryAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBlockingDiscoveryEnabled
    static class Blocking {
        @Bean
        @ConditionalOnMissingBean
        ErgoDiscoveryClient ergoDiscoveryClient(Registrar registrar) {
            return new ErgoDiscoveryClient(registrar);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    ErgoCloudEvents ergoCloudEvents(ApplicationEventPublisher publisher) {
        return new ErgoCloudEvents(publisher);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
    static class EnvironmentEvents {
        @Bean
        @ConditionalOnMissingBean
        ErgoEnvironmentEvents ergoEnvironmentEvents(Registrar registrar, ApplicationEventPublisher publisher) {
            return new ErgoEnvironmentEvents(registrar, publisher);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "reactor.core.publisher.Flux")
    @ConditionalOnReactiveDiscoveryEnabled
    static class Reactive {
        @Bean
        @ConditionalOnMissingBean
        ErgoReactiveDiscoveryClient ergoReactiveDiscoveryClient(Registrar registrar) {
            return new ErgoReactiveDiscoveryClient(new ErgoDiscoveryClient(registrar));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.web.server.context.WebServerInitializedEvent")
    static class HttpAddress {
        @Bean
        @ConditionalOnMissingBean
        ErgoHttpAddressPublisher ergoHttpAddressPublisher(
                Registrar registrar, ErgoProperties properties, ObjectProvider<InetUtils> inetUtils) {
            // Spring Cloud's own InetUtils bean (spring.cloud.inetutils.*) when its auto-configuration ran
            return new ErgoHttpAddressPublisher(
                    registrar, properties.getNetwork().getHost(), inetUtils.getIfAvailable());
        }
    }
}
