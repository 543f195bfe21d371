package services.ergo.gen;

import java.util.Map;

/**
 * How a process is spawned. Defaults: unbounded mailbox, not linked to its parent, empty environment.
 *
 * <pre>{@code
 * node.spawn(Worker::new, ProcessOptions.defaults().withMailboxSize(10_000).withLinkParent(true));
 * }</pre>
 *
 * @param mailboxSize the most messages the Main queue holds before senders get {@link MailboxFullException};
 *     0 means unbounded
 * @param linkParent whether the new process is linked to the spawning process
 * @param env the process's environment, on top of the node's
 */
public record ProcessOptions(int mailboxSize, boolean linkParent, Map<String, Object> env) {
    private static final ProcessOptions DEFAULTS = new ProcessOptions(0, false, Map.of());

    public ProcessOptions {
        if (mailboxSize < 0) {
            throw new IllegalArgumentException("mailboxSize must be >= 0 (0 = unbounded), got " + mailboxSize);
        }
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public static ProcessOptions defaults() {
        return DEFAULTS;
    }

    public ProcessOptions withMailboxSize(int size) {
        return new ProcessOptions(size, linkParent, env);
    }

    public ProcessOptions withLinkParent(boolean link) {
        return new ProcessOptions(mailboxSize, link, env);
    }

    public ProcessOptions withEnv(Map<String, Object> environment) {
        return new ProcessOptions(mailboxSize, linkParent, environment);
    }
}
