package services.ergo.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessFactory;
import services.ergo.gen.ProcessInfo;
import services.ergo.gen.ProcessOptions;

/**
 * Nodes for a test, all stopped when the kit is closed. Node names are unique within the JVM, so tests can run
 * side by side.
 *
 * <pre>{@code
 * try (ErgoTestKit kit = new ErgoTestKit()) {
 *     Pid counter = kit.spawn(Counter::new);
 *     TestProbe probe = kit.probe();
 *     probe.send(counter, new Increment());
 *     assertThat(kit.node().call(counter, new GetCount())).isEqualTo(1L);
 * }
 * }</pre>
 */
public final class ErgoTestKit implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final List<Node> nodes = new ArrayList<>();
    private final NodeOptions options;
    /** Null until the default node is first used. */
    private @Nullable Node first;

    /**
     * A kit of local nodes: calls time out after 3 s and the network is off, so a test never registers with a
     * registrar something else on the machine serves. Pass options with the network on to test across nodes.
     */
    public ErgoTestKit() {
        this(NodeOptions.builder()
                .callTimeout(Duration.ofSeconds(3))
                .network(NetworkOptions.off())
                .build());
    }

    /** A kit whose nodes start with {@code options}. */
    public ErgoTestKit(NodeOptions options) {
        this.options = options;
    }

    /** The kit's default node, started on first use. */
    public synchronized Node node() {
        if (first == null) {
            first = startNode("testkit" + SEQ.incrementAndGet() + "@localhost");
        }
        return first;
    }

    /** Starts another node with the kit's options. */
    public Node startNode(String name) {
        return startNode(name, options);
    }

    public synchronized Node startNode(String name, NodeOptions nodeOptions) {
        Node node = Ergo.startNode(name, nodeOptions);
        nodes.add(node);
        return node;
    }

    /** Spawns on the default node. */
    public Pid spawn(ProcessFactory factory, Object... args) {
        return node().spawn(factory, ProcessOptions.defaults(), args);
    }

    /** A probe on the default node. */
    public TestProbe probe() {
        return TestProbe.spawn(node());
    }

    /** What the process answers from {@code handleInspect}. */
    public Map<String, String> inspect(Pid pid) {
        return node().inspect(pid);
    }

    public ProcessInfo processInfo(Pid pid) {
        return node().processInfo(pid);
    }

    public List<Node> nodes() {
        synchronized (this) {
            return List.copyOf(nodes);
        }
    }

    /** Stops every node the kit started, the last started first. */
    @Override
    public synchronized void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).stopForce();
        }
        nodes.clear();
        first = null;
    }
}
