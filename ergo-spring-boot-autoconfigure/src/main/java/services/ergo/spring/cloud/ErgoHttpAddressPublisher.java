package services.ergo.spring.cloud;

import java.util.Map;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import services.ergo.gen.Registrar;

/**
 * Publishes this node's HTTP address ({@code host:port}) to the registrar once the web server listens, so the
 * discovery client of other nodes can route HTTP calls here. The host is the node's advertised network host.
 */
public final class ErgoHttpAddressPublisher implements ApplicationListener<WebServerInitializedEvent> {
    private final Registrar registrar;
    private final String host;

    public ErgoHttpAddressPublisher(Registrar registrar, String host) {
        this.registrar = registrar;
        this.host = host;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getParent() != null
                && event.getApplicationContext().getId() != null
                && event.getApplicationContext().getId().endsWith(":management")) {
            return; // a separate management port is not where the application serves
        }
        registrar.setNodeMetadata(Map.of(
                ErgoDiscoveryClient.HTTP_METADATA,
                host + ":" + event.getWebServer().getPort()));
    }
}
