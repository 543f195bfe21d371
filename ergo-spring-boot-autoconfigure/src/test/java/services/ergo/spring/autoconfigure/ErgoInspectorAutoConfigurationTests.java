package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import services.ergo.gen.Node;

/** Asks the inspector as the Observer does, by its registered name and its request maps. */
class ErgoInspectorAutoConfigurationTests {
    private static final String INSPECTOR = "ergo_inspector";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ErgoAutoConfiguration.class, ErgoInspectorAutoConfiguration.class))
            .withPropertyValues(
                    "ergo.node.name=inspected@localhost", "ergo.registrar.embedded.port=0", "ergo.network.port=0");

    @Test
    @SuppressWarnings("unchecked")
    void everyNodeRunsTheInspectorWhichDescribesItsRegistrar() {
        runner.run(context -> {
            Node node = context.getBean(Node.class);
            assertThat(node.whereIs(INSPECTOR)).isNotNull();
            Map<String, Object> summary =
                    (Map<String, Object>) node.call(INSPECTOR, new HashMap<>(Map.of("op", "node")));
            Map<String, Object> network = (Map<String, Object>) summary.get("network");
            assertThat(network)
                    .containsEntry(
                            "registrar", node.network().registrar().info().description())
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

    @Test
    void switchedOffThereIsNone() {
        runner.withPropertyValues("ergo.inspector.enabled=false")
                .run(context -> assertThat(context.getBean(Node.class).whereIs(INSPECTOR))
                        .isNull());
    }

    @Test
    void aBadValueNamesItsProperty() {
        runner.withPropertyValues("ergo.inspector.log-lines=0")
                .run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining("ergo.inspector.log-lines"));
    }
}
