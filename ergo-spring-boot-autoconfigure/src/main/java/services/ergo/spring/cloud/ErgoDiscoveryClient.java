package services.ergo.spring.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import services.ergo.gen.ApplicationRoute;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.Registrar;

/**
 * Spring Cloud discovery over the Ergo registrar: each application is a service, each node running it with a
 * weight above 0 an instance. With {@code spring.cloud.loadbalancer.configurations=weighted}, a
 * {@code @LoadBalanced} client spreads HTTP calls by the applications' Ergo weights, and a drained node (weight 0)
 * gets none.
 *
 * <pre>{@code
 * @Bean @LoadBalanced
 * RestClient.Builder http() { return RestClient.builder(); }
 *
 * String answer = http.build().get().uri("http://jobs/status").retrieve().body(String.class);
 * }</pre>
 *
 * <p>Needs a registrar with application discovery and node metadata ({@code RegistrarInfo.supportsApplications()}
 * and {@code supportsNodeMetadata()}: etcd) and the HTTP address each node publishes as metadata {@code http}
 * (done for a web application by {@link ErgoHttpAddressPublisher}); with another (the embedded one) it lists no
 * services and no instances.
 */
public final class ErgoDiscoveryClient implements DiscoveryClient {
    public static final String HTTP_METADATA = "http";

    private final Registrar registrar;

    public ErgoDiscoveryClient(Registrar registrar) {
        this.registrar = registrar;
    }

    @Override
    public String description() {
        return "Ergo registrar: " + registrar.info().description();
    }

    @Override
    public List<String> getServices() {
        return registrar.applications();
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (ApplicationRoute route : registrar.resolver().resolveApplication(serviceId)) {
            if (route.state() != ApplicationState.RUNNING || route.weight() <= 0) {
                continue;
            }
            String http = registrar.nodeMetadata(route.node()).get(HTTP_METADATA);
            int colon = http == null ? -1 : http.lastIndexOf(':');
            if (colon <= 0) {
                continue; // a node without an HTTP server takes no HTTP traffic
            }
            int port;
            try {
                port = Integer.parseInt(http.substring(colon + 1));
            } catch (NumberFormatException bad) {
                continue;
            }
            instances.add(new ErgoServiceInstance(
                    serviceId,
                    route.node(),
                    http.substring(0, colon),
                    port,
                    Map.of(
                            "weight", Integer.toString(route.weight()),
                            "node", route.node(),
                            "state", route.state().name().toLowerCase(),
                            "mode", route.mode().name().toLowerCase())));
        }
        return instances;
    }

    @Override
    public void probe() {
        if (!registrar.connected()) {
            throw new IllegalStateException(
                    "the Ergo registrar is not connected: " + registrar.info().description());
        }
    }
}
