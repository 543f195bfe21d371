package services.ergo.saturn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as a user runs it: {@code java -jar} in a JVM of its own (failsafe, after package). */
class ExecutableJarIT {
    private static final String TOKEN = "the-token-of-cluster-prod";

    @Test
    void theJarServesSaturnHealthAndMetricsFollowsItsConfigFileAndStopsCleanly(@TempDir Path dir) throws Exception {
        int saturn = freePort();
        int http = freePort();
        Path log = dir.resolve("out.log");
        Path yaml = Files.writeString(dir.resolve("saturn.yaml"), "clusters:\n" + cluster("staging"));
        Process p = start(
                log,
                "--saturn.server.port=" + saturn,
                "--server.port=" + http,
                "--saturn.server.clusters.prod=" + TOKEN,
                "--saturn.server.config-file=" + yaml,
                "--saturn.server.tls.self-signed=true");
        try {
            HttpClient client = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(p.isAlive())
                                .as("the jar runs: %s", Files.readString(log))
                                .isTrue();
                        assertThat(get(client, http, "/actuator/health/saturn")).contains("\"status\":\"UP\"");
                    });
            assertThat(get(client, http, "/actuator/prometheus"))
                    .contains("saturn_sessions{cluster=\"prod\"} 0.0")
                    .contains("saturn_sessions{cluster=\"staging\"} 0.0")
                    .contains("saturn_config_reloads_total 0.0");

            // the file replaced as a deployment does: the new cluster is served and measured, no restart
            Path tmp = dir.resolve("saturn.yaml.tmp");
            Files.writeString(tmp, "clusters:\n" + cluster("staging") + cluster("canary"));
            Files.move(tmp, yaml, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(get(client, http, "/actuator/prometheus"))
                            .contains("saturn_sessions{cluster=\"canary\"} 0.0")
                            .contains("saturn_config_reloads_total 1.0"));
            assertThat(get(client, http, "/actuator/health/saturn"))
                    .contains("\"canary\":{")
                    .contains("\"reloads\":1")
                    .contains("\"lastReload\":");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", saturn), 5000); // Saturn's own port
            }
            assertThat(Files.readString(log)).contains("for development only").contains("SHA-256 fingerprint");
        } finally {
            p.destroy(); // SIGTERM: the context closes, and the server with it
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(log)).contains("saturn server on port " + saturn + " stopped");
    }

    @Test
    void withoutTlsTheJarStopsAtOnceNamingTheProperty(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.log");
        Process p = start(
                log,
                "--saturn.server.port=" + freePort(),
                "--server.port=" + freePort(),
                "--saturn.server.clusters.prod=" + TOKEN);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(Files.readString(log))
                .contains("APPLICATION FAILED TO START")
                .contains("Property: saturn.server.tls")
                .contains("Saturn serves TLS by default")
                .doesNotContain(TOKEN);
    }

    private static String cluster(String name) {
        return "  " + name + ":\n    token: " + TOKEN + "-" + name + "\n";
    }

    private static Process start(Path log, String... args) throws IOException {
        String jar = System.getProperty("saturn.app.jar");
        assertThat(jar).as("saturn.app.jar (set by failsafe)").isNotNull();
        assertThat(Path.of(jar)).exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1", // a short-lived JVM: C1 only starts sooner
                "-jar",
                jar));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static String get(HttpClient client, int port, String path) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
