package services.ergo.spring.test;

import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Registered in {@code META-INF/spring.factories}, so it runs for every test context on the class path of the test
 * starter, annotated or not: a test that forgets to ask for isolation is the one that needs it most.
 */
final class ErgoTestContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        AutoConfigureErgo ergo = TestContextAnnotationUtils.findMergedAnnotation(testClass, AutoConfigureErgo.class);
        return new ErgoTestContextCustomizer(ergo == null || ergo.isolated(), ergo != null && ergo.etcd());
    }
}
