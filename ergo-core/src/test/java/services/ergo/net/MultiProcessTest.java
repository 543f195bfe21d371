package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.MessageDownPid;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;
import services.ergo.gen.Registrar;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.testing.Reporter;
import services.ergo.testing.TestRegistrar;

/** Two nodes in two JVMs on loopback; the second is killed with SIGKILL. */
class MultiProcessTest {
    /** The bound we promise: the survivor tells monitors of a killed node's processes within this. */
    private static final Duration DOWN_BOUND = Duration.ofSeconds(2);
    /** The embedded registrar's promise is "about a second"; the bound leaves room for a loaded CI machine. */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(2);

    /** Answers calls; monitors what it is told to and hands what it receives to the test. */
    static final class Local extends Reporter {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            if (request instanceof Pid target) {
                return monitor(target);
            }
            return "local answer to " + request;
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            report(message);
        }
    }

    @Test
    void messagesAndCallsFlowBothWaysAndAKilledNodeIsNoticed() throws Exception {
        // the other JVM's node comes first, so it serves the registrar; ours registers with it
        int registrarPort = TestRegistrar.freePort();
        Supplier<Registrar> registrar =
                () -> new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults().withPort(registrarPort));
        java.lang.Process other = null;
        Node local = null;
        Node late = null;
        try {
            String java = System.getProperty("java.home") + "/bin/java";
            other = new ProcessBuilder(
                            java,
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            RemoteNodeMain.class.getName(),
                            "victim@localhost",
                            "multi",
                            Integer.toString(registrarPort))
                    .redirectErrorStream(true)
                    .start();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            String ready = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("READY ")) {
                    ready = line;
                    break;
                }
            }
            assertThat(ready)
                    .as("the other JVM's node came up serving the registrar")
                    .endsWith(" true");
            local = Ergo.startNode(
                    "survivor@localhost",
                    NodeOptions.builder()
                            .registrar(registrar)
                            .cookie("multi")
                            .network(NetworkOptions.on().withPort(0))
                            .build());
            EmbeddedRegistrar ours = (EmbeddedRegistrar) local.network().registrar();
            assertThat(ours.serving()).isFalse();
            assertThat(ours.nodes()).containsExactlyInAnyOrder("victim@localhost", "survivor@localhost");
            BufferedReader drain = in;
            Thread t = new Thread(() -> {
                try {
                    while (drain.readLine() != null) {
                        // keep the pipe flowing
                    }
                } catch (java.io.IOException ignored) {
                    // the process died
                }
            });
            t.setDaemon(true);
            t.start();

            BlockingQueue<Object> got = new LinkedBlockingQueue<>();
            Pid mine = local.spawnRegister("local", Local::new, ProcessOptions.defaults(), got);
            ProcessId echo = new ProcessId("echo", "victim@localhost");
            assertThat(local.call(echo, "hello")).isEqualTo("echo:hello");

            // the other way: the remote echo calls our process back
            local.send(echo, mine);
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("called back: local answer to from victim@localhost");

            // monitor the remote echo by its pid, learned from a call it made
            assertThat(local.network().nodes()).containsExactly("victim@localhost");
            Pid remoteEcho = whoIs(local, echo, got);
            assertThat(remoteEcho.node()).isEqualTo("victim@localhost");
            local.call(mine, remoteEcho);

            long t0 = System.nanoTime();
            other.destroyForcibly(); // SIGKILL
            Object down = got.poll(DOWN_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("kill -9 → down message in %d ms%n", ms);
            await().atMost(TAKEOVER_BOUND).until(ours::serving);
            System.out.printf(
                    "kill -9 of the registrar's server → served again by the survivor in %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(down).isInstanceOf(MessageDownPid.class);
            assertThat(((MessageDownPid) down).reason()).isEqualTo(Reason.NO_CONNECTION);
            assertThat(((MessageDownPid) down).pid()).isEqualTo(remoteEcho);
            assertThat(local.call(mine, "still there?")).isEqualTo("local answer to still there?");
            assertThat(local.network().nodes()).isEmpty();

            // a node that comes now registers with the survivor and finds it
            late = Ergo.startNode(
                    "late@localhost",
                    NodeOptions.builder()
                            .registrar(registrar)
                            .cookie("multi")
                            .network(NetworkOptions.on().withPort(0))
                            .build());
            assertThat(late.call(new ProcessId("local", "survivor@localhost"), "found you"))
                    .isEqualTo("local answer to found you");
            assertThat(ours.nodes()).containsExactlyInAnyOrder("survivor@localhost", "late@localhost");
        } finally {
            if (other != null) {
                other.destroyForcibly();
            }
            if (late != null) {
                late.stopForce();
            }
            if (local != null) {
                local.stopForce();
            }
        }
    }

    /** The pid behind a remote name: the echo answers a message carrying our pid by calling us, from itself. */
    private static Pid whoIs(Node local, ProcessId echo, BlockingQueue<Object> got) throws InterruptedException {
        Pid probe = local.spawn(Recorder::new, ProcessOptions.defaults(), got);
        local.send(echo, probe);
        Object from = got.poll(5, TimeUnit.SECONDS);
        got.clear();
        return (Pid) from;
    }

    /** Answers the echo's call-back with nothing useful, but reports who called. */
    static final class Recorder extends Reporter {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            report(from);
            return "noted";
        }

        @Override
        protected void handleMessage(Pid from, Object message) {}
    }
}
