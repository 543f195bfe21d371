package services.ergo.act;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a supervisor supervises and how.
 *
 * <pre>{@code
 * return new SupervisorSpec(SupervisorType.ONE_FOR_ONE, SupervisorRestart.DEFAULT, List.of(
 *     SupervisorChildSpec.of("db", Db::new),
 *     SupervisorChildSpec.of("api", Api::new)));
 * }</pre>
 */
public record SupervisorSpec(SupervisorType type, SupervisorRestart restart, List<SupervisorChildSpec> children) {
    public SupervisorSpec {
        type = type == null ? SupervisorType.ONE_FOR_ONE : type;
        restart = restart == null ? SupervisorRestart.DEFAULT : restart;
        children = children == null ? List.of() : List.copyOf(children);
        Set<String> names = new HashSet<>();
        for (SupervisorChildSpec c : children) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("two supervisor children are named '" + c.name() + "'");
            }
        }
        if (type == SupervisorType.SIMPLE_ONE_FOR_ONE && children.size() != 1) {
            throw new IllegalArgumentException(
                    "a simple-one-for-one supervisor needs exactly one child spec, got " + children.size());
        }
    }

    /** One-for-one with the default restart (transient, 5 in 5 s). */
    public static SupervisorSpec oneForOne(SupervisorChildSpec... children) {
        return new SupervisorSpec(
                SupervisorType.ONE_FOR_ONE, SupervisorRestart.DEFAULT, new ArrayList<>(List.of(children)));
    }
}
