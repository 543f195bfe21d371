package services.ergo.spring.actor;

import java.util.ArrayList;
import java.util.List;
import services.ergo.gen.ProcessOptions;

/**
 * One {@link ErgoActor} bean as the node sees it.
 *
 * @param beanName the prototype bean each spawn asks for
 * @param type the actor class
 * @param name the registered name, empty for none
 * @param application the application it belongs to, empty for none
 * @param instances how many processes
 * @param mailboxSize mailbox capacity per queue, 0 unbounded
 * @param start when an actor without an application starts
 * @param remoteSpawn whether other nodes may spawn it by name
 */
public record ErgoActorDefinition(
        String beanName,
        Class<?> type,
        String name,
        String application,
        int instances,
        int mailboxSize,
        ErgoActor.Start start,
        boolean remoteSpawn) {

    public ErgoActorDefinition {
        if (instances < 1) {
            throw new IllegalStateException(
                    "@ErgoActor " + type.getName() + ": instances must be >= 1, got " + instances);
        }
        if (mailboxSize < 0) {
            throw new IllegalStateException(
                    "@ErgoActor " + type.getName() + ": mailboxSize must be >= 0 (0 = unbounded), got " + mailboxSize);
        }
        if (remoteSpawn && name.isEmpty()) {
            throw new IllegalStateException(
                    "@ErgoActor " + type.getName() + ": remoteSpawn needs a name, the one other nodes spawn it by");
        }
        if (!application.isEmpty() && start == ErgoActor.Start.ON_DEMAND) {
            throw new IllegalStateException("@ErgoActor " + type.getName()
                    + ": a member of application '" + application
                    + "' starts with its application; start = ON_DEMAND does not apply");
        }
    }

    public ProcessOptions options() {
        return ProcessOptions.defaults().withMailboxSize(mailboxSize);
    }

    /** The registered names of its processes: none, {@code name}, or {@code name-1 … name-n}. */
    public List<String> registeredNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= instances; i++) {
            names.add(name.isEmpty() ? null : instances == 1 ? name : name + "-" + i);
        }
        return names;
    }
}
