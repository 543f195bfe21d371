package services.ergo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.CallTimeoutException;
import services.ergo.gen.ErgoException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.NodeStoppedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessShortInfo;
import services.ergo.gen.Ref;

class NodeTest {

    static final class Idle extends Actor {}

    @Test
    void introspectionOf100kProcessesIsCheapEnoughToReadEverySecond() {
        Node node = Ergo.startNode(
                "many@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
        try {
            for (int i = 0; i < 100_000; i++) {
                node.spawn(Idle::new, ProcessOptions.defaults());
            }
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                var info = node.info();
                List<ProcessShortInfo> page = node.processList(0, 100);
                List<ProcessShortInfo> all = node.processList(0, 200_000);
                best = Math.min(best, System.nanoTime() - t0);
                assertThat(info.processesTotal()).isEqualTo(100_000);
                assertThat(page).hasSize(100);
                assertThat(all).hasSize(100_000);
                assertThat(page.get(0).pid().id()).isLessThan(page.get(1).pid().id());
            }
            System.out.printf("info + list of 100k processes: %.1f ms%n", best / 1e6);
            assertThat(Duration.ofNanos(best)).isLessThan(Duration.ofMillis(500));
        } finally {
            node.stop();
        }
    }

    @Test
    void aStoppedNodeRefusesWorkAndAwaitReturns() throws Exception {
        Node node = Ergo.startNode(
                "stopping@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
        Pid p = node.spawn(Idle::new, ProcessOptions.defaults());
        assertThat(node.isAlive()).isTrue();
        node.stop();
        assertThat(node.await(Duration.ofSeconds(1))).isTrue();
        assertThat(node.isAlive()).isFalse();
        assertThatThrownBy(() -> node.spawn(Idle::new, ProcessOptions.defaults()))
                .isInstanceOf(NodeStoppedException.class);
        assertThat(node.info().processesTotal()).isZero();
        assertThat(node.info().processesTerminated()).isEqualTo(1);
        assertThat(p).isNotNull();
        node.stop(); // twice is fine
    }

    @Test
    void failedSendsAndCallsAreCounted() {
        Node node = Ergo.startNode(
                "errors@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
        try {
            Pid silent = node.spawn(Silent::new, ProcessOptions.defaults());
            assertThatThrownBy(() -> node.send("nobody", "hi")).isInstanceOf(ErgoException.class);
            assertThatThrownBy(() -> node.call("nobody", "hi")).isInstanceOf(ErgoException.class);
            assertThatThrownBy(() -> node.call(silent, "hi", Duration.ofMillis(20)))
                    .isInstanceOf(CallTimeoutException.class);
            node.send(silent, "fine");
            assertThat(node.info().sendErrors()).isEqualTo(1);
            assertThat(node.info().callErrors()).isEqualTo(2);
        } finally {
            node.stop();
        }
    }

    /** Takes calls and never answers them. */
    static final class Silent extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return null; // answer later: never
        }
    }

    static final class Stubborn extends Actor {
        @Override
        protected void init(Object... args) {
            setTrapExit(true);
        }

        @Override
        protected void handleMessage(Pid from, Object message) throws Exception {
            Thread.onSpinWait();
        }
    }

    @Test
    void stopForceDoesNotWaitForProcesses() throws Exception {
        Node node = Ergo.startNode(
                "force@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
        node.spawn(Stubborn::new, ProcessOptions.defaults());
        long t0 = System.nanoTime();
        node.stopForce();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(node.await(Duration.ofSeconds(1))).isTrue();
    }

    static final class Logging extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            log().info("hello from the actor");
            return "ok";
        }
    }

    @Test
    void logLinesCarryTheNodeAndProcessInTheMdc() {
        Logger logger = (Logger) LoggerFactory.getLogger(Logging.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Node node = Ergo.startNode(
                "logs@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
        try {
            Pid p = node.spawn(Logging::new, ProcessOptions.defaults());
            node.call(p, "log");
            ILoggingEvent e = appender.list.get(0);
            assertThat(e.getMDCPropertyMap()).containsEntry("ergo.pid", p.toString());
            assertThat(e.getMDCPropertyMap()).containsEntry("ergo.node", "logs@localhost");
        } finally {
            logger.detachAppender(appender);
            node.stop();
        }
    }

    @Test
    void optionsRejectBadValuesNamingThem() {
        assertThatThrownBy(() ->
                        NodeOptions.builder().network(NetworkOptions.off()).schedulerThreads(0))
                .hasMessageContaining("schedulerThreads must be >= 1");
        assertThatThrownBy(() ->
                        NodeOptions.builder().network(NetworkOptions.off()).callTimeout(Duration.ZERO))
                .hasMessageContaining("callTimeout must be > 0");
        assertThatThrownBy(() -> ProcessOptions.defaults().withMailboxSize(-1))
                .hasMessageContaining("mailboxSize must be >= 0");
    }
}
