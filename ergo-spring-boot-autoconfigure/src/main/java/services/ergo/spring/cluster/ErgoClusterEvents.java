package services.ergo.spring.cluster;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import services.ergo.gen.Node;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Registrar;

/**
 * Brings the registrar into Spring: its configuration as the {@link ErgoClusterPropertySource} (after command
 * line, system properties and environment variables, before {@code application.yml}), and its events as
 * {@link ErgoRegistrarEvent}s, relayed by a process on the node once every singleton is ready.
 */
public final class ErgoClusterEvents implements SmartInitializingSingleton {
    private final Node node;
    private final Registrar registrar;
    private final ApplicationEventPublisher publisher;

    public ErgoClusterEvents(
            Node node, Registrar registrar, ConfigurableEnvironment environment, ApplicationEventPublisher publisher) {
        this.node = node;
        this.registrar = registrar;
        this.publisher = publisher;
        MutablePropertySources sources = environment.getPropertySources();
        if (!sources.contains(ErgoClusterPropertySource.NAME)) {
            ErgoClusterPropertySource source = new ErgoClusterPropertySource(registrar);
            if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
                sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
            } else {
                sources.addFirst(source);
            }
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        registrar
                .event()
                .ifPresent(event -> node.spawn(
                        () -> new RegistrarEventRelay(
                                event, e -> publisher.publishEvent(new ErgoRegistrarEvent(node, e))),
                        ProcessOptions.defaults()));
    }
}
