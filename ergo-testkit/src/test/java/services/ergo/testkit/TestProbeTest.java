package services.ergo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.act.Actor;
import services.ergo.gen.Event;
import services.ergo.gen.EventOptions;
import services.ergo.gen.MessageDownPid;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.MessageExitPid;
import services.ergo.gen.Node;
import services.ergo.gen.Pid;
import services.ergo.gen.Ref;

class TestProbeTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private final ErgoTestKit kit = new ErgoTestKit();

    @AfterEach
    void close() {
        kit.close();
    }

    record Ping(int n) {}

    record Pong(int n) {}

    /** Answers Ping with Pong to the sender, crashes on "crash", and counts in handleInspect. */
    static final class Ponger extends Actor {
        private int pings;

        @Override
        protected void handleMessage(Pid from, Object message) {
            if ("crash".equals(message)) {
                throw new IllegalStateException("ponger crashed");
            }
            if (message instanceof Ping p) {
                pings++;
                send(from, new Pong(p.n()));
            }
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return "echo:" + request;
        }

        @Override
        protected Map<String, String> handleInspect(Pid from, String... items) {
            return Map.of("pings", Integer.toString(pings));
        }
    }

    @Test
    void probeSendsAsItselfAndReceivesTheAnswer() {
        Pid ponger = kit.spawn(Ponger::new);
        TestProbe probe = kit.probe();
        probe.send(ponger, new Ping(7));
        Received r = probe.expectReceived(SECOND);
        assertThat(r.from()).isEqualTo(ponger);
        assertThat(r.message()).isEqualTo(new Pong(7));
        probe.send(ponger, new Ping(8));
        assertThat(probe.expectMessage(Pong.class, SECOND).n()).isEqualTo(8);
        assertThat(kit.inspect(ponger)).containsEntry("pings", "2");
        assertThat(probe.receivedMessages()).hasSize(2);
    }

    @Test
    void expectationsFailWithClearMessages() {
        TestProbe probe = kit.probe();
        assertThatThrownBy(() -> probe.expectMessage(Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("received nothing within 50 ms");
        kit.node().send(probe.pid(), "surprise");
        assertThatThrownBy(() -> probe.expectNoMessage(Duration.ofMillis(200)))
                .hasMessageContaining("expected no message but got surprise");
        kit.node().send(probe.pid(), "a");
        assertThatThrownBy(() -> probe.expectMessage("b", SECOND)).hasMessageContaining("expected b");
        kit.node().send(probe.pid(), 1);
        assertThatThrownBy(() -> probe.expectMessage(String.class, SECOND))
                .hasMessageContaining("expected a java.lang.String but got 1");
    }

    @Test
    void monitorAndLinkReportTheEndOfAProcess() {
        Pid ponger = kit.spawn(Ponger::new);
        TestProbe watcher = kit.probe();
        TestProbe linked = TestProbe.spawn(kit.node(), "linked", true);
        watcher.monitor(ponger);
        linked.link(ponger);
        kit.node().send(ponger, "crash");
        MessageDownPid down = watcher.expectDown(ponger, SECOND);
        assertThat(down.reason().text()).contains("ponger crashed");
        MessageExitPid exit = linked.expectExit(ponger, SECOND);
        assertThat(exit.reason()).isEqualTo(down.reason());
        Await.processEnded(kit.node(), ponger, SECOND);
    }

    @Test
    void probeCallsAndSubscribesToEvents() {
        Pid ponger = kit.spawn(Ponger::new);
        TestProbe probe = kit.probe();
        assertThat(probe.call(ponger, "hi", SECOND)).isEqualTo("echo:hi");
        Ref token = kit.node().registerEvent("news", new EventOptions(false, 1));
        kit.node().sendEvent("news", token, "old");
        List<MessageEvent> buffered =
                probe.monitorEvent(new Event("news", kit.node().name()));
        assertThat(buffered).extracting(MessageEvent::message).containsExactly("old");
        kit.node().sendEvent("news", token, "fresh");
        assertThat(probe.expectEvent(SECOND).message()).isEqualTo("fresh");
    }

    @Test
    void severalNodesInOneKitAllStopOnClose() {
        Node a = kit.node();
        Node b = kit.startNode("second@localhost");
        assertThat(a.name()).isNotEqualTo(b.name());
        Pid p = b.spawn(Ponger::new, services.ergo.gen.ProcessOptions.defaults());
        b.registerName("x", p);
        assertThat(Await.processRegistered(b, "x", SECOND)).isEqualTo(p);
        kit.close();
        assertThat(a.isAlive()).isFalse();
        assertThat(b.isAlive()).isFalse();
    }
}
