package services.ergo.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import services.ergo.gen.InvalidOptionException;

/**
 * Every problem found while mapping {@code ergo.*} properties onto the core's options, each naming its property, so
 * that a start with three bad values lists all three. The rules are the options types' own (each refuses a value
 * with an {@link IllegalArgumentException}); a mapper applies one property per step, and a refused step is recorded
 * against that property while the mapping goes on. Rules only the starter has (a file must be readable, a node
 * name's pattern) are {@link #check}ed.
 *
 * <pre>{@code
 * PropertyProblems problems = new PropertyProblems();
 * NetworkOptions network = NetworkOptions.on();
 * network = problems.apply(network, "ergo.network.port", 70000, o -> o.withPort(70000));
 * network = problems.apply(network, "ergo.network.pool-size", 0, o -> o.withPoolSize(0));
 * problems.throwIfAny(); // one exception that lists both
 * }</pre>
 */
public final class PropertyProblems {

    /** A property and why its value was refused. */
    public record Problem(String property, @Nullable Object value, String reason) {
        @Override
        public String toString() {
            return property + ": " + value + ": " + reason;
        }
    }

    /**
     * One of the properties a step applies at once, with the option of the core's type it sets.
     *
     * @param option the option as the core's type names it ({@link InvalidOptionException#option()})
     * @param name the property
     * @param value its value
     */
    public record Property(
            String option, String name, @Nullable Object value) {}

    private final List<Problem> problems = new ArrayList<>();

    /** Applies one property; a value the options refuse is recorded against it, and the options stay as they were. */
    public <T> T apply(T options, String property, @Nullable Object value, UnaryOperator<T> step) {
        try {
            return step.apply(options);
        } catch (IllegalArgumentException refused) {
            add(property, value, refused.getMessage());
            return options;
        }
    }

    /**
     * Applies several properties at once, for a rule that spans them ({@code heartbeat < election-timeout-min}): a
     * refusal is recorded against the property whose option the core names, else against the first.
     */
    public <T> T apply(T options, UnaryOperator<T> step, Property... properties) {
        try {
            return step.apply(options);
        } catch (IllegalArgumentException refused) {
            Property blamed = properties[0];
            if (refused instanceof InvalidOptionException invalid) {
                for (Property p : properties) {
                    if (p.option().equals(invalid.option())) {
                        blamed = p;
                    }
                }
            }
            add(blamed.name(), blamed.value(), refused.getMessage());
            return options;
        }
    }

    /** Makes a value from a property ({@code ProcessId.parse}); null, with the problem recorded, when refused. */
    public <T> @Nullable T get(String property, @Nullable Object value, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException refused) {
            add(property, value, refused.getMessage());
            return null;
        }
    }

    /** A rule of the starter's own: records the problem unless {@code ok}. */
    public PropertyProblems check(boolean ok, String property, @Nullable Object value, String reason) {
        if (!ok) {
            add(property, value, reason);
        }
        return this;
    }

    public void add(String property, @Nullable Object value, String reason) {
        problems.add(new Problem(property, value, reason));
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /**
     * Stops the start when anything was refused: one problem is Spring Boot's
     * {@link InvalidConfigurationPropertyValueException}, several one {@link InvalidErgoPropertiesException} that
     * lists them all.
     */
    public void throwIfAny() {
        if (problems.size() == 1) {
            Problem p = problems.get(0);
            throw new InvalidConfigurationPropertyValueException(p.property(), p.value(), p.reason());
        }
        if (!problems.isEmpty()) {
            throw new InvalidErgoPropertiesException(problems);
        }
    }
}
