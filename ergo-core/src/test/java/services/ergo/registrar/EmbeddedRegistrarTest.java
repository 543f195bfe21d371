package services.ergo.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.ErgoException;
import services.ergo.gen.InvalidOptionException;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarInfo;
import services.ergo.testing.Reporter;
import services.ergo.testing.TestRegistrar;

class EmbeddedRegistrarTest {
    private final List<Node> nodes = new ArrayList<>();
    private final int port = TestRegistrar.freePort();

    @AfterEach
    void stop() {
        nodes.forEach(Node::stopForce);
    }

    private Node start(String name, EmbeddedRegistrar.Options registrar, String acceptorHost) {
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .cookie("reg")
                        .registrar(() -> new EmbeddedRegistrar(registrar))
                        .network(NetworkOptions.on().withHost(acceptorHost).withPort(0))
                        .build());
        nodes.add(n);
        return n;
    }

    private Node start(String name) {
        return start(name, EmbeddedRegistrar.Options.defaults().withPort(port), "localhost");
    }

    private static EmbeddedRegistrar registrar(Node n) {
        return (EmbeddedRegistrar) n.network().registrar();
    }

    /** Reports what it gets, and answers calls with its node's name. */
    static final class Echo extends Reporter {
        @Override
        protected void handleMessage(Pid from, Object message) {
            report(message);
        }

        @Override
        protected Object handleCall(Pid from, services.ergo.gen.Ref ref, Object request) {
            return request + " from " + node().name();
        }
    }

    @Test
    void aHiddenNodeReachesTheOthersAndNoOneListsIt() {
        Node first = start("first@localhost");
        first.spawnRegister("echo", Echo::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());
        Node hidden = Ergo.startNode(
                "hidden@localhost",
                NodeOptions.builder()
                        .cookie("reg")
                        .registrar(() -> new EmbeddedRegistrar(
                                EmbeddedRegistrar.Options.defaults().withPort(port)))
                        .network(NetworkOptions.on().withPort(0).withHidden(true))
                        .build());
        nodes.add(hidden);
        assertThat(registrar(hidden).info().description()).startsWith("embedded, hidden");
        assertThat(hidden.call(new ProcessId("echo", "first@localhost"), "hi")).isEqualTo("hi from first@localhost");
        assertThat(registrar(hidden).nodes()).contains("first@localhost").doesNotContain("hidden@localhost");
        assertThat(registrar(first).nodes()).doesNotContain("hidden@localhost");
        assertThat(registrar(first).resolve("hidden@localhost")).isEmpty();
    }

    /**
     * Whatever answers on the registrar port may be hostile: an answer that never ends its line, and one that never
     * ends, each cost a hidden node a bounded read, then it lets go of the connection.
     */
    @Test
    void aHiddenNodeStopsReadingAnEndlessAnswerToItsListQuery() throws Exception {
        for (String endless : List.of(
                RegistrarProtocol.TAG + " NODES " + "x".repeat(8192), RegistrarProtocol.TAG + " NODES a@localhost\n")) {
            try (ServerSocket hostile = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Node hidden = Ergo.startNode(
                        "hidden" + nodes.size() + "@localhost",
                        NodeOptions.builder()
                                .cookie("reg")
                                .registrar(() -> new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults()
                                        .withPort(hostile.getLocalPort())
                                        .withResolveTimeout(Duration.ofSeconds(2))))
                                .network(NetworkOptions.on().withPort(0).withHidden(true))
                                .build());
                nodes.add(hidden);
                java.util.concurrent.CompletableFuture<List<String>> listed =
                        java.util.concurrent.CompletableFuture.supplyAsync(
                                () -> registrar(hidden).nodes());
                long written = 0;
                try (Socket s = hostile.accept()) {
                    byte[] chunk = endless.getBytes(StandardCharsets.UTF_8);
                    OutputStream out = s.getOutputStream();
                    try {
                        while (written < 512L * 1024 * 1024) {
                            out.write(chunk);
                            written += chunk.length;
                        }
                    } catch (java.io.IOException closedByTheNode) {
                        // what the node must do
                    }
                }
                assertThat(written).as("bytes the node took before it let go").isLessThan(64L * 1024 * 1024);
                assertThat(listed.get(30, TimeUnit.SECONDS)).doesNotContain("x".repeat(8192));
            }
        }
    }

    @Test
    void infoSaysTheEmbeddedRegistrarKnowsNodesOnlyAndRunsHiddenNodesAndTheRestAnswersEmpty() {
        Node first = start("first@localhost");
        Node hidden = Ergo.startNode(
                "hidden@localhost",
                NodeOptions.builder()
                        .cookie("reg")
                        .registrar(() -> new EmbeddedRegistrar(
                                EmbeddedRegistrar.Options.defaults().withPort(port)))
                        .network(NetworkOptions.on().withPort(0).withHidden(true))
                        .build());
        nodes.add(hidden);
        for (Node n : List.of(first, hidden)) {
            Registrar registrar = n.network().registrar();
            RegistrarInfo info = registrar.info();
            assertThat(info.supportsApplications()).isFalse();
            assertThat(info.supportsEvents()).isFalse();
            assertThat(info.supportsConfiguration()).isFalse();
            assertThat(info.supportsNodeMetadata()).isFalse();
            assertThat(info.supportsHiddenNodes()).isTrue();
            assertThat(info.toString()).isEqualTo(info.description());
            assertThat("registrar: " + info).isEqualTo("registrar: " + info.description());

            // what it lacks it still answers, emptily, as before the flags
            assertThat(registrar.resolver()).isSameAs(registrar);
            assertThat(registrar.resolver().resolveApplication("api")).isEmpty();
            assertThat(registrar.resolveApplication("api")).isEmpty();
            assertThat(registrar.applications()).isEmpty();
            assertThat(registrar.config("db.pool_size")).isEmpty();
            assertThat(registrar.configAll()).isEmpty();
            assertThat(registrar.event()).isEmpty();
            registrar.setNodeMetadata(Map.of("http", "localhost:8080"));
            assertThat(registrar.nodeMetadata(n.name())).isEmpty();
        }
        assertThat(registrar(first).info().description()).isEqualTo("embedded, serving on localhost:" + port);
        assertThat(registrar(hidden).info().description())
                .isEqualTo("embedded, hidden, resolving through localhost:" + port);
        assertThat(registrar(hidden).resolver().resolve("first@localhost"))
                .contains(
                        new NetworkRoute("localhost", first.network().acceptor().port()));
    }

    @Test
    void theFirstNodeServesTheOthersRegisterAndNamesAreUnique() {
        Node first = start("first@localhost");
        Node second = start("second@localhost");
        assertThat(registrar(first).serving()).isTrue();
        assertThat(registrar(second).serving()).isFalse();
        assertThat(registrar(first).info().description()).isEqualTo("embedded, serving on localhost:" + port);
        assertThat(registrar(second).info().description()).isEqualTo("embedded, registered with localhost:" + port);
        assertThat(registrar(second).nodes()).containsExactlyInAnyOrder("first@localhost", "second@localhost");
        assertThat(registrar(second).resolve("first@localhost"))
                .contains(
                        new NetworkRoute("localhost", first.network().acceptor().port()));
        assertThat(registrar(first).resolve("nobody@localhost")).isEmpty();

        // send by name, resolved through the registrar: no static route anywhere
        first.spawnRegister("echo", Echo::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());
        assertThat(second.call(new ProcessId("echo", "first@localhost"), "hi")).isEqualTo("hi from first@localhost");

        assertThatThrownBy(() -> start("second@localhost"))
                .isInstanceOf(NameTakenException.class)
                .hasMessageContaining("name 'second@localhost' is taken")
                .hasMessageContaining("embedded registrar");
        assertThatThrownBy(() -> start("first@localhost")).isInstanceOf(NameTakenException.class);
        // the refused nodes left nothing behind: the names are still the first holders'
        assertThat(registrar(first).nodes()).containsExactlyInAnyOrder("first@localhost", "second@localhost");

        second.stop();
        await().atMost(Duration.ofSeconds(2))
                .until(() -> registrar(first).nodes().equals(List.of("first@localhost")));
        start("second@localhost"); // the name is free again once its node is gone
    }

    @Test
    void whenTheServingNodeGoesAnotherTakesOverAndTheRestRegisterAgain() {
        Node first = start("first@localhost");
        Node second = start("second@localhost");
        Node third = start("third@localhost");
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        third.spawnRegister("echo", Echo::new, ProcessOptions.defaults(), got);

        long t0 = System.nanoTime();
        first.stopForce();
        await().atMost(Duration.ofSeconds(2))
                .until(() -> registrar(second).serving() ^ registrar(third).serving());
        System.out.printf("registrar takeover in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        Node server = registrar(second).serving() ? second : third;
        await().atMost(Duration.ofSeconds(2))
                .until(() -> registrar(server).nodes().size() == 2);
        assertThat(registrar(server).nodes()).containsExactlyInAnyOrder("second@localhost", "third@localhost");

        Node fourth = start("fourth@localhost");
        assertThat(fourth.call(new ProcessId("echo", "third@localhost"), "still"))
                .isEqualTo("still from third@localhost");
        assertThat(registrar(fourth).serving()).isFalse();
    }

    @Test
    void twoHostsOnTwoLoopbackAddressesResolveEachOthersNodes() throws Exception {
        EmbeddedRegistrar.Options base = EmbeddedRegistrar.Options.defaults().withPort(port);
        Node a = start("a@127.0.0.2", base.withAddress("127.0.0.2"), "127.0.0.2");
        Node b = start("b@127.0.0.3", base.withAddress("127.0.0.3"), "127.0.0.3");
        Node b2 = start("b2@127.0.0.3", base.withAddress("127.0.0.3"), "127.0.0.3");
        assertThat(registrar(a).serving()).isTrue();
        assertThat(registrar(b).serving()).isTrue();
        assertThat(registrar(b2).serving()).isFalse();
        assertThat(registrar(a).nodes()).containsExactly("a@127.0.0.2");
        assertThat(registrar(b).nodes()).containsExactlyInAnyOrder("b@127.0.0.3", "b2@127.0.0.3");

        BlockingQueue<Object> gotA = new LinkedBlockingQueue<>();
        BlockingQueue<Object> gotB2 = new LinkedBlockingQueue<>();
        a.spawnRegister("echo", Echo::new, ProcessOptions.defaults(), gotA);
        b2.spawnRegister("echo", Echo::new, ProcessOptions.defaults(), gotB2);

        // b2 is not the server on its host: its query goes to a's host registrar over UDP, and the other way round
        assertThat(registrar(b2).resolve("a@127.0.0.2"))
                .contains(new NetworkRoute("127.0.0.2", a.network().acceptor().port()));
        b2.send(new ProcessId("echo", "a@127.0.0.2"), "to host 2");
        assertThat(gotA.poll(5, TimeUnit.SECONDS)).isEqualTo("to host 2");
        assertThat(a.call(new ProcessId("echo", "b2@127.0.0.3"), "to host 3")).isEqualTo("to host 3 from b2@127.0.0.3");
        assertThat(registrar(a).resolve("ghost@127.0.0.3")).isEmpty();
    }

    @Test
    void whatIsNotTheProtocolIsRefusedAndCountedAndTheServerGoesOn() throws Exception {
        Node first = start("first@localhost");
        String[] garbage = {
            "HELLO\n",
            "ERGO-REG1 REGISTER x 1 2\n",
            "ERGO-REG1 REGISTER bad 80\n",
            "ERGO-REG1 REGISTER a@b 99999\n",
            "x".repeat(4000) + "\n"
        };
        for (String g : garbage) {
            try (Socket s = new Socket("localhost", port)) {
                s.setSoTimeout(3000);
                OutputStream out = s.getOutputStream();
                out.write(g.getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                String line;
                do {
                    line = in.readLine();
                } while (line != null && !line.isEmpty() && line.startsWith("ERGO-REG1 ERROR") && in.ready());
                // closed by the server, after at most one ERROR line
                assertThat(in.readLine()).isNull();
            }
        }
        try (DatagramSocket d = new DatagramSocket()) {
            for (String g : new String[] {"junk", "ERGO-REG1 RESOLVE", "ERGO-REG1 RESOLVE a b", "y".repeat(2000)}) {
                byte[] bytes = g.getBytes(StandardCharsets.UTF_8);
                d.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("localhost"), port));
            }
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> registrar(first).rejected() == garbage.length + 4);

        // a registration that holds a name, then speaks again, is cut too and the name freed
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(3000);
            s.getOutputStream().write("ERGO-REG1 REGISTER raw@localhost 1234\n".getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("ERGO-REG1 OK");
            assertThat(registrar(first).resolve("raw@localhost")).contains(new NetworkRoute("localhost", 1234));
            s.getOutputStream().write("ERGO-REG1 REGISTER raw2@localhost 1234\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("ERGO-REG1 ERROR");
            assertThat(in.readLine()).isNull();
        }
        await().atMost(Duration.ofSeconds(2))
                .until(() -> registrar(first).resolve("raw@localhost").isEmpty());

        Node second = start("second@localhost");
        assertThat(registrar(second).nodes()).containsExactlyInAnyOrder("first@localhost", "second@localhost");
    }

    @Test
    void aPortHeldBySomethingElseIsAClearErrorNotAHang() throws Exception {
        try (ServerSocket squatter = new ServerSocket(port, 50, InetAddress.getByName("localhost"))) {
            EmbeddedRegistrar.Options o = EmbeddedRegistrar.Options.defaults()
                    .withPort(port)
                    .withResolveTimeout(Duration.ofMillis(200))
                    .withRetryInterval(Duration.ofMillis(100));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> start("lost@localhost", o, "localhost"))
                    .isInstanceOf(ErgoException.class)
                    .hasMessageContaining("cannot serve the embedded registrar on localhost:" + port);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void portZeroGivesANodeARegistrarOfItsOwn() {
        EmbeddedRegistrar.Options own = EmbeddedRegistrar.Options.defaults().withPort(0);
        Node a = start("a@localhost", own, "localhost");
        Node b = start("b@localhost", own, "localhost");
        assertThat(registrar(a).serving()).isTrue();
        assertThat(registrar(b).serving()).isTrue();
        assertThat(registrar(a).port()).isNotEqualTo(registrar(b).port()).isPositive();
        assertThat(registrar(a).nodes()).containsExactly("a@localhost");
        assertThatThrownBy(() -> a.send(new ProcessId("x", "b@localhost"), "hi"))
                .hasMessageContaining("does not know it");
        a.network().addRoute("b@localhost", b.network().acceptor());
        b.spawnRegister("echo", Echo::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());
        assertThat(a.call(new ProcessId("echo", "b@localhost"), "static")).isEqualTo("static from b@localhost");
    }

    @Test
    void optionsAreChecked() {
        EmbeddedRegistrar.Options d = EmbeddedRegistrar.Options.defaults();
        assertThat(d.port()).isEqualTo(4499);
        assertThat(d.host()).isEqualTo("localhost");
        assertThat(d.resolveHost()).isEqualTo("*");
        assertThatThrownBy(() -> d.withPort(-1)).hasMessageContaining("port must be 0..65535");
        assertThatThrownBy(() -> d.withAddress(" ")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> d.withResolveTimeout(Duration.ZERO)).hasMessageContaining("resolveTimeout");
        assertThatThrownBy(() -> d.withRetryInterval(Duration.ZERO))
                .isInstanceOfSatisfying(
                        InvalidOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("retryInterval"));
        assertThatThrownBy(() -> d.withPort(70000))
                .isInstanceOfSatisfying(
                        InvalidOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("port"));
        assertThat(d.resolveTimeout()).isEqualTo(EmbeddedRegistrar.Options.DEFAULT_RESOLVE_TIMEOUT);
        assertThat(d.retryInterval()).isEqualTo(EmbeddedRegistrar.Options.DEFAULT_RETRY_INTERVAL);
        EmbeddedRegistrar r = new EmbeddedRegistrar(d.withPort(port));
        Node unnamed = (Node) java.lang.reflect.Proxy.newProxyInstance(
                Node.class.getClassLoader(),
                new Class<?>[] {Node.class},
                (proxy, method, args) -> method.getName().equals("name") ? "no-host" : null);
        assertThatThrownBy(() -> r.register(unnamed, new NetworkRoute("localhost", 1)))
                .hasMessageContaining("not a node name");
    }
}
