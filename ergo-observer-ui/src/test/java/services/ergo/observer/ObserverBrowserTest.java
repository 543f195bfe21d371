package services.ergo.observer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import services.ergo.gen.Node;
import services.ergo.spring.actor.ErgoActors;
import services.ergo.spring.test.AutoConfigureErgo;
import services.ergo.spring.test.ErgoTestNode;
import services.ergo.spring.test.ErgoTestNodes;

/**
 * The Observer in a real browser (Debian's headless Chromium driven by Selenium) against two running nodes: the
 * page, the process table and its sorting, a process's live handleInspect, the other node's processes gathered
 * over the cluster connection, and a refused action. Screenshots go to target/screenshots.
 */
@SpringBootTest(
        classes = ObservedApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "ergo.node.name=a@localhost",
            "management.endpoints.web.exposure.include=health,observer",
            "test.security=open",
            "ergo.shutdown.grace-period=1s" // the backlog is made on purpose: draining it at the end tests nothing
        })
@AutoConfigureErgo
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObserverBrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots");
    private WebDriver browser;
    private ScheduledExecutorService sender;
    private String base;

    @Autowired
    Node a;

    @Autowired
    ErgoTestNodes nodes;

    @LocalServerPort
    int port;

    @BeforeAll
    void start() throws Exception {
        ErgoTestNode b = nodes.start("b"); // closed with this test's context
        b.bean(ErgoActors.class).spawn(ObservedApplication.RemoteEcho.class);
        a.network().connect(b.name());
        sender = Executors.newSingleThreadScheduledExecutor();
        sender.scheduleAtFixedRate(
                () -> {
                    for (int i = 0; i < 10; i++) {
                        a.send("backlog", i);
                    }
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
        base = "http://localhost:" + port;
        Files.createDirectories(SHOTS);
        browser = chromium();
    }

    static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
                "--window-size=1400,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (sender != null) {
            sender.shutdownNow();
        }
    }

    private void shot(String name) throws Exception {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private void open() {
        browser.get(base + "/observer");
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(15))
                    .ignoreExceptions()
                    .until(() -> browser.findElement(By.id("status")).getText().startsWith("updated"));
        } catch (RuntimeException e) {
            System.out.println("status: " + browser.findElement(By.id("status")).getText());
            browser.manage().logs().get(LogType.BROWSER).getAll().forEach(l -> System.out.println("browser: " + l));
            throw e;
        }
    }

    private void tab(String name) {
        browser.findElement(By.id("tab-" + name)).click();
    }

    private List<WebElement> processRows() {
        return browser.findElements(By.cssSelector("#process-table tbody tr"));
    }

    @Test
    void thePageLoadsWithoutConsoleErrors() throws Exception {
        browser.manage().logs().get(LogType.BROWSER); // reading empties it: what other tests caused is gone
        open();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("node-cards")).getText().contains("a@localhost"));
        shot("node");
        List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertThat(severe).as("console errors").isEmpty();
        assertThat(browser.findElement(By.id("status")).getText()).contains("read-only");
        tab("log");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> browser.findElement(By.id("log-lines")).getText(), t -> t.contains("Started"));
        shot("log");
    }

    @Test
    void sortingByMailboxPutsTheBackloggedProcessOnTop() throws Exception {
        open();
        tab("processes");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> processRows().stream().anyMatch(r -> "ticker".equals(r.getAttribute("data-name"))));
        browser.findElement(By.cssSelector("#process-table th[data-sort=mailbox]"))
                .click();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> "backlog".equals(processRows().get(0).getAttribute("data-name")));
        shot("processes-top-mailbox");
    }

    /** Opens the page, filters the process table down to {@code name} and opens that process's detail. */
    private void openDetailOf(String name) {
        open();
        tab("processes");
        browser.findElement(By.id("proc-filter")).sendKeys(name);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> processRows().size() == 1
                        && name.equals(processRows().get(0).getAttribute("data-name")));
        processRows().get(0).click();
    }

    @Test
    void aProcessShowsItsHandleInspectValuesChanging() throws Exception {
        openDetailOf("ticker");
        String first = Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(
                        () -> browser.findElement(By.cssSelector("#inspect tr[data-name=ticks] td:nth-child(2)"))
                                .getText(),
                        t -> !t.isEmpty());
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> !browser.findElement(By.cssSelector("#inspect tr[data-name=ticks] td:nth-child(2)"))
                        .getText()
                        .equals(first));
        shot("process-detail");
    }

    @Test
    void anActionIsRefusedWhileActionsAreDisabled() throws Exception {
        openDetailOf("ticker");
        browser.findElement(By.id("kill")).click();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> browser.findElement(By.id("action-result")).getText(), t -> t.contains("read-only"));
        assertThat(browser.findElement(By.id("action-result")).getText())
                .contains("management.endpoint.observer.access=unrestricted");
        assertThat(a.whereIs("ticker")).as("still alive").isNotNull();
        shot("action-refused");
    }

    /** Review L7: the node resolves and dials no name an HTTP reader makes up; a known node still answers. */
    @Test
    void aNodeNameThisNodeDoesNotKnowIsA404() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> ghost = http.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(base + "/actuator/observer/ghost@localhost/node"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ghost.statusCode()).as(ghost.body()).isEqualTo(404);
        assertThat(ghost.body()).contains("no known node 'ghost@localhost'");
        assertThat(a.network().nodes()).doesNotContain("ghost@localhost");
        java.net.http.HttpResponse<String> known = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/actuator/observer/b@localhost/node"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(known.statusCode()).as(known.body()).isEqualTo(200);
    }

    @Test
    void anotherNodesProcessesAreListedFromThisNodesPage() throws Exception {
        open();
        tab("processes");
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> browser.findElements(By.cssSelector("#node-select option"))
                                .size()
                        >= 2);
        new Select(browser.findElement(By.id("node-select"))).selectByValue("b@localhost");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> processRows().stream().anyMatch(r -> "remote-echo".equals(r.getAttribute("data-name"))));
        shot("remote-node-processes");
        tab("network");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() ->
                        browser.findElement(By.id("network-nodes")).getText().contains("a@localhost")
                                && !browser.findElements(By.cssSelector("#traffic-charts .uplot"))
                                        .isEmpty());
        shot("network");
    }
}
