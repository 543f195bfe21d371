package services.ergo.spring.cloud;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.DefaultServiceInstance;
import services.ergo.gen.ApplicationRoute;

/**
 * One node running an application, as Spring Cloud sees it: service id = application, instance id = node, host and
 * port = the node's HTTP server, {@link #isSecure()} and so the scheme of {@link #getUri()} from what the node
 * published. Spring Cloud's own {@link DefaultServiceInstance}, so its URI and equality rules apply unchanged.
 *
 * <p>Metadata: what the node published ({@code http}, {@code secure}, {@code management.port},
 * {@code management.context-path}, see {@link ErgoHttpAddressPublisher}), then the application's route:
 * {@code weight}, {@code node}, {@code state}, {@code mode}, which win over published keys of the same name, so a
 * node cannot claim a weight its route does not have.
 *
 * <pre>{@code
 * ServiceInstance jobs = discoveryClient.getInstances("jobs").get(0);
 * jobs.getUri();                       // https://10.0.0.7:8443 when that node serves TLS
 * jobs.getMetadata().get("weight");    // "50"
 * }</pre>
 */
public final class ErgoServiceInstance extends DefaultServiceInstance {

    public ErgoServiceInstance(
            String serviceId, String node, String host, int port, boolean secure, Map<String, String> metadata) {
        super(node, serviceId, host, port, secure, metadata);
    }

    /** The node's name, which is also the instance id. */
    public String node() {
        return getInstanceId();
    }

    /**
     * The instance for a running route, from what its node published; null when the node published no usable
     * HTTP address ({@code http=host:port}), because a node without an HTTP server takes no HTTP traffic.
     */
    public static @Nullable ErgoServiceInstance of(ApplicationRoute route, Map<String, String> published) {
        String http = published.get(ErgoDiscoveryClient.HTTP_METADATA);
        int colon = http == null ? -1 : http.lastIndexOf(':');
        if (http == null || colon <= 0) {
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(http.substring(colon + 1));
        } catch (NumberFormatException bad) {
            return null;
        }
        if (port <= 0 || port > 65535) {
            return null;
        }
        Map<String, String> metadata = new LinkedHashMap<>(published);
        metadata.put("weight", Integer.toString(route.weight()));
        metadata.put("node", route.node());
        metadata.put("state", route.state().name().toLowerCase());
        metadata.put("mode", route.mode().name().toLowerCase());
        return new ErgoServiceInstance(
                route.name(),
                route.node(),
                http.substring(0, colon),
                port,
                Boolean.parseBoolean(published.get(ErgoDiscoveryClient.SECURE_METADATA)),
                Map.copyOf(metadata));
    }
}
