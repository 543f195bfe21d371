package services.ergo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.MessageDownPid;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.ProcessId;
import services.ergo.registrar.EmbeddedRegistrar;

/**
 * A peer whose host froze (a {@link TcpRelay} holding every byte, no reset), then came back as a new incarnation
 * under the same name: the keepalive finds the frozen connection dead within its bound, the old incarnation's
 * processes are reported down with {@code noconnection}, and only then does the new one take the name over.
 */
class FrozenPeerTest {
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
                        .cookie("frozen")
                        .network(NetworkOptions.on()
                                .withPort(0)
                                .withPoolSize(1)
                                .withKeepaliveInterval(Duration.ofMillis(200))
                                .withKeepaliveMisses(3))
                        .registrar(() -> new EmbeddedRegistrar(
                                EmbeddedRegistrar.Options.defaults().withPort(0)))
                        .build());
        nodes.add(n);
        return n;
    }

    @Test
    void aFrozenPeerIsFoundDeadByTheKeepaliveAndItsNewIncarnationTakesOver() throws Exception {
        Node a = start("a@localhost");
        Node b = start("b@localhost");
        relay = TcpRelay.to(b.network().acceptor().port());
        a.network().addRoute(b.name(), new NetworkRoute("localhost", relay.port()));
        TestProbe far = TestProbe.spawn(b);
        TestProbe watcher = TestProbe.spawn(a);
        watcher.monitor(far.pid());
        b.registerName("far", far.pid());
        assertThat(watcher.call(new ProcessId("far", b.name()), "warm", Duration.ofSeconds(5)))
                .isEqualTo("warm");
        assertThat(a.network().nodes()).contains(b.name());

        relay.freeze();
        long frozenAt = System.nanoTime();
        MessageDownPid down = watcher.expectDown(far.pid(), Duration.ofSeconds(5));
        long foundMillis = (System.nanoTime() - frozenAt) / 1_000_000;
        assertThat(down.reason().text()).isEqualTo("noconnection");
        // 3 silent intervals of 200 ms, give or take the idle timer's rounding: not TCP's minutes
        assertThat(foundMillis).isLessThan(3000);

        // the host comes back as a new incarnation under the same name, on the same relay
        b.stopForce();
        Node b2 = start("b@localhost");
        relay.close();
        relay = TcpRelay.to(b2.network().acceptor().port());
        a.network().addRoute(b2.name(), new NetworkRoute("localhost", relay.port()));
        TestProbe again = TestProbe.spawn(b2);
        b2.registerName("again", again.pid());
        assertThat(watcher.call(new ProcessId("again", b2.name()), "who", Duration.ofSeconds(5)))
                .isEqualTo("who");
        assertThat(a.network().nodes()).contains(b2.name());
    }
}
