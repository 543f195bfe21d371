package services.ergo.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import services.ergo.Ergo;
import services.ergo.compat.OldRelease;
import services.ergo.compat.OldRelease.OldNode;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.testing.TestRegistrar;

/**
 * The embedded registrar of the previous release and this one share a host, and resolve each other's hosts, as in
 * a rolling upgrade. The old node is the ergo-core jar in {@code src/test/resources/compat}, run by a small program
 * compiled against it at test time in a JVM of its own (as {@code WireCompatibilityTest} does for the wire).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegistrarCompatibilityTest {
    private static final String COOKIE = "compat";

    /** The old node: {@code <n> call <node> <name> <text>}, {@code <n> nodes}, {@code <n> resolve <node>}. */
    private static final String OLD_NODE_SOURCE = """
            package services.ergo.registrar.compat;

            import java.io.BufferedReader;
            import java.io.InputStreamReader;
            import java.nio.charset.StandardCharsets;
            import services.ergo.Ergo;
            import services.ergo.act.Actor;
            import services.ergo.gen.NetworkOptions;
            import services.ergo.gen.Node;
            import services.ergo.gen.NodeOptions;
            import services.ergo.gen.Pid;
            import services.ergo.gen.ProcessId;
            import services.ergo.gen.ProcessOptions;
            import services.ergo.gen.Ref;
            import services.ergo.registrar.EmbeddedRegistrar;

            public final class OldRegistrarMain {
                static synchronized void say(String line) {
                    System.out.println("OLD " + line);
                    System.out.flush();
                }

                public static final class Echo extends Actor {
                    @Override
                    protected Object handleCall(Pid from, Ref ref, Object request) {
                        return "old echo:" + request;
                    }
                }

                public static void main(String[] args) throws Exception {
                    // name cookie address registrar-port
                    Node node = Ergo.startNode(
                            args[0],
                            NodeOptions.builder()
                                    .registrar(() -> new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults()
                                            .withAddress(args[2])
                                            .withPort(Integer.parseInt(args[3]))))
                                    .cookie(args[1])
                                    .network(NetworkOptions.on().withHost(args[2]).withPort(0))
                                    .build());
                    node.spawnRegister("echo", Echo::new, ProcessOptions.defaults());
                    EmbeddedRegistrar registrar = (EmbeddedRegistrar) node.network().registrar();
                    say("ready " + node.network().acceptor().port() + " " + registrar.serving());
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    for (String line; (line = in.readLine()) != null; ) {
                        String[] w = line.split(" ", 5);
                        try {
                            String answer = switch (w[1]) {
                                case "call" -> String.valueOf(node.call(new ProcessId(w[3], w[2]), w[4]));
                                case "nodes" -> String.join(",", new java.util.TreeSet<>(registrar.nodes()));
                                case "resolve" -> String.valueOf(registrar.resolve(w[2]));
                                default -> throw new IllegalArgumentException("unknown command " + w[1]);
                            };
                            say(w[0] + " " + answer);
                        } catch (Exception e) {
                            say(w[0] + " error " + e);
                        }
                    }
                    node.stopForce();
                    System.exit(0);
                }
            }
            """;

    @TempDir
    static Path build;

    /** The old jar, with the old node's program compiled against it. */
    private static OldRelease release;

    private final int port = TestRegistrar.freePort();
    private final List<Node> nodes = new ArrayList<>();
    private final List<OldNode> olds = new ArrayList<>();

    @BeforeAll
    static void compileTheOldNode() throws IOException {
        release = OldRelease.find()
                .compile(build, Map.of("services.ergo.registrar.compat.OldRegistrarMain", OLD_NODE_SOURCE));
    }

    @AfterEach
    void stop() {
        olds.forEach(OldNode::close);
        nodes.forEach(Node::stopForce);
    }

    private Node startNew(String name, String address) {
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .cookie(COOKIE)
                        .registrar(() -> new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults()
                                .withAddress(address)
                                .withPort(port)))
                        .network(NetworkOptions.on().withHost(address).withPort(0))
                        .build());
        n.spawnRegister(
                "echo", EmbeddedRegistrarTest.Echo::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());
        nodes.add(n);
        return n;
    }

    private OldNode startOld(String name, String address) {
        OldNode old = release.start(
                "128m",
                "services.ergo.registrar.compat.OldRegistrarMain",
                name,
                COOKIE,
                address,
                Integer.toString(port));
        olds.add(old);
        return old;
    }

    private static EmbeddedRegistrar registrar(Node n) {
        return (EmbeddedRegistrar) n.network().registrar();
    }

    /** Whether the old node's registrar serves this host: what its ready line says after the port. */
    private static boolean serving(OldNode old) {
        return Boolean.parseBoolean(old.ready().get(1));
    }

    @Test
    void anOldNodeRegistersWithANewServingNodeAndEachResolvesTheOther() {
        Node fresh = startNew("new@127.0.0.1", "127.0.0.1");
        assertThat(registrar(fresh).serving()).isTrue();
        OldNode old = startOld("old@127.0.0.1", "127.0.0.1");
        assertThat(serving(old)).isFalse();
        assertThat(registrar(fresh).nodes()).containsExactlyInAnyOrder("new@127.0.0.1", "old@127.0.0.1");
        assertThat(registrar(fresh).resolve("old@127.0.0.1")).contains(new NetworkRoute("127.0.0.1", old.port()));
        // a node of this release registered with the new server is told of the old one (which has no key)
        Node other = startNew("other@127.0.0.1", "127.0.0.1");
        assertThat(registrar(other).nodes()).contains("old@127.0.0.1");

        // the old node resolves over UDP without an id, and the new server still answers that form
        assertThat(old.ask("call new@127.0.0.1 echo hi")).isEqualTo("hi from new@127.0.0.1");
        assertThat(fresh.call(new ProcessId("echo", "old@127.0.0.1"), "hi")).isEqualTo("old echo:hi");
        assertThat(other.call(new ProcessId("echo", "old@127.0.0.1"), "hi")).isEqualTo("old echo:hi");
    }

    @Test
    void aNewNodeRegistersWithAnOldServingNodeWithoutAKey() {
        OldNode old = startOld("old@127.0.0.1", "127.0.0.1");
        assertThat(serving(old)).isTrue();
        Node fresh = startNew("new@127.0.0.1", "127.0.0.1");
        assertThat(registrar(fresh).serving()).isFalse();
        assertThat(registrar(fresh).connected()).isTrue();
        assertThat(registrar(fresh).nodes()).containsExactlyInAnyOrder("new@127.0.0.1", "old@127.0.0.1");
        assertThat(old.ask("nodes")).isEqualTo("new@127.0.0.1,old@127.0.0.1");
        // the old server answers resolves without an id: taken from this host's registrar, which it registered with
        assertThat(fresh.call(new ProcessId("echo", "old@127.0.0.1"), "hi")).isEqualTo("old echo:hi");
        assertThat(old.ask("call new@127.0.0.1 echo hi")).isEqualTo("hi from new@127.0.0.1");
    }

    @Test
    void acrossHostsAnOldHostIsResolvedOnlyWithLegacyResolveAndResolvesANewOne() {
        OldNode old = startOld("old@127.0.0.6", "127.0.0.6");
        Node fresh = startNew("new@127.0.0.7", "127.0.0.7");
        EmbeddedRegistrar.Options here = EmbeddedRegistrar.Options.defaults()
                .withAddress("127.0.0.7")
                .withPort(port)
                .withResolveTimeout(Duration.ofMillis(500));
        // the safe default: the old host's answer has no id, so it is not taken
        assertThat(new EmbeddedRegistrar(here).resolve("old@127.0.0.6")).isEmpty();
        assertThat(new EmbeddedRegistrar(here.withLegacyResolve(true)).resolve("old@127.0.0.6"))
                .contains(new NetworkRoute("127.0.0.6", old.port()));
        // the other way needs nothing: the new host answers the old form of the query
        assertThat(old.ask("resolve new@127.0.0.7"))
                .isEqualTo("Optional[127.0.0.7:" + fresh.network().acceptor().port() + "]");
        assertThat(old.ask("call new@127.0.0.7 echo hi")).isEqualTo("hi from new@127.0.0.7");
    }
}
