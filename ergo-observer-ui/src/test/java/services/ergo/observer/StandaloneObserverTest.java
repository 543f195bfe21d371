package services.ergo.observer;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import services.ergo.gen.Node;
import services.ergo.observer.standalone.ObserverApplication;
import services.ergo.registrar.EmbeddedRegistrar;

/**
 * The standalone observer joins a cluster with nothing but the cookie and the registrar, hidden, and shows the
 * processes of a node it never had the HTTP address of. Spring Security is on the class path, so its default
 * rules guard the Observer like the rest of the Actuator: nothing without logging in, and an action needs the
 * CSRF token the page gets from /observer/config.json.
 */
@SpringBootTest(
        classes = ObservedApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "ergo.node.name=service@localhost",
            "ergo.node.cookie=standalone",
            "ergo.inspector.actions-enabled=true", // the node acted on allows it, as well as the observer
            "ergo.network.remote-application-start.enabled=false"
        })
class StandaloneObserverTest {
    private static final String LOGIN =
            "Basic " + Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8));

    private final HttpClient http =
            HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    @Autowired
    Node node;

    @Test
    void joinsHiddenWithTheCookieAndShowsAndActsOnAnotherNodeUnderSpringSecurity() throws Exception {
        // the observer is an application of its own: it joins the service's private registrar by its port
        int registrar = ((EmbeddedRegistrar) node.network().registrar()).port();
        try (ConfigurableApplicationContext observer = ObserverApplication.application()
                .run(
                        "--server.port=0",
                        "--ergo.node.cookie=standalone",
                        "--ergo.network.port=0",
                        "--ergo.registrar.embedded.port=" + registrar,
                        "--management.endpoint.observer.access=unrestricted",
                        "--server.address=0.0.0.0", // beyond loopback: allowed, with a password
                        "--spring.security.user.name=ops",
                        "--spring.security.user.password=secret")) {
            String base = "http://localhost:"
                    + ((WebServerApplicationContext) observer).getWebServer().getPort();
            assertThat(status(base + "/actuator/observer", false))
                    .as("not logged in")
                    .isEqualTo(401);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(get(base + "/actuator/observer")).contains("service@localhost"));
            assertThat(get(base + "/actuator/observer/service@localhost/processes?sort=name"))
                    .contains("\"name\":\"ticker\"")
                    .contains("\"name\":\"backlog\"");
            assertThat(get(base + "/observer/")).contains("<title>Ergo Observer</title>");
            assertThat(node.network().registrar().nodes())
                    .as("the observer is hidden")
                    .contains("service@localhost")
                    .doesNotContain("observer@localhost");

            // with actions on, the observer acts on the other node through its inspector, CSRF token and all
            String config = get(base + "/observer/config.json");
            String header = JsonPath.read(config, "$.csrfHeader");
            String token = JsonPath.read(config, "$.csrfToken");
            long ticker = node.whereIs("ticker").id();
            String kill = base + "/actuator/observer/service@localhost/kill";
            assertThat(post(kill, "{\"id\":" + ticker + "}", null, null).statusCode())
                    .as("no CSRF token: refused (the CSRF filter runs before the login is read, hence 401)")
                    .isIn(401, 403);
            assertThat(node.whereIs("ticker")).isNotNull();
            HttpResponse<String> killed = post(kill, "{\"id\":" + ticker + "}", header, token);
            assertThat(killed.statusCode()).as(killed.body()).isEqualTo(200);
            assertThat(killed.body()).contains("killed");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> node.whereIs("ticker") == null);
            HttpResponse<String> weighted = post(
                    base + "/actuator/observer/service@localhost/application",
                    "{\"name\":\"observed\",\"weight\":5}",
                    header,
                    token);
            assertThat(weighted.body()).contains("updated");
            assertThat(node.applicationInfo("observed").weight()).isEqualTo(5);
        }
    }

    @Test
    void withSpringSecurityButNoPasswordItStaysOnLoopback() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ObserverApplication.application()
                        .run("--server.port=0", "--server.address=0.0.0.0", "--ergo.network.enabled=false")
                        .close())
                .hasMessageContaining("server.address=0.0.0.0")
                .hasMessageContaining("set spring.security.user.password");
    }

    private HttpResponse<String> post(String url, String json, String csrfHeader, String csrfToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", LOGIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (csrfHeader != null) {
            b.header(csrfHeader, csrfToken);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String url, boolean login) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (login) {
            b.header("Authorization", LOGIN);
        }
        return HttpClient.newHttpClient()
                .send(b.build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", LOGIN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
