package services.ergo.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;
import services.ergo.gen.Node;
import services.ergo.spring.inspect.InspectorStarter;
import services.ergo.spring.inspect.LogBuffer;
import services.ergo.spring.inspect.LogbackCapture;
import services.ergo.spring.leader.ErgoLeaderGroups;

/**
 * The node's inspector process ({@code ergo_inspector}), through which the Observer on any node of the cluster
 * looks at this one, and the buffer of recent log lines it serves.
 */
@AutoConfiguration(after = ErgoAutoConfiguration.class)
@ConditionalOnBean(Node.class)
@ConditionalOnBooleanProperty(name = "ergo.inspector.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ErgoInspectorProperties.class)
public final class ErgoInspectorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LogBuffer ergoLogBuffer(ErgoInspectorProperties properties) {
        int lines = properties.getLogLines();
        // not left to LogBuffer: a capture already installed is reused, and its buffer checks nothing
        new PropertyProblems()
                .check(lines >= 1, "ergo.inspector.log-lines", lines, "Must be at least 1.")
                .throwIfAny();
        if (ClassUtils.isPresent(
                "ch.qos.logback.classic.LoggerContext", getClass().getClassLoader())) {
            return LogbackCapture.install(lines);
        }
        return new LogBuffer(lines);
    }

    @Bean
    @ConditionalOnMissingBean
    InspectorStarter ergoInspectorStarter(Node node, LogBuffer logs, ErgoLeaderGroups leaders) {
        return new InspectorStarter(node, logs, leaders::statuses);
    }
}
