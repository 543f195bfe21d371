package services.ergo.spring.test;

import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.Lifecycle;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import services.ergo.spring.lifecycle.ErgoDrainLifecycle;
import services.ergo.spring.lifecycle.ErgoNodeLifecycle;

/**
 * Keeps a test context's node running while Spring pauses the context. Spring Framework 7 pauses a cached test
 * context when the next test class needs another one (it stops the context's pauseable lifecycles) and restarts it
 * when a test uses it again; the node's lifecycles stop the node on {@code stop()}, and a stopped node cannot start
 * again, so the context would come back broken. Until those lifecycles say they are not pauseable
 * ({@code SmartLifecycle.isPauseable()}), this processor leaves them out of a pause, and only of a pause.
 */
final class NodeKeepingLifecycleProcessor extends DefaultLifecycleProcessor {
    private static final String BOOTS_OWN = "org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration";

    private volatile boolean pausing;

    @Override
    public void onPause() {
        pausing = true;
        try {
            super.onPause();
        } finally {
            pausing = false;
        }
    }

    @Override
    protected Map<String, Lifecycle> getLifecycleBeans() {
        Map<String, Lifecycle> beans = super.getLifecycleBeans();
        if (pausing) {
            beans.values().removeIf(l -> l instanceof ErgoNodeLifecycle || l instanceof ErgoDrainLifecycle);
        }
        return beans;
    }

    /**
     * Puts the processor in the context in place of Spring Boot's (with its {@code spring.lifecycle} timeout) or
     * Spring's default; a processor the application defines itself stays.
     */
    static final class Installer implements BeanDefinitionRegistryPostProcessor {
        private final ConfigurableEnvironment environment;

        Installer(ConfigurableEnvironment environment) {
            this.environment = environment;
        }

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {}

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            if (!(beanFactory instanceof BeanDefinitionRegistry registry)) {
                return;
            }
            String name = AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME;
            if (registry.containsBeanDefinition(name)) {
                if (!BOOTS_OWN.equals(registry.getBeanDefinition(name).getFactoryBeanName())) {
                    return;
                }
                registry.removeBeanDefinition(name);
            }
            long timeout = Binder.get(environment)
                    .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                    .orElse(Duration.ofSeconds(30))
                    .toMillis();
            registry.registerBeanDefinition(
                    name,
                    BeanDefinitionBuilder.genericBeanDefinition(NodeKeepingLifecycleProcessor.class, () -> {
                                NodeKeepingLifecycleProcessor p = new NodeKeepingLifecycleProcessor();
                                p.setTimeoutPerShutdownPhase(timeout);
                                return p;
                            })
                            .getBeanDefinition());
        }
    }
}
