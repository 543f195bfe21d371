package services.ergo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.CallTimeoutException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.ProcessId;
import services.ergo.registrar.EmbeddedRegistrar;

/**
 * Important delivery when the other side goes silent: the link stays up (a {@link TcpRelay} frozen, as a hung peer
 * or a network that drops everything without a reset), so no "no connection" comes; the send must end with a
 * timeout error after the call timeout, not hang. (Here rather than in ergo-core, whose tests cannot use the
 * testkit.)
 */
class ImportantDeliveryTest {
    private final List<Node> nodes = new ArrayList<>();
    private TcpRelay relay;

    @AfterEach
    void stop() {
        nodes.forEach(Node::stopForce);
        if (relay != null) {
            relay.close();
        }
    }

    private Node start(String name) {
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .cookie("important")
                        .callTimeout(Duration.ofMillis(500))
                        .network(NetworkOptions.on().withPort(0).withPoolSize(1))
                        .registrar(() -> new EmbeddedRegistrar(
                                EmbeddedRegistrar.Options.defaults().withPort(0)))
                        .build());
        nodes.add(n);
        return n;
    }

    @Test
    void anImportantSendToASilentPeerEndsWithATimeout() throws Exception {
        Node a = start("a@localhost");
        Node b = start("b@localhost");
        TestProbe sink = TestProbe.spawn(b);
        b.registerName("sink", sink.pid());
        relay = TcpRelay.to(b.network().acceptor().port());
        a.network().addRoute(b.name(), new NetworkRoute("localhost", relay.port()));
        ProcessId target = new ProcessId("sink", b.name());

        a.sendImportant(target, "while all is well");
        assertThat(sink.expectMessage(Duration.ofSeconds(5))).isEqualTo("while all is well");

        relay.freeze();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> a.sendImportant(target, "into the silence")).isInstanceOf(CallTimeoutException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(took).isBetween(Duration.ofMillis(400), Duration.ofSeconds(3));
        assertThat(a.info().sendErrors()).isEqualTo(1);

        // a timeout says "not confirmed", not "not delivered": what was held still arrives once the link thaws
        relay.thaw();
        assertThat(sink.expectMessage(Duration.ofSeconds(5))).isEqualTo("into the silence");
    }
}
