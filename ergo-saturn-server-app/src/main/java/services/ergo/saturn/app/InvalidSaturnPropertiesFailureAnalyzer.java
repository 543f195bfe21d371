package services.ergo.saturn.app;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Prints {@link InvalidSaturnPropertiesException} as Spring Boot prints properties that failed to bind: each
 * property, its value (never a token's), where it was written, and the reason.
 */
final class InvalidSaturnPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSaturnPropertiesException> {
    private final @Nullable Environment environment;

    InvalidSaturnPropertiesFailureAnalyzer(@Nullable Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSaturnPropertiesException cause) {
        StringBuilder description = new StringBuilder(String.format(
                "The Saturn server did not start: %d saturn.server.* properties are invalid:%n",
                cause.problems().size()));
        for (InvalidSaturnPropertiesException.Problem problem : cause.problems()) {
            ConfigurationProperty written = find(problem.property());
            description.append(String.format("%n    Property: %s", problem.property()));
            if (problem.value() != null) { // null for tokens: never shown
                Object value = written == null ? problem.value() : written.getValue();
                description.append(String.format("%n    Value: \"%s\"", value));
            }
            if (written != null && written.getOrigin() != null) {
                description.append(String.format("%n    Origin: %s", written.getOrigin()));
            }
            description.append(String.format("%n    Reason: %s%n", problem.reason()));
        }
        return new FailureAnalysis(
                description.toString(),
                "Update the saturn.server.* properties (docs/saturn.md, \"The runnable server\")",
                cause);
    }

    /** Where the property was written (relaxed names too: SATURN_SERVER_PORT), for its origin. */
    private @Nullable ConfigurationProperty find(String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
        if (!(environment instanceof ConfigurableEnvironment) || name == null) {
            return null;
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
