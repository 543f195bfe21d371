package services.ergo.compat;

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
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The previous release, for the compatibility tests: the ergo-core jar in {@code src/test/resources/compat} (its
 * README says which commit), a small program compiled against that jar at test time, and that program run in a JVM
 * of its own with a class path of its own, so that old and new classes never mix. Each test writes its own program;
 * this class only finds the jar, compiles and starts the program, and speaks to it.
 *
 * <p>The program must follow one convention: once up it prints {@code OLD ready <port> ...}; then it reads commands
 * on stdin, one a line, {@code <n> <command>}, and answers each on stdout with {@code OLD <n> <answer>} (or
 * {@code OLD <n> error ...}). Whatever else it prints with {@code OLD } in front can be waited for with
 * {@link OldNode#awaitLine}.
 *
 * <pre>{@code
 * static OldRelease release;
 *
 * @BeforeAll
 * static void compileTheOldNode(@TempDir Path build) throws IOException {
 *     release = OldRelease.find().compile(build, Map.of("old.Main", MAIN_SOURCE));
 * }
 *
 * @Test
 * void talks() {
 *     OldRelease.OldNode old = release.start("128m", "old.Main", "old@localhost", "cookie");
 *     try {
 *         assertThat(old.ask("call new@localhost echo hi")).isEqualTo("hi");
 *     } finally {
 *         old.close();
 *     }
 * }
 * }</pre>
 */
public final class OldRelease {
    /** How long an answer of the old node may take to come. */
    public static final Duration BOUND = Duration.ofSeconds(10);
    /** How long the old node's JVM may take to come up, on a loaded machine. */
    public static final Duration STARTUP_BOUND = Duration.ofSeconds(30);

    private final Path jar;
    private final List<String> dependencies;
    /** The old jar, the compiled program and the dependencies; null until {@link #compile}. */
    private final String classPath;

    private OldRelease(Path jar, List<String> dependencies, String classPath) {
        this.jar = jar;
        this.dependencies = dependencies;
        this.classPath = classPath;
    }

    /**
     * The one old ergo-core jar in {@code src/test/resources/compat}, with the dependency jars of this JVM's class path
     * (all of them but this build's ergo-core).
     */
    public static OldRelease find() throws IOException {
        URL compat = OldRelease.class.getResource("/compat");
        assertThat(compat)
                .as("src/test/resources/compat on the test class path")
                .isNotNull();
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of(compat.toURI()))) {
            jars = files.filter(p -> p.getFileName().toString().matches("ergo-core-.*\\.jar"))
                    .toList();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("src/test/resources/compat is not a folder: " + compat, e);
        }
        assertThat(jars)
                .as("one old ergo-core jar in src/test/resources/compat")
                .hasSize(1);
        List<String> dependencies = Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.endsWith(".jar"))
                .filter(e -> !Path.of(e).getFileName().toString().startsWith("ergo-core"))
                .toList();
        return new OldRelease(jars.get(0), dependencies, null);
    }

    /** The old ergo-core jar. */
    public Path jar() {
        return jar;
    }

    /** The dependency jars the old program is compiled and run with. */
    public List<String> dependencies() {
        return dependencies;
    }

    /**
     * Compiles the program against the old jar, under {@code build}, and returns the release ready to {@link #start}
     * it.
     *
     * @param sources each source by the binary name of its class, e.g. {@code services.ergo.net.compat.Job}
     */
    public OldRelease compile(Path build, Map<String, String> sources) throws IOException {
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = build.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toString());
        }
        Path classes = build.resolve("classes");
        List<String> options = new ArrayList<>(List.of(
                "--release",
                "17",
                "-cp",
                String.join(File.pathSeparator, withJar(List.of())),
                "-d",
                classes.toString()));
        options.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, errors, errors, options.toArray(String[]::new));
        assertThat(rc)
                .as("javac of the old node against " + jar.getFileName() + ":\n" + errors)
                .isZero();
        return new OldRelease(jar, dependencies, String.join(File.pathSeparator, withJar(List.of(classes.toString()))));
    }

    /** The old jar first, then {@code classes}, then the dependencies. */
    private List<String> withJar(List<String> classes) {
        List<String> path = new ArrayList<>();
        path.add(jar.toString());
        path.addAll(classes);
        path.addAll(dependencies);
        return path;
    }

    /**
     * Starts the compiled program's {@code mainClass} in a JVM of its own and waits (up to {@link #STARTUP_BOUND})
     * until it says it is ready.
     *
     * @param maxHeap the JVM's {@code -Xmx}, e.g. {@code 128m}
     */
    public OldNode start(String maxHeap, String mainClass, String... args) {
        if (classPath == null) {
            throw new IllegalStateException("compile the old program before starting it");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        URL logback = OldRelease.class.getResource("/logback-test.xml");
        if (logback != null) {
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new OldNode(process);
        } catch (RuntimeException | Error e) {
            process.destroyForcibly(); // it never said it was ready: the test has no handle to end it by
            throw e;
        }
    }

    /** The old node's JVM, spoken to over its stdin and stdout. */
    public static final class OldNode {
        private final Process process;
        private final List<String> ready;
        private final BufferedWriter commands;
        /** Its "OLD ..." lines, without the "OLD ". */
        private final List<String> said = new CopyOnWriteArrayList<>();
        /** Everything it printed, for failure messages. */
        private final List<String> output = new CopyOnWriteArrayList<>();

        private final AtomicInteger sequence = new AtomicInteger();

        private OldNode(Process process) {
            this.process = process;
            this.commands =
                    new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            Thread reader = new Thread(this::read, "old-node-output");
            reader.setDaemon(true);
            reader.start();
            String[] words = awaitLine("ready ", STARTUP_BOUND).split(" ");
            this.ready = List.of(words).subList(1, words.length);
        }

        /** Its JVM. */
        public Process process() {
            return process;
        }

        /** The port its node accepts connections on: the first word of its ready line. */
        public int port() {
            return Integer.parseInt(ready.get(0));
        }

        /** The words of its ready line after {@code ready}: the port first, then what the program adds. */
        public List<String> ready() {
            return ready;
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

        /** Runs a command there and returns its answer, which must not be an error. */
        public String ask(String command) {
            String n = Integer.toString(sequence.incrementAndGet());
            try {
                synchronized (commands) {
                    commands.write(n + " " + command);
                    commands.newLine();
                    commands.flush();
                }
            } catch (IOException e) {
                throw new AssertionError("cannot talk to the old node:\n" + String.join("\n", output), e);
            }
            String answer = awaitLine(n + " ").substring(n.length() + 1);
            assertThat(answer).as("the old node's answer to " + command).doesNotStartWith("error ");
            return answer;
        }

        /** The first line it said that starts with {@code prefix}, waiting for it up to {@link #BOUND}. */
        public String awaitLine(String prefix) {
            return awaitLine(prefix, BOUND);
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

        /** Kills its JVM and waits a little for it to go. */
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
