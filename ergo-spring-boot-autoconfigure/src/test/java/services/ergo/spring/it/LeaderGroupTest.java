package services.ergo.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import services.ergo.leader.LeaderGroups;
import services.ergo.leader.LeaderStatus;
import services.ergo.spring.leader.ErgoLeaderHealthIndicator;
import services.ergo.testkit.EtcdServer;

/**
 * Three Spring Boot services, each with a leader actor bean of group "schedulers" configured in properties: one
 * leads, the health check says who; when the leader's service stops, another leads within a second. A fourth
 * service, not on the list, joins the running group; an operator removes it through {@code /actuator/ergoleader}.
 */
class LeaderGroupTest {
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    @TempDir
    Path state;

    @AfterEach
    void stop() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    private ConfigurableApplicationContext node(String name, int registrarPort, String... more) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(LeaderApplication.class)
                .properties(more)
                .properties(
                        "ergo.node.name=" + name + "@localhost",
                        "ergo.node.cookie=leaders",
                        "ergo.network.port=0",
                        "ergo.registrar.embedded.port=" + registrarPort,
                        "ergo.leader.groups.schedulers.peers="
                                + "scheduler@l1@localhost,scheduler@l2@localhost,scheduler@l3@localhost",
                        "ergo.leader.groups.schedulers.state-directory=" + state)
                .properties(more.length == 0 ? new String[] {"spring.main.web-application-type=none"} : new String[0])
                .run();
        nodes.add(context);
        return context;
    }

    @Test
    void oneServiceLeadsAndAnotherTakesOverWhenItStops() throws Exception {
        int port = EtcdServer.freePort();
        node("l1", port);
        node("l2", port);
        node("l3", port);
        ConfigurableApplicationContext leader =
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::soleLeader, l -> l != null);
        Health health = leader.getBean(ErgoLeaderHealthIndicator.class).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        @SuppressWarnings("unchecked")
        Map<String, Object> group = (Map<String, Object>) health.getDetails().get("schedulers");
        assertThat(group).containsEntry("leading", true);
        assertThat(leader.getBean(LeaderApplication.Leadership.class).terms.get())
                .isEqualTo(1);

        long stoppedAt = System.nanoTime();
        nodes.remove(leader);
        leader.close();
        ConfigurableApplicationContext next =
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(this::soleLeader, l -> l != null);
        long failoverMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
        System.out.println("leader failover between Spring services: " + failoverMillis + " ms");
        assertThat(next).isNotSameAs(leader);
        assertThat(failoverMillis).isLessThan(1000);
    }

    @Test
    void aServiceNotListedJoinsAndAnOperatorRemovesItOverHttp() throws Exception {
        int port = EtcdServer.freePort();
        node("l1", port);
        node("l2", port);
        node("l3", port);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::soleLeader, l -> l != null);
        // the same peers list, but this node is not on it: its member asks the group, and the leader adds it
        ConfigurableApplicationContext l4 = node(
                "l4",
                port,
                "server.port=0",
                "management.endpoints.web.exposure.include=ergoleader",
                "management.endpoint.ergoleader.access=unrestricted");
        List<String> four = List.of(
                "scheduler@l1@localhost", "scheduler@l2@localhost", "scheduler@l3@localhost", "scheduler@l4@localhost");
        allSee(nodes, four);
        assertThat(l4.getBean(LeaderGroups.class).statuses().get(0).member()).isTrue();

        String url = "http://localhost:" + l4.getEnvironment().getProperty("local.server.port")
                + "/actuator/ergoleader/schedulers";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> bad = http.send(post(url, "{\"remove\":\"not a member\"}"), BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        HttpResponse<String> removed =
                http.send(post(url, "{\"remove\":\"scheduler@l4@localhost\"}"), BodyHandlers.ofString());
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(removed.body()).contains("\"requested\":\"remove\"");
        List<String> three = four.subList(0, 3);
        allSee(nodes.subList(0, 3), three);
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> !l4.getBean(LeaderGroups.class).statuses().get(0).member());
        HttpResponse<String> view =
                http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), BodyHandlers.ofString());
        assertThat(view.body()).contains("\"inGroup\":false");
        // outside the group is not unhealthy: it is no part of any quorum
        assertThat(l4.getBean(ErgoLeaderHealthIndicator.class).health(true).getStatus())
                .isEqualTo(Status.UP);
    }

    private static void allSee(List<ConfigurableApplicationContext> contexts, List<String> members) {
        for (ConfigurableApplicationContext c : contexts) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> c.getBean(LeaderGroups.class).statuses().get(0).members(), members::equals);
        }
    }

    private static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    /** The one context whose member leads, when all live members agree on it; null otherwise. */
    private ConfigurableApplicationContext soleLeader() {
        ConfigurableApplicationContext found = null;
        String agreed = null;
        for (ConfigurableApplicationContext c : nodes) {
            List<LeaderStatus> s = c.getBean(LeaderGroups.class).statuses();
            if (s.size() != 1 || s.get(0).leader() == null) {
                return null;
            }
            if (agreed != null && !agreed.equals(s.get(0).leader())) {
                return null;
            }
            agreed = s.get(0).leader();
            if (s.get(0).leading()) {
                if (found != null) {
                    return null;
                }
                found = c;
            }
        }
        return found;
    }
}
