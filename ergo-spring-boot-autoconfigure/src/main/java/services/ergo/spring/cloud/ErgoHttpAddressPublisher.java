package services.ergo.spring.cloud;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.InetUtilsProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import services.ergo.gen.Registrar;

/**
 * Publishes this node's HTTP address to the registrar once the web server listens, so the discovery client of
 * other nodes can route HTTP calls here: {@code http=host:port}, {@code secure=true|false} (whether
 * {@code server.ssl} is on), and with the Actuator {@code management.context-path} (where its endpoints are) and,
 * when the management server has a port of its own, {@code management.port}.
 *
 * <p>The host is the node's advertised network host ({@code ergo.network.host}), as for its Ergo route; when that is
 * a wildcard address ({@code 0.0.0.0}, {@code ::}), which no other machine can dial, it is the first non-loopback
 * address Spring Cloud's {@link InetUtils} finds (set with {@code spring.cloud.inetutils.*}).
 *
 * <pre>{@code
 * // what another node then sees, for ergo.network.host=10.0.0.7 and server.ssl on port 8443:
 * registrar.nodeMetadata("worker@10.0.0.7");   // {http=10.0.0.7:8443, management.context-path=/actuator, secure=true}
 * }</pre>
 */
public final class ErgoHttpAddressPublisher implements ApplicationListener<WebServerInitializedEvent> {
    private static final String MANAGEMENT = "management";
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "*");
    private static final String ACTUATOR_ENDPOINT = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

    private final Registrar registrar;
    private final String host;
    /** Null to make one for the one lookup it is needed for. */
    private final @Nullable InetUtils inetUtils;

    // Both servers' events come, in no set order, and each publish replaces the last: keep what each said
    private @Nullable String http;
    private boolean secure;
    private @Nullable String sameServerManagementPath;
    private @Nullable Integer managementPort;
    private @Nullable String managementPath;

    /** Publishes {@code host} as the HTTP host; a wildcard address is replaced as below, with an InetUtils of its own. */
    public ErgoHttpAddressPublisher(Registrar registrar, String host) {
        this(registrar, host, null);
    }

    /** Publishes {@code host} as the HTTP host, or, when it is a wildcard address, what {@code inetUtils} finds. */
    public ErgoHttpAddressPublisher(Registrar registrar, String host, @Nullable InetUtils inetUtils) {
        this.registrar = registrar;
        this.host = host;
        this.inetUtils = inetUtils;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        WebServerApplicationContext context = event.getApplicationContext();
        Environment env = context.getEnvironment();
        boolean actuator = ClassUtils.isPresent(ACTUATOR_ENDPOINT, context.getClassLoader());
        String endpoints = env.getProperty("management.endpoints.web.base-path", "/actuator");
        int port = event.getWebServer().getPort();
        synchronized (this) {
            if (WebServerApplicationContext.hasServerNamespace(context, MANAGEMENT)) {
                managementPort = port;
                managementPath = actuator ? path(env.getProperty("management.server.base-path"), endpoints) : null;
            } else {
                http = advertisedHost() + ":" + port;
                secure = Ssl.isEnabled(
                        Binder.get(env).bind("server.ssl", Ssl.class).orElse(null));
                String base =
                        env.getProperty("server.servlet.context-path", env.getProperty("spring.webflux.base-path", ""));
                sameServerManagementPath = actuator ? path(base, endpoints) : null;
            }
            registrar.setNodeMetadata(metadata());
        }
    }

    private Map<String, String> metadata() {
        Map<String, String> m = new TreeMap<>();
        if (http != null) {
            m.put(ErgoDiscoveryClient.HTTP_METADATA, http);
            m.put(ErgoDiscoveryClient.SECURE_METADATA, Boolean.toString(secure));
        }
        String actuatorPath = managementPort != null ? managementPath : sameServerManagementPath;
        if (managementPort != null) {
            m.put(ErgoDiscoveryClient.MANAGEMENT_PORT_METADATA, Integer.toString(managementPort));
        }
        if (actuatorPath != null) {
            m.put(ErgoDiscoveryClient.MANAGEMENT_CONTEXT_PATH_METADATA, actuatorPath);
        }
        return m;
    }

    private String advertisedHost() {
        String h = host.strip();
        if (h.isEmpty() || WILDCARDS.contains(h)) {
            if (inetUtils != null) {
                h = inetUtils.findFirstNonLoopbackHostInfo().getIpAddress();
            } else {
                try (InetUtils own = new InetUtils(new InetUtilsProperties())) {
                    h = own.findFirstNonLoopbackHostInfo().getIpAddress();
                }
            }
        }
        // an IPv6 literal needs its brackets in host:port and in the URI Spring Cloud makes of it
        return h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    /** The parts joined as one path: "/a/b", or "/" for the root. */
    private static String path(@Nullable String... parts) {
        StringBuilder b = new StringBuilder();
        for (String part : parts) {
            if (part == null) {
                continue;
            }
            for (String segment : part.split("/")) {
                if (!segment.isEmpty()) {
                    b.append('/').append(segment);
                }
            }
        }
        return b.isEmpty() ? "/" : b.toString();
    }
}
