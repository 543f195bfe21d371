package services.ergo.samples.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every ```java block of the README and docs/ compiles against the project, so a sample a reader copies is not
 * stale. A block is a fragment: it is compiled inside a leader actor (so actor methods resolve), with the names
 * the docs take for granted declared around it ({@code node}, {@code registrar}, a {@code Job}…); class
 * declarations in it become local classes; {@code …} stands for code left out.
 */
class DocsCodeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    private static final String IMPORTS = String.join(
            "\n",
            "import services.ergo.*;",
            "import services.ergo.gen.*;",
            "import services.ergo.act.*;",
            "import services.ergo.leader.*;",
            "import services.ergo.inspect.*;",
            "import services.ergo.registrar.*;",
            "import services.ergo.registrar.etcd.*;",
            "import services.ergo.registrar.saturn.*;",
            "import services.ergo.saturn.server.*;",
            "import services.ergo.micrometer.*;",
            "import services.ergo.spring.actor.*;",
            "import services.ergo.spring.autoconfigure.*;",
            "import services.ergo.spring.leader.*;",
            "import services.ergo.spring.cluster.*;",
            "import services.ergo.spring.test.*;",
            "import services.ergo.testkit.*;",
            "import static org.assertj.core.api.Assertions.*;",
            "import org.awaitility.Awaitility;",
            "import org.junit.jupiter.api.*;",
            "import org.springframework.beans.factory.annotation.*;",
            "import org.springframework.boot.test.context.*;",
            "import java.util.*;",
            "import java.time.*;",
            "import java.util.concurrent.*;",
            "import java.util.concurrent.atomic.*;",
            "import io.micrometer.core.instrument.*;",
            "import io.micrometer.core.instrument.Timer;",
            "import org.springframework.boot.*;",
            "import org.springframework.boot.autoconfigure.*;",
            "import org.springframework.boot.context.properties.*;",
            "import org.springframework.context.annotation.*;",
            "import org.springframework.context.event.*;",
            "import org.springframework.context.event.EventListener;",
            "import org.springframework.stereotype.*;",
            "import org.springframework.web.bind.annotation.*;",
            "import org.springframework.web.client.*;",
            "import org.springframework.cloud.client.loadbalancer.*;");

    /** What the docs take for granted around a fragment. */
    private static final String CONTEXT = String.join(
            "\n",
            "  Node node; Registrar registrar; Job job; Pid client; String resource; ErgoActors ergoActors;",
            "  RestClient.Builder http; Map<String, Object> store = new HashMap<>(); long highestTermSeen;",
            "  org.slf4j.Logger log; List<Node> nodes; String token;",
            "  record Job(long id) {} record Increment() {} record GetCount() {} record LockGranted(String r, long term) {}",
            "  interface JobRepository { void save(Job job); }",
            "  static class Session extends Actor {} static class JobWorker extends Actor {}",
            "  void process(Object job) {}");

    @TestFactory
    Stream<DynamicTest> everyJavaBlockInTheDocsCompiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                int line = (int) text.substring(0, m.start())
                                .chars()
                                .filter(c -> c == '\n')
                                .count()
                        + 1;
                String block = m.group(1);
                String name = ROOT.relativize(file) + ":" + line;
                tests.add(DynamicTest.dynamicTest(
                        name,
                        () -> assertThat(compile(block)).as(name + "\n" + block).isEmpty()));
            }
        }
        assertThat(tests).as("the docs have java samples").hasSizeGreaterThan(10);
        return tests.stream();
    }

    /** Compiler messages for a fragment; empty when it compiles. */
    static String compile(String block) {
        String code = block.replace("{ … }", "{ }")
                .replace("…", "")
                .replace("public class ", "class ")
                .replace("public record ", "record ");
        boolean members = code.stripLeading().startsWith("@")
                && !code.contains(" class ")
                && !code.contains("\nclass ")
                && !code.startsWith("class ");
        members |= code.stripLeading().startsWith("@Override")
                || code.stripLeading().startsWith("protected ");
        String context = CONTEXT;
        if (code.contains("Counter::new") && !code.contains("class Counter")) {
            // the README's second sample spawns the Counter its first one declares
            context += "\n  static class Counter extends Actor {}";
        }
        // members of an actor (handlers, @Bean methods) go into an Actor; statements run inside a leader actor, so
        // that fencingToken() and the like resolve too
        String source = IMPORTS + "\n@SuppressWarnings(\"all\")\nclass Snippet extends "
                + (members
                        ? "Actor {\n" + context + "\n" + code
                        : "LeaderActor {\n  @Override protected LeaderOptions initLeader(Object... args) { return null; }\n"
                                + context + "\n  void snippet() throws Exception {\n" + code + "\n  }")
                + "\n}\n";
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        JavaFileObject unit =
                new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return source;
                    }
                };
        Path classes;
        try {
            classes = Files.createTempDirectory("docs-code");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        boolean ok = javac.getTask(
                        out,
                        null,
                        null,
                        List.of("-proc:none", "-d", classes.toString(), "-cp", System.getProperty("java.class.path")),
                        null,
                        List.of(unit))
                .call();
        return ok ? "" : out.toString();
    }
}
