package services.ergo.saturn.app;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code saturn.server.*} properties that stop the start, all of them at once, each with the property it is
 * about; {@link InvalidSaturnPropertiesFailureAnalyzer} prints them as Spring Boot prints a failed binding.
 *
 * <pre>{@code
 * catch (InvalidSaturnPropertiesException e) {
 *     e.problems().forEach(p -> System.err.println(p.property() + ": " + p.reason()));
 * }
 * }</pre>
 */
public final class InvalidSaturnPropertiesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * One property and what is wrong with it.
     *
     * @param property the property's name, e.g. {@code saturn.server.ttl}
     * @param value the value to show, or null when there is none or it is a secret (tokens are never shown)
     * @param reason why it stops the start
     */
    public record Problem(String property, @Nullable Object value, String reason) {}

    private final transient List<Problem> problems;

    public InvalidSaturnPropertiesException(List<Problem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(List<Problem> problems) {
        StringBuilder b = new StringBuilder("invalid saturn.server properties:");
        for (Problem p : problems) {
            b.append(' ').append(p.property()).append(": ").append(p.reason()).append(';');
        }
        return b.substring(0, b.length() - 1);
    }
}
