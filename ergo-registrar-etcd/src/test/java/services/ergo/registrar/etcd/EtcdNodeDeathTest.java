package services.ergo.registrar.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.RegistrarEvent;
import services.ergo.testkit.EtcdServer;
import services.ergo.testkit.TestProbe;

/** A registered node in another JVM killed with {@code kill -9}: the others learn it when its lease runs out. */
class EtcdNodeDeathTest {
    private static final Duration TTL = Duration.ofSeconds(2);

    @Test
    void aKilledNodeLeavesWithinItsLeaseTtlPlusASecond() throws Exception {
        try (EtcdServer etcd = EtcdServer.start()) {
            Node watcher = Ergo.startNode(
                    "watcher@localhost",
                    NodeOptions.builder()
                            .network(NetworkOptions.on().withPort(0))
                            .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults()
                                    .withEndpoints(etcd.endpoint())
                                    .withCluster("death")
                                    .withLeaseTtl(TTL)))
                            .build());
            java.lang.Process victim = null;
            try {
                TestProbe probe = TestProbe.spawn(watcher);
                probe.monitorEvent(watcher.network().registrar().event().orElseThrow());
                victim = new ProcessBuilder(
                                System.getProperty("java.home") + "/bin/java",
                                "-Xmx256m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                EtcdNodeMain.class.getName(),
                                "victim@localhost",
                                etcd.endpoint(),
                                "death",
                                Long.toString(TTL.toSeconds()))
                        .redirectErrorStream(true)
                        .start();
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(victim.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null && !line.equals("READY")) {
                    // its log lines
                }
                assertThat(line).as("the victim came up").isEqualTo("READY");
                assertThat(next(probe)).isEqualTo(new RegistrarEvent.NodeJoined("victim@localhost"));

                long t0 = System.nanoTime();
                victim.destroyForcibly(); // SIGKILL: no revoke, the lease has to run out
                Object left = next(probe);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                System.out.printf("kill -9 → NodeLeft in %d ms (lease TTL %d ms)%n", took.toMillis(), TTL.toMillis());
                assertThat(left).isEqualTo(new RegistrarEvent.NodeLeft("victim@localhost"));
                assertThat(took).isLessThanOrEqualTo(TTL.plusSeconds(1));
                assertThat(watcher.network().registrar().nodes()).containsExactly("watcher@localhost");
            } finally {
                if (victim != null) {
                    victim.destroyForcibly();
                }
                watcher.stopForce();
            }
        }
    }

    private static Object next(TestProbe probe) {
        MessageEvent e = probe.expectEvent(Duration.ofSeconds(10));
        return e.message();
    }
}
