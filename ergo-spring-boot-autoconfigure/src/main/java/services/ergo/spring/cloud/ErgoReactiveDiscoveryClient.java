package services.ergo.spring.cloud;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import reactor.core.publisher.Flux;

/** {@link ErgoDiscoveryClient} for reactive applications; the registrar's mirror is local, so nothing blocks. */
public final class ErgoReactiveDiscoveryClient implements ReactiveDiscoveryClient {
    private final ErgoDiscoveryClient discovery;

    public ErgoReactiveDiscoveryClient(ErgoDiscoveryClient discovery) {
        this.discovery = discovery;
    }

    @Override
    public String description() {
        return discovery.description();
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        return Flux.defer(() -> Flux.fromIterable(discovery.getInstances(serviceId)));
    }

    @Override
    public Flux<String> getServices() {
        return Flux.defer(() -> Flux.fromIterable(discovery.getServices()));
    }
}
