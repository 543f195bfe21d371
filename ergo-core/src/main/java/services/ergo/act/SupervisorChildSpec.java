package services.ergo.act;

import java.util.List;
import services.ergo.gen.ProcessFactory;
import services.ergo.gen.ProcessOptions;

/**
 * One child of a supervisor.
 *
 * @param name the child's name within the supervisor; the child is also registered under it, except under
 *     {@link SupervisorType#SIMPLE_ONE_FOR_ONE}, where many children share one spec
 * @param factory makes the child's behaviour, afresh for every (re)start
 * @param options its spawn options
 * @param args passed to its {@code init} at every (re)start
 */
public record SupervisorChildSpec(String name, ProcessFactory factory, ProcessOptions options, List<Object> args) {
    public SupervisorChildSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a supervisor child needs a name");
        }
        if (factory == null) {
            throw new IllegalArgumentException("supervisor child '" + name + "' needs a factory");
        }
        options = options == null ? ProcessOptions.defaults() : options;
        args = args == null ? List.of() : List.copyOf(args);
    }

    public static SupervisorChildSpec of(String name, ProcessFactory factory, Object... args) {
        return new SupervisorChildSpec(name, factory, ProcessOptions.defaults(), List.of(args));
    }
}
