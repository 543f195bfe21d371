package services.ergo.gen;

/**
 * The identifier of a process: the node it lives on, a number unique on that node, and the node's creation,
 * so a process of a restarted node is never mistaken for one of the node before the restart.
 *
 * <pre>{@code
 * Pid worker = node.spawn(Worker::new, ProcessOptions.defaults());
 * node.send(worker, new Job(42));
 * }</pre>
 */
public record Pid(String node, long id, long creation) {

    public Pid {
        if (node == null || node.isEmpty()) {
            throw new IllegalArgumentException("a pid needs a node name");
        }
    }

    @Override
    public String toString() {
        return "<" + node + "." + id + "." + creation + ">";
    }
}
