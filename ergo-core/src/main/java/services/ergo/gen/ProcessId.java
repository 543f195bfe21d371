package services.ergo.gen;

/**
 * A process addressed by its registered name on a node: {@code name@node}.
 *
 * <pre>{@code
 * node.send(new ProcessId("worker_handler", "worker1@host1"), job);
 * }</pre>
 */
public record ProcessId(String name, String node) {

    public ProcessId {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a process id needs a name");
        }
        if (node == null || node.isEmpty()) {
            throw new IllegalArgumentException("a process id needs a node");
        }
    }

    /** Parses {@code name@node}, where the node itself is {@code nodename@host}: {@code worker@node1@host}. */
    public static ProcessId parse(String text) {
        int at = text.indexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            throw new IllegalArgumentException("expected name@node, got '" + text + "'");
        }
        return new ProcessId(text.substring(0, at), text.substring(at + 1));
    }

    @Override
    public String toString() {
        return name + "@" + node;
    }
}
