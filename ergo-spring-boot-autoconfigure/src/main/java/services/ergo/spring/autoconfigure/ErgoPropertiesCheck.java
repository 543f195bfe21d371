package services.ergo.spring.autoconfigure;

import java.util.Map;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.type.MethodMetadata;
import services.ergo.gen.Registrar;

/**
 * Every bad {@code ergo.*} value of every capability the context runs, in one failure before the node starts: the
 * bean methods that make the registrar and the node take this bean, so it is made before them. It runs every
 * capability's mappers into one {@link PropertyProblems}; each bean method maps its own properties again when its
 * bean is made, and finds nothing new.
 *
 * <p>A capability is checked exactly when the starter's bean method that maps it is in the context: its
 * auto-configuration's conditions (module on the class path, {@code ergo.*.enabled}, {@code ergo.registrar.type})
 * and the back-off to a bean of the application's own are then decided already, and not restated here.
 */
final class ErgoPropertiesCheck {

    private ErgoPropertiesCheck() {}

    /** @throws RuntimeException listing every property refused ({@link PropertyProblems#throwIfAny()}) */
    static ErgoPropertiesCheck run(
            ConfigurableListableBeanFactory beans, ErgoProperties ergo, ErgoLeaderProperties leader) {
        PropertyProblems problems = new PropertyProblems();
        if (made(beans, "ergoNode", ErgoAutoConfiguration.class)) {
            NodeOptionsMapper.checkName(ergo.getNode(), problems);
        }
        if (made(beans, "ergoNodeOptions", ErgoAutoConfiguration.class)) {
            // asked by type, not made: a registrar made here would run its own mapper before this check reports
            boolean registrar = beans.getBeanNamesForType(Registrar.class, true, false).length > 0;
            NodeOptionsMapper.map(ergo, registrar, problems);
        }
        if (made(beans, "ergoEmbeddedRegistrar", ErgoAutoConfiguration.class)) {
            EmbeddedRegistrarOptionsMapper.map(ergo.getRegistrar().getEmbedded(), problems);
        }
        if (made(beans, "ergoEtcdRegistrar", ErgoEtcdRegistrarAutoConfiguration.class)) {
            EtcdRegistrarOptionsMapper.map(beans.getBean(ErgoEtcdRegistrarProperties.class), problems);
        }
        if (made(beans, "ergoSaturnRegistrar", ErgoSaturnRegistrarAutoConfiguration.class)) {
            SaturnRegistrarOptionsMapper.map(beans.getBean(ErgoSaturnRegistrarProperties.class), problems);
        }
        if (made(beans, "ergoLeaderGroups", ErgoAutoConfiguration.class)) {
            LeaderOptionsMapper.map(leader.getGroups(), problems);
        }
        if (made(beans, "ergoNodeLifecycle", ErgoAutoConfiguration.class)) {
            ApplicationsMapper.map(Map.of(), ergo.getApplications(), problems);
        }
        if (made(beans, "ergoMetrics", ErgoMetricsAutoConfiguration.class)) {
            MetricsOptionsMapper.map(beans.getBean(ErgoMetricsProperties.class), problems);
        }
        if (made(beans, "ergoLogBuffer", ErgoInspectorAutoConfiguration.class)) {
            ErgoInspectorAutoConfiguration.logLines(beans.getBean(ErgoInspectorProperties.class), problems);
        }
        problems.throwIfAny();
        return new ErgoPropertiesCheck();
    }

    /**
     * Whether the bean called {@code name} is the one {@code configuration}'s method of that name makes: its
     * conditions held, and the application defines no bean of its own in its place.
     */
    private static boolean made(ConfigurableListableBeanFactory beans, String name, Class<?> configuration) {
        if (!beans.containsBeanDefinition(name)
                || !(beans.getBeanDefinition(name) instanceof AnnotatedBeanDefinition definition)) {
            return false;
        }
        MethodMetadata method = definition.getFactoryMethodMetadata();
        return method != null
                && method.getMethodName().equals(name)
                && method.getDeclaringClassName().equals(configuration.getName());
    }
}
