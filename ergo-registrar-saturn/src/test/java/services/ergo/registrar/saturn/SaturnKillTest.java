package services.ergo.registrar.saturn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.RegistrarEvent;
import services.ergo.saturn.server.SaturnServer;
import services.ergo.testkit.TestProbe;

/** kill -9 of a node's JVM and of the server's JVM: what the others see, and how fast. */
class SaturnKillTest {
    private final List<java.lang.Process> processes = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(java.lang.Process::destroyForcibly);
        nodes.forEach(Node::stopForce);
    }

    private java.lang.Process spawn(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + "/bin/java",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                SaturnProcessMain.class.getName()));
        command.addAll(List.of(args));
        java.lang.Process p =
                new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) {
            // its log lines
        }
        assertThat(line).as("%s came up", String.join(" ", args)).isEqualTo("READY");
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException ended) {
                // killed
            }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    private Node node(String name, String server) {
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .cookie("saturn")
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new SaturnRegistrar(SaturnRegistrarTest.options(server)))
                        .build());
        nodes.add(n);
        return n;
    }

    @Test
    void aKilledNodeLeavesAtOnceBecauseItsSocketCloses() throws Exception {
        try (SaturnServer server = SaturnRegistrarTest.startServer(0)) {
            Node watcher = node("watcher@localhost", server.address());
            TestProbe probe = SaturnRegistrarTest.watch(watcher);
            java.lang.Process victim = spawn("node", "victim@localhost", server.address());
            SaturnRegistrarTest.expect(probe, RegistrarEvent.NodeJoined.class);
            long t0 = System.nanoTime();
            victim.destroyForcibly(); // SIGKILL: no leave; the kernel closes its socket
            SaturnRegistrarTest.expect(
                    probe, RegistrarEvent.NodeLeft.class, l -> l.node().equals("victim@localhost"));
            long took = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("kill -9 → NodeLeft in %d ms (TTL 3 000 ms)%n", took);
            assertThat(took).as("the closed socket, not the TTL").isLessThan(2000);
            assertThat(watcher.network().registrar().nodes()).containsExactly("watcher@localhost");
        }
    }

    @Test
    void afterTheServersJvmIsKilledAndStartedAgainEveryNodeIsBackInTheView() throws Exception {
        int port = SaturnRegistrarTest.lowFreePort();
        java.lang.Process server = spawn("server", Integer.toString(port));
        String address = "127.0.0.1:" + port;
        Node a = node("a@localhost", address);
        Node b = node("b@localhost", address);
        TestProbe probe = SaturnRegistrarTest.watch(a);
        await().atMost(SaturnRegistrarTest.WAIT)
                .until(() -> a.network().registrar().nodes().size() == 2);

        server.destroyForcibly();
        SaturnRegistrarTest.expect(probe, RegistrarEvent.Disconnected.class);
        server.waitFor();
        spawn("server", Integer.toString(port));
        SaturnRegistrarTest.expect(probe, RegistrarEvent.Connected.class);
        await().atMost(SaturnRegistrarTest.WAIT)
                .until(() -> a.network().registrar().nodes().equals(List.of("a@localhost", "b@localhost"))
                        && b.network().registrar().nodes().equals(List.of("a@localhost", "b@localhost")));
        assertThat(SaturnRegistrarTest.registrar(a).view())
                .isEqualTo(SaturnRegistrarTest.registrar(b).view());
    }
}
