package services.ergo.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Node;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.inspect.Inspector;
import services.ergo.spring.test.AutoConfigureErgo;
import services.ergo.spring.test.ErgoTestNode;
import services.ergo.spring.test.ErgoTestNodes;

/**
 * Two Spring Boot services in one JVM, each with its node, finding each other through the embedded registrar that
 * the first one serves (the test's own, on a free port), and exchanging messages through their @ErgoActor beans;
 * then what an operator sees of it at /actuator.
 */
@SpringBootTest(
        classes = PingPongApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "ergo.node.name=a@localhost",
            "management.endpoints.web.exposure.include=health,prometheus,ergo",
            "management.endpoint.health.show-details=always",
            "ergo.metrics.refresh-interval=100ms"
        })
@AutoConfigureErgo
class TwoNodesTest {
    /** b@localhost: the same service, started by the first test that needs it; it stops with the test's context. */
    private static ErgoTestNode other;

    @Autowired
    Node node;

    @Autowired
    PingPongApplication.Replies replies;

    @Autowired
    ErgoTestNodes nodes;

    @LocalServerPort
    int port;

    private ErgoTestNode otherNode() {
        if (other == null) {
            other = nodes.start("b", "ergo.network.remote-spawn.allowed-nodes.restricted=c@localhost");
        }
        return other;
    }

    @Test
    void actorBeansOnTwoNodesTalk() throws Exception {
        otherNode();
        Object answer = node.call(new ProcessId("pong", "b@localhost"), "a", Duration.ofSeconds(5));
        assertThat(answer).isEqualTo("pong from b@localhost to a");
        node.send("pinger", "ping b@localhost");
        assertThat(replies.received.poll(5, TimeUnit.SECONDS)).isEqualTo("pong from b@localhost");
        Node b = otherNode().node();
        b.send("pinger", "ping a@localhost");
        String back =
                otherNode().bean(PingPongApplication.Replies.class).received.poll(5, TimeUnit.SECONDS);
        assertThat(back).isEqualTo("pong from a@localhost");
    }

    @Test
    void remoteSpawnOfAnActorBeanFollowsItsAllowList() {
        otherNode();
        Pid worker = node.network().node("b@localhost").spawn("worker", ProcessOptions.defaults());
        assertThat(worker.node()).isEqualTo("b@localhost");
        assertThat(node.call(worker, "who")).isEqualTo("worker on b@localhost (has replies: true)");
        assertThatThrownBy(() -> node.network().node("b@localhost").spawn("restricted", ProcessOptions.defaults()))
                .isInstanceOf(ErgoException.class)
                .hasMessageContaining("a@localhost");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theInspectorOfTheOtherNodeAnswersOverTheClusterConnection() {
        otherNode();
        ProcessId inspector = new ProcessId(Inspector.NAME, "b@localhost");
        Map<String, Object> summary = (Map<String, Object>) node.call(inspector, new HashMap<>(Map.of("op", "node")));
        assertThat(summary).containsEntry("name", "b@localhost").containsKey("applications");
        Map<String, Object> page = (Map<String, Object>) node.call(
                inspector,
                new HashMap<>(Map.of("op", "processes", "filter", "pong", "sort", "mailbox", "desc", "true")));
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        // the filter matches names and behaviours: PingPongApplication$Pinger too
        assertThat(items).extracting(m -> m.get("name")).containsExactlyInAnyOrder("pong", "pinger");
        Object pongId = items.stream()
                .filter(m -> m.get("name").equals("pong"))
                .findFirst()
                .orElseThrow()
                .get("id");
        Map<String, Object> detail =
                (Map<String, Object>) node.call(inspector, new HashMap<>(Map.of("op", "process", "id", pongId)));
        assertThat(detail).containsEntry("name", "pong").containsEntry("application", "pingpong");
        Map<String, Object> logs =
                (Map<String, Object>) node.call(inspector, new HashMap<>(Map.of("op", "logs", "after", 0L)));
        assertThat((List<Object>) logs.get("items")).isNotEmpty();
        assertThatThrownBy(() -> node.call(inspector, new HashMap<>(Map.of("op", "explode"))))
                .hasMessageContaining("unknown inspector op");
    }

    @Test
    void prometheusShowsTheSeedsSeriesAndPromtoolAcceptsThem() throws Exception {
        otherNode();
        node.call(new ProcessId("pong", "b@localhost"), "metrics", Duration.ofSeconds(5));
        String text =
                awaitScrapeWith("ergo_remote_messages_out_total{node=\"a@localhost\",remote_node=\"b@localhost\"}");
        for (String series : new String[] {
            "ergo_node_uptime_seconds{node=\"a@localhost\"}",
            "ergo_processes_total{node=\"a@localhost\"}",
            "ergo_processes_running{node=\"a@localhost\"}",
            "ergo_memory_used_bytes{node=\"a@localhost\"}",
            "ergo_memory_alloc_bytes{node=\"a@localhost\"}",
            "ergo_connected_nodes_total{node=\"a@localhost\"}",
            "ergo_remote_messages_in_total{node=\"a@localhost\",remote_node=\"b@localhost\"}",
            "ergo_remote_bytes_in_total{node=\"a@localhost\",remote_node=\"b@localhost\"}",
            "ergo_remote_bytes_out_total{node=\"a@localhost\",remote_node=\"b@localhost\"}",
            "ergo_processes_spawned_total{node=\"a@localhost\"}",
            "ergo_applications_running{node=\"a@localhost\"}",
            "ergo_send_errors_total{node=\"a@localhost\"}",
            "ergo_call_errors_total{node=\"a@localhost\"}"
        }) {
            assertThat(text).as(series).contains(series);
        }
        // Spring's and the JVM's own meters draw lint remarks (no help text, units); ours must draw none
        String ours = text.lines()
                .filter(l -> l.startsWith("ergo_") || l.startsWith("# HELP ergo_") || l.startsWith("# TYPE ergo_"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        assertThat(promtool(ours)).isEqualTo("exit 0: ");
        assertThat(promtool(text)).doesNotContain("ergo_").doesNotContain("error while linting");
    }

    private static String promtool(String exposition) throws Exception {
        Process promtool = new ProcessBuilder("promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        promtool.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return "exit " + promtool.exitValue() + ": " + verdict.strip();
    }

    @Test
    void healthAndTheErgoEndpointDescribeTheNode() throws Exception {
        String health = get("/actuator/health");
        assertThat(health).contains("\"ergo\"").contains("\"ergoRegistrar\"").contains("a@localhost");
        String ergo = get("/actuator/ergo");
        assertThat(ergo)
                .contains("\"name\":\"a@localhost\"")
                .contains("\"pingpong\"")
                .contains("\"weight\":50");
        HttpResponse<String> write = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/ergo/pingpong"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"weight\":0}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).as("writes are off by default").isNotEqualTo(200);
        assertThat(node.applicationInfo("pingpong").weight()).isEqualTo(50);
    }

    private String awaitScrapeWith(String series) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> get("/actuator/prometheus"), text -> text.contains(series));
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
