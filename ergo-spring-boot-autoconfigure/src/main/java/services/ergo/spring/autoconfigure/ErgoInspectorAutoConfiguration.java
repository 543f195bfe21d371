package services.ergo.spring.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;
import services.ergo.gen.Node;
import services.ergo.inspect.InspectorOptions;
import services.ergo.inspect.LogSource;
import services.ergo.leader.LeaderGroups;
import services.ergo.spring.inspect.InspectorStarter;
import services.ergo.spring.inspect.LogbackCapture;

/**
 * The node's inspector process ({@code ergo_inspector}, from {@code ergo-core}), through which the Observer on any
 * node of the cluster looks at this one, and the recent log lines it serves: Logback's, when Logback is the
 * logging system, or those of a {@link LogSource} bean of yours.
 */
@AutoConfiguration(after = ErgoAutoConfiguration.class)
@ConditionalOnBean(Node.class)
@ConditionalOnBooleanProperty(name = "ergo.inspector.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ErgoInspectorProperties.class)
public final class ErgoInspectorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LogSource ergoLogBuffer(ErgoInspectorProperties properties, ObjectProvider<ErgoPropertiesCheck> checked) {
        checked.getIfAvailable(); // made first even when an application bean wants the log before the node
        PropertyProblems problems = new PropertyProblems();
        int lines = logLines(properties, problems);
        problems.throwIfAny();
        if (ClassUtils.isPresent(
                "ch.qos.logback.classic.LoggerContext", getClass().getClassLoader())) {
            return LogbackCapture.install(lines);
        }
        return LogSource.none();
    }

    /** {@code ergo.inspector.log-lines}; what is refused goes to {@code problems}. */
    static int logLines(ErgoInspectorProperties properties, PropertyProblems problems) {
        int lines = properties.getLogLines();
        // not left to LogBuffer: a capture already installed is reused, and its buffer checks nothing
        problems.check(lines >= 1, "ergo.inspector.log-lines", lines, "Must be at least 1.");
        return lines;
    }

    @Bean
    @ConditionalOnMissingBean
    InspectorStarter ergoInspectorStarter(
            Node node, LogSource logs, LeaderGroups leaders, ErgoInspectorProperties properties) {
        return new InspectorStarter(node, options(properties, logs, leaders));
    }

    static InspectorOptions options(ErgoInspectorProperties properties, LogSource logs, LeaderGroups leaders) {
        return InspectorOptions.defaults()
                .withLogs(logs)
                .withLeaders(leaders::statuses)
                .withActionsEnabled(properties.isActionsEnabled())
                .withLogsEnabled(properties.isLogsEnabled())
                .withEnvEnabled(properties.isEnvEnabled());
    }
}
