package services.ergo.spring.cloud;

import java.net.URI;
import java.util.Map;
import org.springframework.cloud.client.ServiceInstance;

/**
 * One node running an application, as Spring Cloud sees it: service id = application, instance id = node, host and
 * port = the node's HTTP server, metadata {@code weight}, {@code node}, {@code state}, {@code mode}.
 */
public record ErgoServiceInstance(String serviceId, String node, String host, int port, Map<String, String> metadata)
        implements ServiceInstance {

    @Override
    public String getInstanceId() {
        return node;
    }

    @Override
    public String getServiceId() {
        return serviceId;
    }

    @Override
    public String getHost() {
        return host;
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public URI getUri() {
        return URI.create("http://" + host + ":" + port);
    }

    @Override
    public Map<String, String> getMetadata() {
        return metadata;
    }
}
