package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.MailboxFullException;
import services.ergo.gen.MessageDownNode;
import services.ergo.gen.MessageDownProcessId;
import services.ergo.gen.MessageExitProcessId;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NoConnectionException;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;
import services.ergo.testing.Reporter;
import services.ergo.testing.TestRegistrar;

/** Links and monitors by name across nodes, monitoring a whole node, and important delivery. */
class RemoteRelationsTest {
    private Node a;
    private Node b;

    @BeforeEach
    void start() {
        a = node("rel-a@localhost");
        b = node("rel-b@localhost");
    }

    private static Node node(String name) {
        return Ergo.startNode(
                name,
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .cookie("rel")
                        .callTimeout(Duration.ofSeconds(3))
                        .network(NetworkOptions.on().withPort(0))
                        .build());
    }

    @AfterEach
    void stop() {
        a.stopForce();
        b.stopForce();
    }

    /** Does what the test calls it to do with its own process, and hands what it receives to the test. */
    static final class Agent extends Reporter {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            Object[] cmd = (Object[]) request;
            switch ((String) cmd[0]) {
                case "trap-link" -> {
                    setTrapExit(true);
                    link(cmd[1]);
                }
                case "link" -> link(cmd[1]);
                case "unlink" -> unlink(cmd[1]);
                case "monitor" -> {
                    return monitor(cmd[1]);
                }
                case "demonitor" -> demonitor(cmd[1]);
                case "monitor-node" -> {
                    return monitorNode((String) cmd[1]);
                }
                case "important" -> sendImportant(cmd[1], cmd[2]);
                default -> throw new IllegalArgumentException(String.valueOf(cmd[0]));
            }
            return "ok";
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            report(message);
        }
    }

    /** Crashes on "crash"; otherwise swallows. */
    static final class Fragile extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) {
            if ("crash".equals(message)) {
                throw new IllegalStateException("fragile crashed");
            }
        }
    }

    @Test
    void monitorsAndLinksByNameOnAnotherNodeReportTheName() throws Exception {
        b.spawnRegister("fragile", Fragile::new, ProcessOptions.defaults());
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        Pid agent = a.spawn(Agent::new, ProcessOptions.defaults(), got);
        ProcessId byName = new ProcessId("fragile", b.name());
        Ref ref = (Ref) a.call(agent, new Object[] {"monitor", byName});
        a.call(agent, new Object[] {"trap-link", byName});
        Pid fragile = b.whereIs("fragile");
        await().until(() -> b.processInfo(fragile).links().size() == 1
                && b.processInfo(fragile).monitoredBy().size() == 1);

        b.send(fragile, "crash");
        Object first = got.poll(5, TimeUnit.SECONDS);
        Object second = got.poll(5, TimeUnit.SECONDS);
        assertThat(java.util.List.of(first, second))
                .anySatisfy(m -> {
                    assertThat(m).isInstanceOf(MessageDownProcessId.class);
                    MessageDownProcessId down = (MessageDownProcessId) m;
                    assertThat(down.processId()).isEqualTo(byName);
                    assertThat(down.ref()).isEqualTo(ref);
                    assertThat(down.reason().text()).contains("fragile crashed");
                })
                .anySatisfy(m -> {
                    assertThat(m).isInstanceOf(MessageExitProcessId.class);
                    assertThat(((MessageExitProcessId) m).processId()).isEqualTo(byName);
                });

        // a name nobody holds there answers with noproc, by name
        a.call(agent, new Object[] {"monitor", new ProcessId("nobody", b.name())});
        MessageDownProcessId noproc = (MessageDownProcessId) got.poll(5, TimeUnit.SECONDS);
        assertThat(noproc.processId()).isEqualTo(new ProcessId("nobody", b.name()));
        assertThat(noproc.reason()).isEqualTo(Reason.NO_PROCESS);
        a.call(agent, new Object[] {"trap-link", new ProcessId("nobody", b.name())});
        MessageExitProcessId noprocExit = (MessageExitProcessId) got.poll(5, TimeUnit.SECONDS);
        assertThat(noprocExit.reason()).isEqualTo(Reason.NO_PROCESS);
    }

    @Test
    void demonitorAndUnlinkByNameLetGoOnTheOtherNode() {
        Pid target = b.spawnRegister("target", Fragile::new, ProcessOptions.defaults());
        Pid agent = a.spawn(Agent::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());
        ProcessId byName = new ProcessId("target", b.name());
        a.call(agent, new Object[] {"monitor", byName});
        a.call(agent, new Object[] {"link", byName});
        await().until(() -> b.processInfo(target).links().size() == 1
                && b.processInfo(target).monitoredBy().size() == 1);
        assertThat(a.processInfo(agent).monitors()).containsExactly(byName);
        a.call(agent, new Object[] {"demonitor", byName});
        a.call(agent, new Object[] {"unlink", byName});
        await().until(() -> b.processInfo(target).links().isEmpty()
                && b.processInfo(target).monitoredBy().isEmpty());
        assertThat(a.processInfo(agent).monitors()).isEmpty();
        assertThat(a.processInfo(agent).links()).isEmpty();
    }

    @Test
    void aLinkByNameBreaksWithTheConnectionAndAWholeNodeCanBeMonitored() throws Exception {
        b.spawnRegister("far", Fragile::new, ProcessOptions.defaults());
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        Pid agent = a.spawn(Agent::new, ProcessOptions.defaults(), got);
        Ref nodeRef = (Ref) a.call(agent, new Object[] {"monitor-node", b.name()});
        assertThat(a.call(agent, new Object[] {"monitor-node", b.name()})).isEqualTo(nodeRef);
        a.call(agent, new Object[] {"trap-link", new ProcessId("far", b.name())});
        await().until(() -> b.processInfo(b.whereIs("far")).links().size() == 1);

        a.network().disconnect(b.name()); // the processes live on; the connection is gone
        Object first = got.poll(5, TimeUnit.SECONDS);
        Object second = got.poll(5, TimeUnit.SECONDS);
        assertThat(java.util.List.of(first, second))
                .contains(new MessageDownNode("rel-b@localhost", nodeRef, Reason.NO_CONNECTION))
                .contains(new MessageExitProcessId(new ProcessId("far", "rel-b@localhost"), Reason.NO_CONNECTION));

        // a node nobody can reach cannot be monitored: the agent fails with that, and its caller learns why
        assertThatThrownBy(() -> a.call(agent, new Object[] {"monitor-node", "nowhere@localhost"}))
                .hasMessageContaining(NoConnectionException.class.getName())
                .hasMessageContaining("nowhere@localhost");
    }

    /** Sleeps on "block" until released, so its mailbox fills. */
    static final class Sink extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof java.util.concurrent.CountDownLatch latch) {
                try {
                    latch.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void anImportantMessageIsConfirmedOrItsFailureComesBackAtOnce() throws Exception {
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        Pid receiver = b.spawnRegister("receiver", Agent::new, ProcessOptions.defaults(), got);
        Pid agent = a.spawn(Agent::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());

        assertThat(a.call(agent, new Object[] {"important", new ProcessId("receiver", b.name()), "in the mailbox"}))
                .isEqualTo("ok");
        assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("in the mailbox");
        a.sendImportant(receiver, "from the node");
        assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("from the node");

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> a.sendImportant(new ProcessId("nobody", b.name()), "lost?"))
                .isInstanceOf(ProcessUnknownException.class);
        assertThatThrownBy(() -> a.call(agent, new Object[] {"important", new ProcessId("nobody", b.name()), "x"}))
                .hasMessageContaining(ProcessUnknownException.class.getName()); // thrown in the agent, which ends
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));

        // a full mailbox there is an error here
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Pid sink = b.spawn(Sink::new, new ProcessOptions(2, false, java.util.Map.of()));
        b.send(sink, release);
        await().until(() -> b.processInfo(sink).state() == services.ergo.gen.ProcessState.RUNNING);
        a.sendImportant(sink, 1);
        a.sendImportant(sink, 2);
        assertThatThrownBy(() -> a.sendImportant(sink, 3)).isInstanceOf(MailboxFullException.class);
        release.countDown();

        // a local target works the same way, synchronously
        assertThatThrownBy(() -> a.sendImportant("nobody-here", "x")).isInstanceOf(ProcessUnknownException.class);
    }
}
