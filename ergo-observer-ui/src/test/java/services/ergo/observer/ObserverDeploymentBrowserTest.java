package services.ergo.observer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import services.ergo.gen.Node;
import services.ergo.gen.Pid;

/**
 * The Observer works wherever the Actuator does: a separate management port, a servlet context path, a management
 * base path, a moved endpoint. In each shape the page loads, shows the node and kills a process, so its endpoint
 * path, its relative URLs and the action header (no Spring Security here: the without-security execution) all
 * hold. One Chromium for all; each shape a small context of its own.
 */
@Tag("without-security")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObserverDeploymentBrowserTest {
    private WebDriver browser;

    @BeforeAll
    void start() {
        browser = ObserverBrowserTest.chromium();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static ConfigurableApplicationContext app(String... properties) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--ergo.node.name=shaped@localhost",
                "--ergo.network.enabled=false",
                "--management.endpoints.web.exposure.include=observer",
                "--management.endpoint.observer.access=unrestricted",
                "--ergo.inspector.actions-enabled=true",
                "--ergo.shutdown.grace-period=1s"));
        for (String p : properties) {
            args.add("--" + p);
        }
        return new SpringApplicationBuilder(ObservedApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext app, String which) {
        return Integer.parseInt(app.getEnvironment().getProperty(which));
    }

    /** Opens the page at {@code url}, waits for it to show the node, and kills the ticker through it. */
    private void showsAndActs(ConfigurableApplicationContext app, String url) {
        Node node = app.getBean(Node.class);
        browser.get(url);
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(15))
                    .ignoreExceptions()
                    .until(() ->
                            browser.findElement(By.id("node-cards")).getText().contains("shaped@localhost"));
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "page at " + url + ": "
                            + browser.findElement(By.id("status")).getText() + "; console: "
                            + browser.manage()
                                    .logs()
                                    .get(org.openqa.selenium.logging.LogType.BROWSER)
                                    .getAll(),
                    e);
        }
        assertThat(browser.findElement(By.id("status")).getText()).doesNotContain("read-only");
        Pid ticker = node.whereIs("ticker");
        browser.findElement(By.id("tab-processes")).click();
        WebElement filter = browser.findElement(By.id("proc-filter"));
        filter.clear();
        filter.sendKeys("ticker");
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            List<WebElement> rows = browser.findElements(By.cssSelector("#process-table tbody tr"));
            return rows.size() == 1 && "ticker".equals(rows.get(0).getAttribute("data-name"));
        });
        browser.findElements(By.cssSelector("#process-table tbody tr")).get(0).click();
        browser.findElement(By.id("kill")).click();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> browser.findElement(By.id("action-result")).getText(), t -> t.contains("killed"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !ticker.equals(node.whereIs("ticker")));
    }

    @Test
    void onASeparateManagementPort() {
        try (ConfigurableApplicationContext app = app("management.server.port=0")) {
            showsAndActs(app, "http://localhost:" + port(app, "local.management.port") + "/observer");
        }
    }

    @Test
    void underAServletContextPath() {
        try (ConfigurableApplicationContext app = app("server.servlet.context-path=/shop")) {
            showsAndActs(app, "http://localhost:" + port(app, "local.server.port") + "/shop/observer");
        }
    }

    @Test
    void underAManagementBasePathOnItsOwnPort() {
        try (ConfigurableApplicationContext app =
                app("management.server.port=0", "management.server.base-path=/manage")) {
            showsAndActs(app, "http://localhost:" + port(app, "local.management.port") + "/manage/observer");
        }
    }

    @Test
    void withAMovedEndpoint() {
        try (ConfigurableApplicationContext app = app(
                "management.endpoints.web.base-path=/ops", "management.endpoints.web.path-mapping.observer=watch")) {
            showsAndActs(app, "http://localhost:" + port(app, "local.server.port") + "/observer");
        }
    }
}
