package services.ergo.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import services.ergo.Ergo;
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
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Duration STARTUP_BOUND = Duration.ofSeconds(30);

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

    private static String oldClassPath;

    private final int port = TestRegistrar.freePort();
    private final List<Node> nodes = new ArrayList<>();
    private final List<OldNode> olds = new ArrayList<>();

    @BeforeAll
    static void compileTheOldNode() throws IOException, URISyntaxException {
        URL compat = RegistrarCompatibilityTest.class.getResource("/compat");
        assertThat(compat)
                .as("src/test/resources/compat on the test class path")
                .isNotNull();
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of(compat.toURI()))) {
            jars = files.filter(p -> p.getFileName().toString().matches("ergo-core-.*\\.jar"))
                    .toList();
        }
        assertThat(jars)
                .as("one old ergo-core jar in src/test/resources/compat")
                .hasSize(1);
        List<String> dependencies = Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.endsWith(".jar"))
                .filter(e -> !Path.of(e).getFileName().toString().startsWith("ergo-core"))
                .toList();
        Path src = build.resolve("src/services/ergo/registrar/compat");
        Files.createDirectories(src);
        Files.writeString(src.resolve("OldRegistrarMain.java"), OLD_NODE_SOURCE);
        Path classes = build.resolve("classes");
        List<String> compileClassPath = new ArrayList<>();
        compileClassPath.add(jars.get(0).toString());
        compileClassPath.addAll(dependencies);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(
                null,
                errors,
                errors,
                "--release",
                "17",
                "-cp",
                String.join(File.pathSeparator, compileClassPath),
                "-d",
                classes.toString(),
                src.resolve("OldRegistrarMain.java").toString());
        assertThat(rc).as("javac of the old node:\n" + errors).isZero();
        List<String> run = new ArrayList<>();
        run.add(jars.get(0).toString());
        run.add(classes.toString());
        run.addAll(dependencies);
        oldClassPath = String.join(File.pathSeparator, run);
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
        OldNode old = OldNode.start(name, address, port);
        olds.add(old);
        return old;
    }

    private static EmbeddedRegistrar registrar(Node n) {
        return (EmbeddedRegistrar) n.network().registrar();
    }

    @Test
    void anOldNodeRegistersWithANewServingNodeAndEachResolvesTheOther() {
        Node fresh = startNew("new@127.0.0.1", "127.0.0.1");
        assertThat(registrar(fresh).serving()).isTrue();
        OldNode old = startOld("old@127.0.0.1", "127.0.0.1");
        assertThat(old.serving).isFalse();
        assertThat(registrar(fresh).nodes()).containsExactlyInAnyOrder("new@127.0.0.1", "old@127.0.0.1");
        assertThat(registrar(fresh).resolve("old@127.0.0.1")).contains(new NetworkRoute("127.0.0.1", old.port));
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
        assertThat(old.serving).isTrue();
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
                .contains(new NetworkRoute("127.0.0.6", old.port));
        // the other way needs nothing: the new host answers the old form of the query
        assertThat(old.ask("resolve new@127.0.0.7"))
                .isEqualTo("Optional[127.0.0.7:" + fresh.network().acceptor().port() + "]");
        assertThat(old.ask("call new@127.0.0.7 echo hi")).isEqualTo("hi from new@127.0.0.7");
    }

    /** The old node's JVM, spoken to over its stdin and stdout. */
    private static final class OldNode {
        final java.lang.Process process;
        final int port;
        final boolean serving;
        private final BufferedWriter commands;
        private final List<String> said = new CopyOnWriteArrayList<>();
        private final List<String> output = new CopyOnWriteArrayList<>();
        private final AtomicInteger sequence = new AtomicInteger();

        private OldNode(java.lang.Process process) {
            this.process = process;
            this.commands =
                    new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            Thread reader = new Thread(this::read, "old-node-output");
            reader.setDaemon(true);
            reader.start();
            String[] ready = awaitLine("ready ", STARTUP_BOUND).split(" ");
            this.port = Integer.parseInt(ready[1]);
            this.serving = Boolean.parseBoolean(ready[2]);
        }

        static OldNode start(String name, String address, int registrarPort) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1"));
            URL logback = RegistrarCompatibilityTest.class.getResource("/logback-test.xml");
            if (logback != null) {
                command.add("-Dlogback.configurationFile=" + logback);
            }
            command.addAll(List.of(
                    "-cp",
                    oldClassPath,
                    "services.ergo.registrar.compat.OldRegistrarMain",
                    name,
                    COOKIE,
                    address,
                    Integer.toString(registrarPort)));
            java.lang.Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                return new OldNode(process);
            } catch (RuntimeException | Error e) {
                process.destroyForcibly();
                throw e;
            }
        }

        private void read() {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                    System.out.println("[old node] " + line);
                    if (line.startsWith("OLD ")) {
                        said.add(line.substring(4));
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }

        String ask(String command) {
            String n = Integer.toString(sequence.incrementAndGet());
            try {
                commands.write(n + " " + command);
                commands.newLine();
                commands.flush();
            } catch (IOException e) {
                throw new AssertionError("cannot talk to the old node:\n" + String.join("\n", output), e);
            }
            String answer = awaitLine(n + " ", BOUND).substring(n.length() + 1);
            assertThat(answer).as("the old node's answer to " + command).doesNotStartWith("error ");
            return answer;
        }

        private String awaitLine(String prefix, Duration bound) {
            return await().atMost(bound)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .until(
                            () -> {
                                for (String line : said) {
                                    if (line.startsWith(prefix)) {
                                        return line;
                                    }
                                }
                                if (!process.isAlive()) {
                                    throw new AssertionError("the old node exited while the test waited for '" + prefix
                                            + "':\n" + String.join("\n", output));
                                }
                                return null;
                            },
                            Objects::nonNull);
        }

        void close() {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
