package services.ergo.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;
import services.ergo.gen.Node;
import services.ergo.observer.standalone.ObserverApplication;

/**
 * Without Spring Security on the class path (this class runs in the module's {@code without-security} Surefire
 * execution): the standalone Observer keeps to loopback unless given credentials (review M8), and an Observer
 * action needs the header a cross-site form cannot send (review L6).
 */
@Tag("without-security")
class StandaloneObserverWithoutSecurityTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void springSecurityIsAbsent() {
        assertThat(ClassUtils.isPresent("org.springframework.security.web.SecurityFilterChain", null))
                .as("run by the without-security execution")
                .isFalse();
    }

    @Test
    void theStandaloneObserverListensOnLoopbackByDefault() {
        try (ConfigurableApplicationContext observer =
                ObserverApplication.application().run("--server.port=0", "--ergo.network.enabled=false")) {
            TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) observer).getWebServer();
            Object address = server.getTomcat().getConnector().getProperty("address");
            assertThat(address).as("bound address").isInstanceOf(InetAddress.class);
            assertThat(((InetAddress) address).isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void theStandaloneObserverRefusesAnotherAddressWithoutCredentials() {
        assertThatThrownBy(() -> ObserverApplication.application()
                        .run("--server.port=0", "--server.address=0.0.0.0", "--ergo.network.enabled=false")
                        .close())
                .hasMessageContaining("server.address=0.0.0.0")
                .hasMessageContaining("spring.security.user.password")
                .hasMessageContaining("Spring Security on the class path");
        assertThatThrownBy(() -> ObserverApplication.application()
                        .run(
                                "--server.port=0",
                                "--management.server.port=0",
                                "--management.server.address=0.0.0.0",
                                "--ergo.network.enabled=false")
                        .close())
                .hasMessageContaining("management.server.address=0.0.0.0");
    }

    @Test
    void aCrossSiteFormPostDoesNotActWithoutSpringSecurity() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ObservedApplication.class)
                .run(
                        "--server.port=0",
                        "--ergo.node.name=formed@localhost",
                        "--ergo.network.enabled=false",
                        "--management.endpoints.web.exposure.include=observer",
                        "--management.endpoint.observer.access=unrestricted",
                        "--ergo.inspector.actions-enabled=true")) {
            Node node = app.getBean(Node.class);
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            long ticker = node.whereIs("ticker").id();
            String kill = "http://localhost:" + port + "/actuator/observer/formed@localhost/kill";

            // what <form method=post enctype=text/plain action=".../kill?id=..."> sends: no custom header
            HttpResponse<String> form = http.send(
                    HttpRequest.newBuilder(URI.create(kill + "?id=" + ticker))
                            .header("Content-Type", "text/plain")
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(form.statusCode()).as(form.body()).isEqualTo(403);
            HttpResponse<String> json = http.send(
                    HttpRequest.newBuilder(URI.create(kill))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"id\":" + ticker + "}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(json.statusCode())
                    .as("JSON without the header: " + json.body())
                    .isEqualTo(403);
            assertThat(node.whereIs("ticker").id()).as("not killed").isEqualTo(ticker);

            HttpResponse<String> page = http.send(
                    HttpRequest.newBuilder(URI.create(kill))
                            .header("Content-Type", "application/json")
                            .header("X-Ergo-Observer", "1")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"id\":" + ticker + "}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("killed");

            // review L7: a name this node does not know is not resolved, only refused
            HttpResponse<String> ghost = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://localhost:" + port + "/actuator/observer/ghost@nowhere.invalid/node"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ghost.statusCode()).as(ghost.body()).isEqualTo(404);
            assertThat(ghost.body()).contains("no known node 'ghost@nowhere.invalid'");
        }
    }
}
