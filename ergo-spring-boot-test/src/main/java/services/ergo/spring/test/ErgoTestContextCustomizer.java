package services.ergo.spring.test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Part of the context's cache key: a test asking for etcd or for no isolation gets a context of its own. The
 * isolation itself is decided once every property source of the test is in place, by {@link ErgoTestIsolation}.
 */
record ErgoTestContextCustomizer(boolean isolated, boolean etcd) implements ContextCustomizer {

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        // a second node is loaded from the same configuration (ErgoTestNodes)
        context.getBeanFactory().registerSingleton(TestConfiguration.BEAN, new TestConfiguration(mergedConfig));
        if (isolated) {
            context.addBeanFactoryPostProcessor(new ErgoTestIsolation(context.getEnvironment(), etcd));
        }
    }

    /** The test's merged configuration, kept in its context. */
    record TestConfiguration(MergedContextConfiguration config) {
        static final String BEAN = "services.ergo.spring.test.testConfiguration";
    }
}
