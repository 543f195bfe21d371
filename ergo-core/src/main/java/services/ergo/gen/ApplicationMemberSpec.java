package services.ergo.gen;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One process the application starts.
 *
 * @param name the name to register it under; null for none
 * @param factory makes its behaviour
 * @param options its spawn options
 * @param args passed to its {@code init}
 */
public record ApplicationMemberSpec(
        @Nullable String name, ProcessFactory factory, ProcessOptions options, List<Object> args) {
    public ApplicationMemberSpec {
        if (factory == null) {
            throw new IllegalArgumentException("an application member needs a factory");
        }
        options = options == null ? ProcessOptions.defaults() : options;
        args = args == null ? List.of() : List.copyOf(args);
    }

    public static ApplicationMemberSpec of(@Nullable String name, ProcessFactory factory, Object... args) {
        return new ApplicationMemberSpec(name, factory, ProcessOptions.defaults(), List.of(args));
    }
}
