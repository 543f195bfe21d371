package services.ergo.observer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import services.ergo.gen.Node;
import services.ergo.spring.autoconfigure.ErgoInspectorAutoConfiguration;

/**
 * The Observer: the {@code observer} Actuator endpoint (expose it with
 * {@code management.endpoints.web.exposure.include=observer}; it is read-only unless
 * {@code management.endpoint.observer.access=unrestricted}) and, from {@link ObserverManagementContextConfiguration},
 * the page at {@code /observer/} of the server that serves the Actuator.
 */
@AutoConfiguration(after = ErgoInspectorAutoConfiguration.class)
@ConditionalOnBean(Node.class)
@ConditionalOnBooleanProperty(name = "ergo.observer.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ObserverProperties.class)
public final class ObserverAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ObserverAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(ObserverEndpoint.class)
    @SuppressWarnings("deprecation")
    ObserverEndpoint observerEndpoint(Node node, ObserverProperties properties, Environment environment) {
        boolean writable = writable(environment);
        if (properties.isActionsEnabled() && !writable) {
            LOG.warn("ergo.observer.actions-enabled is deprecated and ignored: the Observer acts with "
                    + "management.endpoint.observer.access=unrestricted here and ergo.inspector.actions-enabled=true "
                    + "on the node acted on");
        }
        return new ObserverEndpoint(node, writable);
    }

    /** Whether the Actuator grants the endpoint's write operation, by the same rules it applies itself. */
    static boolean writable(Environment environment) {
        return new PropertiesEndpointAccessResolver(environment).accessFor(EndpointId.of("observer"), Access.READ_ONLY)
                == Access.UNRESTRICTED;
    }
}
