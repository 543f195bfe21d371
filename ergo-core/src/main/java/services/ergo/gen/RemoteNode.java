package services.ergo.gen;

/**
 * Another node, for spawning processes and starting applications there, as allowed by its
 * {@link Network#enableSpawn} and {@link Network#enableApplicationStart}. Refusals come back as
 * {@link NotAllowedException} naming the reason.
 */
public interface RemoteNode {
    String name();

    /** Spawns a process of the kind the other node enabled as {@code name}; {@code args} must be sendable. */
    Pid spawn(String name, ProcessOptions options, Object... args);

    /** Like {@link #spawn}, and registers it there as {@code registerAs}. */
    Pid spawnRegister(String registerAs, String name, ProcessOptions options, Object... args);

    /** Starts the application {@code name} loaded on the other node, in {@code mode}. */
    void applicationStart(String name, ApplicationMode mode);

    default void applicationStartPermanent(String name) {
        applicationStart(name, ApplicationMode.PERMANENT);
    }
}
