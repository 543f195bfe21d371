package services.ergo.spring.actor;

import java.util.List;
import services.ergo.gen.ApplicationMode;

/**
 * An application as the node will load it: from {@link ErgoApplication}, overridden by
 * {@code ergo.applications.<name>}.
 *
 * @param name the application's name
 * @param weight how much traffic other nodes send this node for it; 0 drains it
 * @param mode what a member's termination does to the application
 * @param description shown by the Observer and the {@code ergo} endpoint
 * @param dependsOn applications that must run first
 * @param start whether it starts with the node, or is only loaded
 */
public record ErgoApplicationDefinition(
        String name, int weight, ApplicationMode mode, String description, List<String> dependsOn, boolean start) {

    public ErgoApplicationDefinition {
        if (weight < 0) {
            throw new IllegalStateException("application '" + name + "': weight must be >= 0, got " + weight);
        }
        mode = mode == null ? ApplicationMode.TEMPORARY : mode;
        description = description == null ? "" : description;
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    /** The definition of an application that only its actors name. */
    public static ErgoApplicationDefinition implicit(String name) {
        return new ErgoApplicationDefinition(name, 100, ApplicationMode.TEMPORARY, "", List.of(), true);
    }

    static ErgoApplicationDefinition of(ErgoApplication a) {
        return new ErgoApplicationDefinition(
                a.name(), a.weight(), a.mode(), a.description(), List.of(a.dependsOn()), a.start());
    }
}
