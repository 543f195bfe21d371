package services.ergo.spring.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Several {@code ergo.*} properties were refused at once; {@link #problems()} lists each with its value and reason
 * (a single one is Spring Boot's {@code InvalidConfigurationPropertyValueException}). The start-up failure report
 * shows each as Spring Boot shows a property that failed validation.
 *
 * <pre>{@code
 * catch (InvalidErgoPropertiesException e) {
 *     e.problems().forEach(p -> log.error("{} = {}: {}", p.property(), p.value(), p.reason()));
 * }
 * }</pre>
 */
public final class InvalidErgoPropertiesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<PropertyProblems.Problem> problems;

    public InvalidErgoPropertiesException(List<PropertyProblems.Problem> problems) {
        super(problems.size() + " ergo.* properties are invalid:"
                + problems.stream().map(p -> "\n  " + p).collect(Collectors.joining()));
        this.problems = List.copyOf(problems);
    }

    public List<PropertyProblems.Problem> problems() {
        return problems;
    }
}
