package services.ergo.spring.test.slice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import services.ergo.gen.Node;
import services.ergo.gen.ProcessId;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.spring.actor.ErgoActors;
import services.ergo.spring.inspect.InspectorStarter;
import services.ergo.spring.test.ErgoTest;
import services.ergo.spring.test.ErgoTestNode;
import services.ergo.spring.test.ErgoTestNodes;
import services.ergo.testkit.TestProbe;

/**
 * {@code @ErgoTest}: the node and the actor beans and nothing else of the application, a fresh probe per
 * injection point, and a second node of the same application that the first finds over TCP.
 */
@ErgoTest(properties = "ergo.applications.counters.weight=7")
class ErgoTestSliceTest {
    @Autowired
    Node node;

    @Autowired
    TestProbe probe;

    @Autowired
    TestProbe another;

    @Autowired
    ErgoTestNodes nodes;

    @Autowired
    ApplicationContext context;

    @Test
    void theSliceHasTheNodeAndTheActorsOnly() {
        assertThat(context.getBeanNamesForType(ErgoActors.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(Ledger.class))
                .as("a plain component")
                .isEmpty();
        assertThat(context.getBeanNamesForType(InspectorStarter.class))
                .as("the inspector: not asked for")
                .isEmpty();
        assertThat(node.applicationInfo("counters").weight())
                .as("the test's property")
                .isEqualTo(7);
        assertThat(node.network().registrar()).isInstanceOf(EmbeddedRegistrar.class);
    }

    @Test
    void aProbeTalksToAnActorBean() {
        assertThat(another.pid()).as("one probe per injection point").isNotEqualTo(probe.pid());
        probe.send(new ProcessId("counter", node.name()), "one");
        assertThat(probe.expectMessage(String.class, Duration.ofSeconds(5))).startsWith("counted ");
    }

    @Test
    void aSecondNodeOfTheSameApplicationAnswersOverTcp() {
        try (ErgoTestNode b = nodes.start("b", "ergo.applications.counters.weight=3")) {
            assertThat(b.node().applicationInfo("counters").weight()).isEqualTo(3);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(node.call(new ProcessId("counter", "b@localhost"), "count"))
                            .isEqualTo("0 on b@localhost"));
            assertThat(b.node().call(new ProcessId("counter", node.name()), "count"))
                    .asString()
                    .endsWith(" on " + node.name());
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> !node.network().nodes().contains("b@localhost"));
    }
}
