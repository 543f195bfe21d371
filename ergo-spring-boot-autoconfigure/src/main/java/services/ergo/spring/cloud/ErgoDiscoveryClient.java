package services.ergo.spring.cloud;

import java.util.ArrayList;
import java.util.List;
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
 * (done for a web application by {@link ErgoHttpAddressPublisher}, with {@code secure} and the management server's
 * port and path); with another (the embedded one) it lists no services and no instances. Each instance is an
 * {@link ErgoServiceInstance}.
 */
public final class ErgoDiscoveryClient implements DiscoveryClient {
    /** The node's HTTP address, {@code host:port}. */
    public static final String HTTP_METADATA = "http";

    /** {@code true} when the node's HTTP server serves TLS: the instance is secure, its URI {@code https}. */
    public static final String SECURE_METADATA = "secure";

    /** The port of a separate management server (Actuator), when the node runs one; the key Spring Boot Admin reads. */
    public static final String MANAGEMENT_PORT_METADATA = "management.port";

    /** Where the Actuator endpoints are on the management server, for example {@code /actuator}. */
    public static final String MANAGEMENT_CONTEXT_PATH_METADATA = "management.context-path";

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
            // Spring Cloud's weighted supplier takes a weight of 0 for 1: a drained node must not be listed at all
            if (route.state() != ApplicationState.RUNNING || route.weight() <= 0) {
                continue;
            }
            ErgoServiceInstance instance = ErgoServiceInstance.of(route, registrar.nodeMetadata(route.node()));
            if (instance != null) {
                instances.add(instance);
            }
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
