package services.ergo.spring.cloud;

import java.util.Set;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarEvent;
import services.ergo.spring.cluster.ErgoRegistrarEvent;

/**
 * Turns a change of the cluster's configuration into Spring Cloud Context's {@link EnvironmentChangeEvent}, whose
 * rebinder rebinds {@code @ConfigurationProperties} beans without a restart. Its own class, made only when Spring
 * Cloud Context is there: a class that names {@code EnvironmentChangeEvent} cannot even be loaded without it.
 */
public final class ErgoEnvironmentEvents
        implements ApplicationListener<ErgoRegistrarEvent>, SmartInitializingSingleton {
    private final Registrar registrar;
    private final ApplicationEventPublisher publisher;

    public ErgoEnvironmentEvents(Registrar registrar, ApplicationEventPublisher publisher) {
        this.registrar = registrar;
        this.publisher = publisher;
    }

    /** Beans bound before the node started could not see the cluster's configuration: rebind them once it is there. */
    @Override
    public void afterSingletonsInstantiated() {
        Set<String> items = registrar.configAll().keySet();
        if (!items.isEmpty()) {
            publisher.publishEvent(new EnvironmentChangeEvent(items));
        }
    }

    @Override
    public void onApplicationEvent(ErgoRegistrarEvent event) {
        if (event.getEvent() instanceof RegistrarEvent.ConfigUpdate update) {
            publisher.publishEvent(new EnvironmentChangeEvent(Set.of(update.item())));
        }
    }
}
