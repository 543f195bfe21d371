package services.ergo.observer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import services.ergo.gen.Node;
import services.ergo.observer.standalone.ObserverApplication;
import services.ergo.testkit.EtcdServer;

/**
 * The standalone observer joins a cluster with nothing but the cookie and the registrar, and shows the processes
 * of a node it never had the HTTP address of.
 */
class StandaloneObserverTest {

    @Test
    void joinsWithTheCookieAndShowsAnotherNodesProcesses() throws Exception {
        int registrar = EtcdServer.freePort();
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(ObservedApplication.class)
                        .properties(
                                "spring.main.web-application-type=none",
                                "ergo.node.name=service@localhost",
                                "ergo.node.cookie=standalone",
                                "ergo.network.port=0",
                                "ergo.registrar.embedded.port=" + registrar)
                        .run();
                ConfigurableApplicationContext observer = ObserverApplication.application()
                        .run(
                                "--server.port=0",
                                "--ergo.node.cookie=standalone",
                                "--ergo.network.port=0",
                                "--ergo.registrar.embedded.port=" + registrar,
                                "--ergo.observer.actions-enabled=true")) {
            assertThat(service.isRunning()).isTrue();
            String base = "http://localhost:"
                    + ((WebServerApplicationContext) observer).getWebServer().getPort();
            HttpClient http = HttpClient.newHttpClient();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(get(http, base + "/actuator/observer"))
                            .contains("service@localhost")
                            .contains("observer@localhost"));
            assertThat(get(http, base + "/actuator/observer/service@localhost/processes?sort=name"))
                    .contains("\"name\":\"ticker\"")
                    .contains("\"name\":\"backlog\"");
            assertThat(get(http, base + "/observer")).contains("<title>Ergo Observer</title>");
            assertThat(service.getBean(Node.class).network().registrar().nodes())
                    .as("the observer is hidden")
                    .contains("service@localhost")
                    .doesNotContain("observer@localhost");

            // with actions on, the observer acts on the other node through its inspector
            Node node = service.getBean(Node.class);
            long ticker = node.whereIs("ticker").id();
            assertThat(post(http, base + "/actuator/observer/service@localhost/kill", "{\"id\":" + ticker + "}"))
                    .contains("killed");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> node.whereIs("ticker") == null);
            assertThat(post(
                            http,
                            base + "/actuator/observer/service@localhost/application",
                            "{\"name\":\"observed\",\"weight\":5}"))
                    .contains("updated");
            assertThat(node.applicationInfo("observed").weight()).isEqualTo(5);
        }
    }

    private static String post(HttpClient http, String url, String json) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
