package services.ergo.spring.cloud;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import services.ergo.spring.cluster.ErgoRegistrarEvent;

/**
 * Turns a topology change (node joined or left, application started, stopped, weight changed) into Spring Cloud's
 * {@link HeartbeatEvent}, so load balancer caches and gateways refresh.
 */
public final class ErgoCloudEvents implements ApplicationListener<ErgoRegistrarEvent> {
    private final ApplicationEventPublisher publisher;
    private final AtomicLong topologyVersion = new AtomicLong();

    public ErgoCloudEvents(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void onApplicationEvent(ErgoRegistrarEvent event) {
        if (event.isTopologyChange()) {
            publisher.publishEvent(new HeartbeatEvent(this, topologyVersion.incrementAndGet()));
        }
    }
}
