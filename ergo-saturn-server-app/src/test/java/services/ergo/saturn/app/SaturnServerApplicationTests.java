package services.ergo.saturn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.registrar.saturn.SaturnClientTls;
import services.ergo.registrar.saturn.SaturnRegistrar;
import services.ergo.registrar.saturn.SaturnRegistrarOptions;
import services.ergo.saturn.server.SaturnServer;

/**
 * The application as it runs: Saturn on a port of its own with a self-signed certificate, real nodes registering
 * over verified TLS, and Actuator's health and Prometheus scrape over HTTP.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "saturn.server.port=0",
            "saturn.server.clusters.prod=" + SaturnServerApplicationTests.TOKEN,
            "saturn.server.tls.self-signed=true"
        })
class SaturnServerApplicationTests {
    static final String TOKEN = "the-token-of-cluster-prod";
    static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    int httpPort;

    @Autowired
    SaturnServer server;

    private final List<Node> nodes = new java.util.ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopNodes() {
        nodes.forEach(Node::stopForce);
    }

    @Test
    void nodesRegisterOverVerifiedTlsAndHealthAndPrometheusShowThem() {
        assertThat(get("/actuator/health"))
                .containsPattern("\"saturn\":\\{\"details\":\\{[^}]*\"port\":" + server.port());
        assertThat(get("/actuator/health/saturn")).endsWith("\"status\":\"UP\"}");
        assertThat(get("/actuator/prometheus")).contains("saturn_sessions{cluster=\"prod\"} 0.0");

        Node a = start("a@localhost");
        start("b@localhost");
        await().atMost(WAIT).until(() -> a.network().registrar().nodes().size() == 2);

        String health = get("/actuator/health/saturn");
        assertThat(health)
                .contains("\"status\":\"UP\"")
                .contains("\"port\":" + server.port())
                .contains("\"sessions\":2")
                .contains("\"prod\":{");
        String scrape = get("/actuator/prometheus");
        assertThat(scrape)
                .contains("saturn_sessions{cluster=\"prod\"} 2.0")
                .contains("saturn_revision{cluster=\"prod\"} " + server.revision("prod") + ".0")
                .contains("saturn_registrations_total 2.0")
                .contains("saturn_changes_encoded_total")
                .contains("saturn_delta_frames_total")
                .contains("saturn_bad_proofs_total 0.0")
                .contains("saturn_client_queue_max_bytes{cluster=\"prod\"}");

        a.stop();
        await().atMost(WAIT).until(() -> get("/actuator/prometheus").contains("saturn_sessions{cluster=\"prod\"} 1.0"));
        assertThat(get("/actuator/info")).isNotNull(); // exposed
    }

    private Node start(String name) {
        SaturnRegistrarOptions options = SaturnRegistrarOptions.defaults()
                .withServers("localhost:" + server.port())
                .withCluster("prod")
                .withToken(TOKEN)
                .withTls(SaturnClientTls.trusting(server.options().tls().certificateChain()));
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .cookie("saturn")
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new SaturnRegistrar(options))
                        .build());
        nodes.add(n);
        return n;
    }

    private String get(String path) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("GET %s: %s", path, response.body())
                    .isEqualTo(200);
            return response.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
