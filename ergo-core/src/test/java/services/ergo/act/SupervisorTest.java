package services.ergo.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.MessageDownPid;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Ref;
import services.ergo.testing.Reporter;

class SupervisorTest {
    private Node node;

    @BeforeEach
    void start() {
        node = Ergo.startNode(
                "sup@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
    }

    @AfterEach
    void stop() {
        node.stop();
    }

    /** Crashes on "crash", ends normally on "stop", answers calls with its init args. */
    static final class Child extends Actor {
        private List<Object> args;

        @Override
        protected void init(Object... a) {
            args = List.of(a);
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            if ("crash".equals(message)) {
                throw new IllegalStateException("child crashed");
            }
            if ("stop".equals(message)) {
                stop(services.ergo.gen.Reason.NORMAL);
            }
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return args;
        }
    }

    /** A supervisor whose spec comes in its args. */
    static final class Sup extends Supervisor {
        @Override
        protected SupervisorSpec init(Object... args) {
            return (SupervisorSpec) args[0];
        }
    }

    /** Reports the down messages of what it monitors. */
    static final class Watcher extends Reporter {
        @Override
        protected void setUp(Object... args) {
            monitor(args[1]);
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            report(message);
        }
    }

    private static SupervisorSpec spec(SupervisorType type, SupervisorStrategy strategy, int intensity) {
        return new SupervisorSpec(
                type,
                new SupervisorRestart(strategy, intensity, Duration.ofSeconds(5)),
                List.of(
                        SupervisorChildSpec.of("a", Child::new),
                        SupervisorChildSpec.of("b", Child::new),
                        SupervisorChildSpec.of("c", Child::new)));
    }

    private Pid where(String name) {
        return node.whereIs(name);
    }

    private void awaitRestarted(String name, Pid old) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> where(name) != null && !where(name).equals(old));
    }

    @Test
    void oneForOneRestartsOnlyTheCrashedChild() {
        node.spawnRegister(
                "sup",
                Sup::new,
                ProcessOptions.defaults(),
                spec(SupervisorType.ONE_FOR_ONE, SupervisorStrategy.TRANSIENT, 5));
        Pid a = where("a"), b = where("b"), c = where("c");
        node.send(b, "crash");
        awaitRestarted("b", b);
        assertThat(where("a")).isEqualTo(a);
        assertThat(where("c")).isEqualTo(c);
        assertThat(node.processInfo(where("b")).parent()).isEqualTo(where("sup"));
    }

    @Test
    void allForOneRestartsEveryChild() {
        node.spawnRegister(
                "sup",
                Sup::new,
                ProcessOptions.defaults(),
                spec(SupervisorType.ALL_FOR_ONE, SupervisorStrategy.TRANSIENT, 5));
        Pid a = where("a"), b = where("b"), c = where("c");
        node.send(b, "crash");
        awaitRestarted("a", a);
        awaitRestarted("b", b);
        awaitRestarted("c", c);
        @SuppressWarnings("unchecked")
        List<Supervisor.Child> children = (List<Supervisor.Child>) node.call("sup", new Supervisor.WhichChildren());
        assertThat(children).extracting(Supervisor.Child::name).containsExactly("a", "b", "c");
        assertThat(children).extracting(Supervisor.Child::pid).containsExactly(where("a"), where("b"), where("c"));
    }

    @Test
    void restForOneRestartsTheCrashedChildAndThoseStartedAfterIt() {
        node.spawnRegister(
                "sup",
                Sup::new,
                ProcessOptions.defaults(),
                spec(SupervisorType.REST_FOR_ONE, SupervisorStrategy.TRANSIENT, 5));
        Pid a = where("a"), b = where("b"), c = where("c");
        node.send(b, "crash");
        awaitRestarted("b", b);
        awaitRestarted("c", c);
        assertThat(where("a")).isEqualTo(a);
    }

    @Test
    void transientRestartsOnlyAbnormalEnds() {
        node.spawnRegister(
                "sup",
                Sup::new,
                ProcessOptions.defaults(),
                spec(SupervisorType.ONE_FOR_ONE, SupervisorStrategy.TRANSIENT, 5));
        node.send(where("a"), "stop");
        await().until(() -> where("a") == null);
        assertThat((List<?>) node.call("sup", new Supervisor.WhichChildren())).hasSize(2);
        Pid b = where("b");
        node.send(b, "crash");
        awaitRestarted("b", b);
    }

    @Test
    void permanentRestartsEvenNormalEndsAndTemporaryNever() {
        node.spawnRegister(
                "perm",
                Sup::new,
                ProcessOptions.defaults(),
                new SupervisorSpec(
                        SupervisorType.ONE_FOR_ONE,
                        new SupervisorRestart(SupervisorStrategy.PERMANENT, 5, Duration.ofSeconds(5)),
                        List.of(SupervisorChildSpec.of("p", Child::new))));
        node.spawnRegister(
                "temp",
                Sup::new,
                ProcessOptions.defaults(),
                new SupervisorSpec(
                        SupervisorType.ONE_FOR_ONE,
                        new SupervisorRestart(SupervisorStrategy.TEMPORARY, 5, Duration.ofSeconds(5)),
                        List.of(SupervisorChildSpec.of("t", Child::new))));
        Pid p = where("p");
        node.send(p, "stop");
        awaitRestarted("p", p);
        node.send(where("t"), "crash");
        await().until(() -> where("t") == null);
        assertThat((List<?>) node.call("temp", new Supervisor.WhichChildren())).isEmpty();
    }

    @Test
    void exceedingTheIntensityEndsTheSupervisorAndItsChildren() throws Exception {
        Pid sup = node.spawnRegister(
                "sup",
                Sup::new,
                ProcessOptions.defaults(),
                spec(SupervisorType.ONE_FOR_ONE, SupervisorStrategy.TRANSIENT, 2));
        BlockingQueue<Object> downs = new LinkedBlockingQueue<>();
        node.spawn(Watcher::new, ProcessOptions.defaults(), downs, sup);
        for (int i = 0; i < 3; i++) {
            Pid a = where("a");
            node.send(a, "crash");
            if (i < 2) {
                awaitRestarted("a", a);
            }
        }
        MessageDownPid down = (MessageDownPid) downs.poll(5, TimeUnit.SECONDS);
        assertThat(down).isNotNull();
        assertThat(down.pid()).isEqualTo(sup);
        assertThat(down.reason()).isEqualTo(Supervisor.INTENSITY_EXCEEDED);
        await().until(() -> where("a") == null && where("b") == null && where("c") == null);
    }

    @Test
    void simpleOneForOneStartsChildrenOnDemandAndRestartsThemWithTheirArgs() {
        node.spawnRegister(
                "pool",
                Sup::new,
                ProcessOptions.defaults(),
                new SupervisorSpec(
                        SupervisorType.SIMPLE_ONE_FOR_ONE,
                        new SupervisorRestart(SupervisorStrategy.TRANSIENT, 5, Duration.ofSeconds(5)),
                        List.of(SupervisorChildSpec.of("conn", Child::new, "base"))));
        assertThat((List<?>) node.call("pool", new Supervisor.WhichChildren())).isEmpty();
        Pid one = (Pid) node.call("pool", new Supervisor.StartChild("conn", List.of("db-1")));
        Pid two = (Pid) node.call("pool", new Supervisor.StartChild("conn", List.of("db-2")));
        assertThat(node.call(one, "args")).isEqualTo(List.of("base", "db-1"));
        assertThat(node.call(two, "args")).isEqualTo(List.of("base", "db-2"));
        node.send(one, "crash");
        await().until(() -> {
            @SuppressWarnings("unchecked")
            List<Supervisor.Child> c = (List<Supervisor.Child>) node.call("pool", new Supervisor.WhichChildren());
            return c.size() == 2 && !c.get(0).pid().equals(one);
        });
        @SuppressWarnings("unchecked")
        List<Supervisor.Child> c = (List<Supervisor.Child>) node.call("pool", new Supervisor.WhichChildren());
        assertThat(node.call(c.get(0).pid(), "args")).isEqualTo(List.of("base", "db-1"));
        assertThatThrownBy(() -> node.call("pool", new Supervisor.StartChild("other", List.of())))
                .hasMessageContaining("no child spec named 'other'");
        assertThat(node.whereIs("pool")).isNotNull();
    }

    @Test
    void specsAreCheckedAtOnce() {
        assertThatThrownBy(() -> new SupervisorRestart(SupervisorStrategy.PERMANENT, -1, Duration.ofSeconds(1)))
                .hasMessageContaining("intensity must be >= 0");
        assertThatThrownBy(() -> new SupervisorSpec(SupervisorType.SIMPLE_ONE_FOR_ONE, null, List.of()))
                .hasMessageContaining("exactly one child spec");
        assertThatThrownBy(() -> SupervisorSpec.oneForOne(
                        SupervisorChildSpec.of("x", Child::new), SupervisorChildSpec.of("x", Child::new)))
                .hasMessageContaining("two supervisor children are named 'x'");
    }

    @Test
    void stoppingTheSupervisorStopsItsChildrenAndKillingItTakesThemToo() throws Exception {
        Pid sup = node.spawnRegister(
                "sup",
                Sup::new,
                ProcessOptions.defaults(),
                spec(SupervisorType.ONE_FOR_ONE, SupervisorStrategy.PERMANENT, 5));
        node.sendExit(sup, services.ergo.gen.Reason.SHUTDOWN); // from its parent, the node's core
        await().until(() -> where("sup") == null && where("a") == null && where("b") == null && where("c") == null);

        Pid sup2 = node.spawnRegister(
                "sup2",
                Sup::new,
                ProcessOptions.defaults(),
                spec(SupervisorType.ONE_FOR_ONE, SupervisorStrategy.PERMANENT, 5));
        Pid a = where("a");
        node.kill(sup2);
        await().until(() -> where("a") == null && where("b") == null && where("c") == null);
        assertThatThrownBy(() -> node.processInfo(a)).isInstanceOf(ProcessUnknownException.class);
    }
}
