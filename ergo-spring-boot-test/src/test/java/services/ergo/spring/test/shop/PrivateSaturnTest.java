package services.ergo.spring.test.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import services.ergo.gen.Node;
import services.ergo.gen.ProcessId;
import services.ergo.registrar.saturn.SaturnRegistrar;
import services.ergo.saturn.server.SaturnServer;
import services.ergo.spring.test.AutoConfigureErgo;
import services.ergo.spring.test.ErgoTestNode;
import services.ergo.spring.test.ErgoTestNodes;

/**
 * A test that asks for the Saturn registrar and names no servers gets a Saturn server of its own, in this JVM, with
 * a token no one else knows; application.yml's etcd is never reached.
 */
@SpringBootTest(properties = "ergo.registrar.type=saturn")
@AutoConfigureErgo
@DirtiesContext
class PrivateSaturnTest {
    @Autowired
    Node node;

    @Autowired
    SaturnServer saturn;

    @Autowired
    ErgoTestNodes nodes;

    @Test
    void theNodeRegistersInASaturnOfItsOwnWhereASecondNodeFindsIt() {
        assertThat(node.network().registrar()).isInstanceOf(SaturnRegistrar.class);
        assertThat(node.network().registrar().info().description()).contains(saturn.address());
        try (ErgoTestNode second = nodes.start("second")) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(node.call(new ProcessId("till", second.name()), "paid"))
                            .isEqualTo("paid at " + second.name()));
            assertThat(saturn.entries("test"))
                    .extracting(Object::toString)
                    .anySatisfy(e -> assertThat(e).contains(node.name()))
                    .anySatisfy(e -> assertThat(e).contains(second.name()));
        }
    }
}
