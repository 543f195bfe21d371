package services.ergo.spring.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.ClassUtils;
import services.ergo.testkit.EtcdServer;

/**
 * Puts the property source {@value #PROPERTY_SOURCE} just below what the test set itself and above system
 * properties, environment variables and {@code application.yml}: a private embedded registrar, free ports, a unique
 * node name, and the embedded registrar unless the test asked for etcd, which then gets an etcd of its own, or for
 * Saturn ({@code ergo.registrar.type=saturn} without servers of its own), which then gets a Saturn server of its own
 * in this JVM.
 *
 * <p>It runs as the first bean factory post-processor rather than in the context customizer, because
 * {@code @DynamicPropertySource} values and {@code @PropertyMapping} attributes arrive after the customizers, and
 * before the configuration classes are parsed, because conditions such as {@code ergo.registrar.type} are evaluated
 * then.
 */
final class ErgoTestIsolation implements BeanDefinitionRegistryPostProcessor, PriorityOrdered {
    static final String PROPERTY_SOURCE = "ergoTestIsolation";
    static final String ENABLED = "ergo.test.isolated";
    private static final String ETCD_REGISTRAR = "services.ergo.registrar.etcd.EtcdRegistrar";
    private static final String SATURN_SERVER = "services.ergo.saturn.server.SaturnServer";
    private static final String SATURN_REGISTRAR = "services.ergo.registrar.saturn.SaturnRegistrar";

    private final ConfigurableEnvironment environment;
    private final boolean etcd;
    private boolean applied;

    ErgoTestIsolation(ConfigurableEnvironment environment, boolean etcd) {
        this.environment = environment;
        this.etcd = etcd;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        if (!environment.getProperty(ENABLED, Boolean.class, true)) {
            return;
        }
        MutablePropertySources sources = environment.getPropertySources();
        String below = StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME;
        List<PropertySource<?>> test = new ArrayList<>();
        for (PropertySource<?> s : sources) {
            if (s.getName().equals(below)) {
                break;
            }
            if (!ConfigurationPropertySources.isAttachedConfigurationPropertySource(s)) {
                test.add(s);
            }
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("ergo.node.name", uniqueName());
        defaults.put("ergo.network.port", "0");
        defaults.put("ergo.registrar.embedded.port", "0");
        defaults.put("ergo.registrar.embedded.host", "localhost");
        Object type = testValue(test, "ergo.registrar.type");
        boolean ownEndpoints = testValue(test, "ergo.registrar.etcd.endpoints") != null;
        // a test that names etcd endpoints of its own means etcd, unless it names the registrar type too
        boolean wantsEtcd = etcd
                || (type == null
                        ? ownEndpoints
                        : "etcd".equalsIgnoreCase(environment.resolvePlaceholders(type.toString())));
        boolean wantsSaturn = !wantsEtcd
                && type != null
                && "saturn".equalsIgnoreCase(environment.resolvePlaceholders(type.toString()));
        defaults.put("ergo.registrar.type", wantsEtcd ? "etcd" : wantsSaturn ? "saturn" : "embedded");
        if (wantsSaturn
                && testValue(test, "ergo.registrar.saturn.servers") == null
                && ClassUtils.isPresent(SATURN_SERVER, getClass().getClassLoader())
                && ClassUtils.isPresent(SATURN_REGISTRAR, getClass().getClassLoader())) {
            Object ownCluster = testValue(test, "ergo.registrar.saturn.cluster");
            String cluster = ownCluster == null || ownCluster.toString().isEmpty()
                    ? "test"
                    : environment.resolvePlaceholders(ownCluster.toString());
            PrivateSaturn.Started saturn = PrivateSaturn.start(cluster);
            // application.yml's servers, token and TLS are for the real Saturn; these, above it, replace them all
            defaults.put("ergo.registrar.saturn.servers", saturn.server().address());
            defaults.put("ergo.registrar.saturn.cluster", cluster);
            defaults.put("ergo.registrar.saturn.token", saturn.token());
            defaults.put("ergo.registrar.saturn.token-id", "");
            defaults.put("ergo.registrar.saturn.tls.enabled", "false");
            registry.registerBeanDefinition(
                    "ergoTestSaturn",
                    BeanDefinitionBuilder.genericBeanDefinition(
                                    services.ergo.saturn.server.SaturnServer.class, saturn::server)
                            .setDestroyMethodName("close")
                            .getBeanDefinition());
        }
        if (wantsEtcd
                && !ownEndpoints
                && ClassUtils.isPresent(ETCD_REGISTRAR, getClass().getClassLoader())) {
            EtcdServer server = PrivateEtcd.start();
            // a list from a higher source replaces application.yml's whole list, so no endpoint of it survives
            defaults.put("ergo.registrar.etcd.endpoints", server.endpoint());
            registry.registerBeanDefinition(
                    "ergoTestEtcd",
                    BeanDefinitionBuilder.genericBeanDefinition(EtcdServer.class, () -> server)
                            .setDestroyMethodName("close")
                            .getBeanDefinition());
        }
        MapPropertySource isolation = new MapPropertySource(PROPERTY_SOURCE, defaults);
        if (sources.contains(below)) {
            sources.addBefore(below, isolation);
        } else {
            // an environment without system properties is no standard one: nothing tells the test's sources apart
            sources.addFirst(isolation);
        }
        applied = true;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (applied && ClassUtils.isPresent(ETCD_REGISTRAR, getClass().getClassLoader())) {
            beanFactory.addBeanPostProcessor(new PrivateEtcd.PlainRegistrar());
        }
    }

    /** {@code <spring.application.name>-<8 hex digits>@localhost}: unique, and on the host the registrar serves. */
    private String uniqueName() {
        String app = environment.getProperty("spring.application.name", "ergo").replaceAll("[^A-Za-z0-9._-]", "-");
        return (app.isEmpty() ? "ergo" : app) + "-"
                + String.format("%08x", ThreadLocalRandom.current().nextInt()) + "@localhost";
    }

    /** The value the test's own sources give {@code name} (in any relaxed form); "" for a list or map form. */
    private static @Nullable Object testValue(List<PropertySource<?>> test, String name) {
        ConfigurationPropertyName key = ConfigurationPropertyName.of(name);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.from(test)) {
            ConfigurationProperty property = source.getConfigurationProperty(key);
            if (property != null) {
                return property.getValue();
            }
            if (source.containsDescendantOf(key) == ConfigurationPropertyState.PRESENT) {
                return "";
            }
        }
        return null;
    }
}
