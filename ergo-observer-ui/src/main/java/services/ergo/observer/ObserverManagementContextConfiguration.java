package services.ergo.observer;

import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.mvc.HttpRequestHandlerAdapter;

/**
 * The page and the action-header check, in whichever context serves the Actuator: the application's when the
 * management port is the same, the management server's own child context when {@code management.server.port}
 * differs. So the page is always on the same origin as its endpoint.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "ergo.observer.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(endpoint = ObserverEndpoint.class)
public final class ObserverManagementContextConfiguration {
    /** The bean name Spring Security registers its filter chain under. */
    static final String SPRING_SECURITY_FILTER_CHAIN = "springSecurityFilterChain";

    /** The endpoint's path as the Actuator maps it (base path and path mapping applied), asked when needed. */
    static Supplier<String> endpointPath(ObjectProvider<PathMappedEndpoints> endpoints) {
        return () -> {
            PathMappedEndpoints mapped = endpoints.getIfAvailable();
            String path = mapped == null ? null : mapped.getPath(EndpointId.of("observer"));
            return path == null ? "/actuator/observer" : path;
        };
    }

    @Bean
    @ConditionalOnMissingBean
    ObserverPage observerPage(ObjectProvider<PathMappedEndpoints> endpoints) {
        return new ObserverPage(endpointPath(endpoints));
    }

    @Bean
    SimpleUrlHandlerMapping observerPageHandlerMapping(ObserverPage page) {
        SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(
                Map.of(ObserverPage.PATH, page, ObserverPage.PATH + "/", page, ObserverPage.PATH + "/*", page));
        mapping.setOrder(Ordered.HIGHEST_PRECEDENCE + 100); // before static resources and the error page
        return mapping;
    }

    @Bean
    HttpRequestHandlerAdapter observerPageHandlerAdapter() {
        // the management server's context has no handler adapters of its own for plain handlers
        return new HttpRequestHandlerAdapter();
    }

    @Bean
    @ConditionalOnMissingBean(name = "observerActionFilter")
    FilterRegistrationBean<ObserverActionFilter> observerActionFilter(
            ObjectProvider<PathMappedEndpoints> endpoints, BeanFactory beans) {
        ObserverActionFilter filter = new ObserverActionFilter(
                endpointPath(endpoints), () -> beans.containsBean(SPRING_SECURITY_FILTER_CHAIN));
        FilterRegistrationBean<ObserverActionFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("observerActionFilter");
        return registration;
    }
}
