package services.ergo.spring.cloud;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarEvent;
import services.ergo.spring.cluster.ErgoRegistrarEvent;

/**
 * Turns registrar events into Spring Cloud's: a topology change becomes a {@link HeartbeatEvent} (so load
 * balancer caches and gateways refresh), a configuration change an {@code EnvironmentChangeEvent} (so
 * {@code @ConfigurationProperties} beans are rebound) when {@code spring-cloud-context} is present.
 */
public final class ErgoCloudEvents implements ApplicationListener<ErgoRegistrarEvent>, SmartInitializingSingleton {
    private final Registrar registrar;
    private final ApplicationEventPublisher publisher;
    private final boolean environmentEvents;
    private final AtomicLong topologyVersion = new AtomicLong();

    public ErgoCloudEvents(Registrar registrar, ApplicationEventPublisher publisher, boolean environmentEvents) {
        this.registrar = registrar;
        this.publisher = publisher;
        this.environmentEvents = environmentEvents;
    }

    /**
     * Beans bound before the node started could not see the cluster's configuration: rebind them once it is
     * there.
     */
    @Override
    public void afterSingletonsInstantiated() {
        Set<String> items = registrar.configAll().keySet();
        if (environmentEvents && !items.isEmpty()) {
            publisher.publishEvent(new org.springframework.cloud.context.environment.EnvironmentChangeEvent(items));
        }
    }

    @Override
    public void onApplicationEvent(ErgoRegistrarEvent event) {
        if (event.isTopologyChange()) {
            publisher.publishEvent(new HeartbeatEvent(this, topologyVersion.incrementAndGet()));
        } else if (environmentEvents && event.getEvent() instanceof RegistrarEvent.ConfigUpdate update) {
            publisher.publishEvent(
                    new org.springframework.cloud.context.environment.EnvironmentChangeEvent(Set.of(update.item())));
        }
    }
}
