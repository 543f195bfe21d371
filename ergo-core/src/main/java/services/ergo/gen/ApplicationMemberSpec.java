package services.ergo.gen;

import java.util.List;

/**
 * One process the application starts.
 *
 * @param name the name to register it under, or {@code null}
 * @param factory makes its behaviour
 * @param options its spawn options
 * @param args passed to its {@code init}
 */
public record ApplicationMemberSpec(String name, ProcessFactory factory, ProcessOptions options, List<Object> args) {
    public ApplicationMemberSpec {
        if (factory == null) {
            throw new IllegalArgumentException("an application member needs a factory");
        }
        options = options == null ? ProcessOptions.defaults() : options;
        args = args == null ? List.of() : List.copyOf(args);
    }

    public static ApplicationMemberSpec of(String name, ProcessFactory factory, Object... args) {
        return new ApplicationMemberSpec(name, factory, ProcessOptions.defaults(), List.of(args));
    }
}
