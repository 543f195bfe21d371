package services.ergo.gen;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How an application is started: its mode (overriding the spec's when set) and extra environment for its members.
 */
public record ApplicationOptions(@Nullable ApplicationMode mode, Map<String, Object> env) {
    private static final ApplicationOptions DEFAULTS = new ApplicationOptions(null, Map.of());

    public ApplicationOptions {
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public static ApplicationOptions defaults() {
        return DEFAULTS;
    }

    public ApplicationOptions withMode(ApplicationMode value) {
        return new ApplicationOptions(value, env);
    }
}
