package services.ergo.gen;

/**
 * A value an options type refuses, naming the option it was given for: the record component or builder method
 * ({@code "poolSize"}, {@code "heartbeat"}). Code that maps its own configuration onto the options (the Spring Boot
 * starter maps {@code ergo.*} properties) reads {@link #option()} to say which of its settings is wrong, also when
 * a rule spans several options, without knowing the rule.
 *
 * <pre>{@code
 * try {
 *     NetworkOptions.on().withPoolSize(0);
 * } catch (InvalidOptionException e) {
 *     e.option();     // "poolSize"
 *     e.getMessage(); // "network poolSize must be 1..64, got 0"
 * }
 * }</pre>
 */
public final class InvalidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String option;

    public InvalidOptionException(String option, String message) {
        super(message);
        this.option = option;
    }

    /** The option the refused value was given for, as the options type names it. */
    public String option() {
        return option;
    }
}
