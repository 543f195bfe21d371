package services.ergo.spring.autoconfigure;

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
 * Renders {@link InvalidErgoPropertiesException} as Spring Boot renders properties that failed validation: each
 * property with the value as written, where it was written, and the reason.
 */
final class InvalidErgoPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidErgoPropertiesException> {
    private final @Nullable Environment environment;

    InvalidErgoPropertiesFailureAnalyzer(@Nullable Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidErgoPropertiesException cause) {
        StringBuilder description = new StringBuilder(String.format(
                "%d ergo.* properties are invalid:%n", cause.problems().size()));
        for (PropertyProblems.Problem problem : cause.problems()) {
            ConfigurationProperty written = find(problem.property());
            Object value = written == null ? problem.value() : written.getValue();
            description.append(String.format("%n    Property: %s", problem.property()));
            if (value != null) {
                description.append(String.format("%n    Value: \"%s\"", value));
            }
            if (written != null && written.getOrigin() != null) {
                description.append(String.format("%n    Origin: %s", written.getOrigin()));
            }
            description.append(String.format("%n    Reason: %s%n", problem.reason()));
        }
        return new FailureAnalysis(description.toString(), "Update your application's configuration", cause);
    }

    /** The property as a source holds it (relaxed names too: ERGO_NETWORK_PORT), for its value and origin. */
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
