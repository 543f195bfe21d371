package services.ergo.spring.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.test.context.SpringBootContextLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ClassUtils;
import services.ergo.gen.Node;
import services.ergo.gen.Registrar;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.registrar.etcd.EtcdRegistrar;

/**
 * Starts more nodes of the application under test, for a test to talk to: each is a second application context
 * loaded from the test's own configuration (the same classes, slice, properties and profiles), with its own node
 * name, registered with the test node's registrar (its private embedded registrar, or its etcd), so the nodes find
 * each other and nothing else. A bean of every {@link AutoConfigureErgo @AutoConfigureErgo} or
 * {@link ErgoTest @ErgoTest} context; nodes still running when that context closes are closed with it.
 *
 * <pre>{@code
 * @Autowired ErgoTestNodes nodes;
 *
 * @Test
 * void pongAnswersFromAnotherNode() {
 *     try (ErgoTestNode b = nodes.start("b", "ergo.applications.pingpong.weight=0")) {
 *         node.call(new ProcessId("pong", b.name()), "hello");
 *     }
 * }
 * }</pre>
 */
public final class ErgoTestNodes implements DisposableBean {
    private static final boolean ETCD =
            ClassUtils.isPresent("services.ergo.registrar.etcd.EtcdRegistrar", ErgoTestNodes.class.getClassLoader());
    private static final boolean SATURN = ClassUtils.isPresent(
                    "services.ergo.registrar.saturn.SaturnRegistrar", ErgoTestNodes.class.getClassLoader())
            && ClassUtils.isPresent("services.ergo.saturn.server.SaturnServer", ErgoTestNodes.class.getClassLoader());

    private final Node node;
    private final @Nullable MergedContextConfiguration configuration;
    private final List<ErgoTestNode> running = new CopyOnWriteArrayList<>();

    ErgoTestNodes(Node node, @Nullable MergedContextConfiguration configuration) {
        this.node = node;
        this.configuration = configuration;
    }

    /**
     * Starts the application again as node {@code name} ({@code name@localhost} when it names no host), its web
     * server (if the test has one) on a free port, with {@code properties} ({@code key=value}) over the test's own;
     * returns once its context is up.
     */
    public ErgoTestNode start(String name, String... properties) {
        MergedContextConfiguration config = configuration;
        if (config == null || !(config.getContextLoader() instanceof SpringBootContextLoader)) {
            throw new IllegalStateException("a second node is loaded from the test's configuration: it needs a Spring"
                    + " Boot test context (@SpringBootTest or @ErgoTest)");
        }
        String nodeName = name.indexOf('@') >= 0 ? name : name + "@localhost";
        List<String> inlined = new ArrayList<>();
        inlined.add("ergo.node.name=" + nodeName);
        // a test on a defined port would have the second node's server fight the first's for it
        inlined.add("server.port=0");
        inlined.addAll(sameRegistrar(node.network().registrar()));
        inlined.addAll(List.of(properties));
        ConfigurableApplicationContext context;
        try {
            context = (ConfigurableApplicationContext) new SecondNodeContextLoader(inlined).loadContext(config);
        } catch (Exception e) {
            throw new IllegalStateException("node " + nodeName + " did not start: " + e.getMessage(), e);
        }
        ErgoTestNode started = new ErgoTestNode(context, running::remove);
        running.add(started);
        return started;
    }

    /** Properties that register a node where {@code registrar} did. */
    private static List<String> sameRegistrar(Registrar registrar) {
        if (registrar instanceof EmbeddedRegistrar embedded) {
            return List.of(
                    "ergo.registrar.type=embedded",
                    "ergo.registrar.embedded.port=" + embedded.port(),
                    "ergo.registrar.embedded.host=" + embedded.options().host());
        }
        if (ETCD && Etcd.is(registrar)) {
            return Etcd.sameRegistrar(registrar);
        }
        if (SATURN && Saturn.isPrivate(registrar)) {
            return Saturn.sameRegistrar(registrar);
        }
        // a registrar bean of the application's own: the second context makes its own the same way
        return List.of();
    }

    /** Apart, so that a class path without the etcd registrar never loads it. */
    private static final class Etcd {
        static boolean is(Registrar registrar) {
            return registrar instanceof EtcdRegistrar;
        }

        static List<String> sameRegistrar(Registrar registrar) {
            EtcdRegistrar etcd = (EtcdRegistrar) registrar;
            return List.of(
                    "ergo.registrar.type=etcd",
                    "ergo.registrar.etcd.endpoints="
                            + String.join(",", etcd.options().endpoints()),
                    "ergo.registrar.etcd.cluster=" + etcd.options().cluster());
        }
    }

    /**
     * Apart, so that a class path without Saturn never loads it. Only a private server needs telling: a Saturn the
     * test names itself reaches the second context through the test's own properties.
     */
    private static final class Saturn {
        static boolean isPrivate(Registrar registrar) {
            return registrar instanceof services.ergo.registrar.saturn.SaturnRegistrar saturn
                    && PrivateSaturn.isPrivate(saturn.options().servers());
        }

        static List<String> sameRegistrar(Registrar registrar) {
            var options = ((services.ergo.registrar.saturn.SaturnRegistrar) registrar).options();
            return List.of(
                    "ergo.registrar.type=saturn",
                    "ergo.registrar.saturn.servers=" + String.join(",", options.servers()),
                    "ergo.registrar.saturn.cluster=" + options.cluster(),
                    "ergo.registrar.saturn.token=" + options.token(),
                    "ergo.registrar.saturn.token-id=",
                    "ergo.registrar.saturn.tls.enabled=false");
        }
    }

    @Override
    public void destroy() {
        List<ErgoTestNode> nodes = new ArrayList<>(running);
        Collections.reverse(nodes);
        nodes.forEach(ErgoTestNode::close);
    }
}
