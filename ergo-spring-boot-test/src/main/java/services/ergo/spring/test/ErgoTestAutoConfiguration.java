package services.ergo.spring.test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import services.ergo.gen.Node;
import services.ergo.spring.autoconfigure.ErgoAutoConfiguration;
import services.ergo.spring.test.ErgoTestContextCustomizer.TestConfiguration;
import services.ergo.testkit.TestProbe;

/**
 * What a test of a node needs besides the node, imported by {@link AutoConfigureErgo @AutoConfigureErgo}: a
 * {@link TestProbe} (a new one per injection point, so each test method's instance gets one that heard nothing
 * yet) and {@link ErgoTestNodes}.
 *
 * <pre>{@code
 * @Autowired TestProbe probe;
 *
 * @Test
 * void workerAnswers() {
 *     probe.send(new ProcessId("worker", node.name()), new Job(1));
 *     probe.expectMessage(Done.class, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
@AutoConfiguration(after = ErgoAutoConfiguration.class)
@ConditionalOnBean(Node.class)
public final class ErgoTestAutoConfiguration {

    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @ConditionalOnMissingBean
    TestProbe ergoTestProbe(Node node) {
        return TestProbe.spawn(node);
    }

    @Bean
    @ConditionalOnMissingBean
    ErgoTestNodes ergoTestNodes(Node node, ObjectProvider<TestConfiguration> configuration) {
        TestConfiguration c = configuration.getIfAvailable();
        return new ErgoTestNodes(node, c == null ? null : c.config());
    }
}
