package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import services.ergo.gen.Node;
import services.ergo.inspect.Inspector;
import services.ergo.inspect.LogBuffer;
import services.ergo.inspect.LogSource;
import services.ergo.spring.inspect.InspectorStarter;

/** The starter runs the core's inspector on its node, with Logback's lines, unless told not to. */
class ErgoInspectorAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ErgoAutoConfiguration.class, ErgoInspectorAutoConfiguration.class))
            .withPropertyValues("ergo.node.name=inspected@localhost", "ergo.network.enabled=false");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ask(Node node, Object... keysAndValues) {
        Map<String, Object> request = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            request.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return (Map<String, Object>) node.call(Inspector.NAME, request);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> answer) {
        return (List<Map<String, Object>>) answer.get("items");
    }

    @Test
    void everyNodeOfTheStarterRunsTheInspectorWithTheLogbackLog() {
        runner.run(context -> {
            Node node = context.getBean(Node.class);
            assertThat(node.whereIs(Inspector.NAME)).isNotNull();
            assertThat(context.getBean(LogSource.class)).isInstanceOf(LogBuffer.class);

            LoggerFactory.getLogger("billing.Invoices").warn("invoice {} is late", 42);
            await().untilAsserted(() -> assertThat(items(ask(node, "op", "logs", "after", 0L, "text", "invoice 42")))
                    .singleElement()
                    .satisfies(l -> assertThat(l)
                            .containsEntry("level", "WARN")
                            .containsEntry("logger", "billing.Invoices")
                            .containsEntry("message", "invoice 42 is late")));
            assertThat(ask(node, "op", "node"))
                    .containsEntry("name", "inspected@localhost")
                    .containsEntry("leaders", List.of());
        });
    }

    @Test
    void aLogSourceOfYoursIsTheOneServed() {
        LogBuffer mine = new LogBuffer(5);
        mine.add(7, "INFO", "mine", "main", "from my own capture");
        runner.withBean("myLogs", LogSource.class, () -> mine).run(context -> {
            assertThat(context.getBean(LogSource.class)).isSameAs(mine);
            assertThat(items(ask(context.getBean(Node.class), "op", "logs", "after", 0L)))
                    .extracting(l -> l.get("message"))
                    .containsExactly("from my own capture");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void actionsAreOffUnlessThePropertySaysOtherwiseAndTheLogAndEnvCanBeWithheld() {
        runner.run(context -> {
            Node node = context.getBean(Node.class);
            long victim = node.spawn(
                            ErgoInspectorAutoConfigurationTests.Idle::new, services.ergo.gen.ProcessOptions.defaults())
                    .id();
            assertThatThrownBy(() -> ask(node, "op", "kill", "id", victim))
                    .isInstanceOf(services.ergo.gen.NotAllowedException.class)
                    .hasMessageContaining("ergo.inspector.actions-enabled");
        });
        runner.withPropertyValues(
                        "ergo.inspector.actions-enabled=true",
                        "ergo.inspector.logs-enabled=false",
                        "ergo.inspector.env-enabled=false")
                .run(context -> {
                    Node node = context.getBean(Node.class);
                    long victim = node.spawn(Idle::new, services.ergo.gen.ProcessOptions.defaults())
                            .id();
                    assertThat(ask(node, "op", "kill", "id", victim)).containsEntry("done", "killed");
                    assertThatThrownBy(() -> ask(node, "op", "logs", "after", 0L))
                            .hasMessageContaining("ergo.inspector.logs-enabled");
                    assertThat((Map<String, Object>) ask(node, "op", "node").get("inspector"))
                            .containsEntry("actionsEnabled", true)
                            .containsEntry("envEnabled", false);
                });
    }

    /** Does nothing; something to kill. */
    static final class Idle extends services.ergo.act.Actor {}

    @Test
    void switchedOffTheNodeRunsNone() {
        runner.withPropertyValues("ergo.inspector.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(InspectorStarter.class).doesNotHaveBean(LogSource.class);
            assertThat(context.getBean(Node.class).whereIs(Inspector.NAME)).isNull();
        });
    }

    @Test
    void aBufferOfNoLinesIsRefusedNamingTheProperty() {
        runner.withPropertyValues("ergo.inspector.log-lines=0")
                .run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining("ergo.inspector.log-lines"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theInspectorDescribesTheRegistrarAndWhatItCanDo() {
        runner.withPropertyValues("ergo.network.enabled=true", "ergo.registrar.embedded.port=0", "ergo.network.port=0")
                .run(context -> {
                    Node node = context.getBean(Node.class);
                    Map<String, Object> network =
                            (Map<String, Object>) ask(node, "op", "node").get("network");
                    assertThat(network)
                            .containsEntry(
                                    "registrar",
                                    node.network().registrar().info().description())
                            .containsEntry("registrarConnected", true)
                            .containsEntry(
                                    "registrarCapabilities",
                                    Map.of(
                                            "applications", false,
                                            "events", false,
                                            "configuration", false,
                                            "hiddenNodes", true,
                                            "nodeMetadata", false));
                });
    }
}
