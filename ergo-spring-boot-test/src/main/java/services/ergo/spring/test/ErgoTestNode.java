package services.ergo.spring.test;

import java.util.function.Consumer;
import org.springframework.context.ConfigurableApplicationContext;
import services.ergo.gen.Node;

/**
 * A node {@link ErgoTestNodes} started: its application context and what is in it. Closing it closes the context,
 * which stops the node as a service's shutdown does (drain, grace period, leave the registrar).
 *
 * <pre>{@code
 * try (ErgoTestNode b = nodes.start("b")) {
 *     b.node().send("pinger", "ping " + node.name());
 *     b.bean(Replies.class).received.poll(5, TimeUnit.SECONDS);
 * }
 * }</pre>
 */
public final class ErgoTestNode implements AutoCloseable {
    private final ConfigurableApplicationContext context;
    private final Consumer<ErgoTestNode> closed;

    ErgoTestNode(ConfigurableApplicationContext context, Consumer<ErgoTestNode> closed) {
        this.context = context;
        this.closed = closed;
    }

    /** The node's name, {@code name@host}. */
    public String name() {
        return node().name();
    }

    public Node node() {
        return context.getBean(Node.class);
    }

    /** The bean of {@code type} in this node's context. */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
        closed.accept(this);
    }

    @Override
    public String toString() {
        return "ErgoTestNode[" + context.getEnvironment().getProperty("ergo.node.name") + "]";
    }
}
