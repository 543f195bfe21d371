package services.ergo.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationBehavior;
import services.ergo.gen.ApplicationMemberSpec;
import services.ergo.gen.ApplicationSpec;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.leader.LeaderActor;
import services.ergo.leader.LeaderGroups;
import services.ergo.leader.LeaderOptions;
import services.ergo.testing.TestRegistrar;

/**
 * A plain-Java node (no Spring) runs the inspector; another plain node asks it over TCP, as the Observer does: the
 * requests and answers are plain maps, so neither node registers a type for them.
 */
class RemoteInspectorTest {
    private Node observer;
    private Node inspected;
    private ProcessId inspector;
    private final CountDownLatch release = new CountDownLatch(1);

    private static Node start(String name) {
        return start(name, true);
    }

    private static Node start(String name, boolean remoteApplicationStart) {
        return Ergo.startNode(
                name,
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .cookie("inspect")
                        .callTimeout(Duration.ofSeconds(5))
                        .network(NetworkOptions.on().withPort(0).withRemoteApplicationStart(remoteApplicationStart))
                        .build());
    }

    @BeforeEach
    void startNodes() {
        startNodes(true);
    }

    private void startNodes(boolean remoteApplicationStart) {
        observer = start("observer@localhost");
        inspected = start("inspected@localhost", remoteApplicationStart);
        observer.network().addRoute(inspected.name(), inspected.network().acceptor());
        inspected.network().addRoute(observer.name(), observer.network().acceptor());
        inspector = new ProcessId(Inspector.NAME, inspected.name());
    }

    @AfterEach
    void stopNodes() {
        release.countDown();
        for (Node n : new Node[] {observer, inspected}) {
            if (n != null) {
                n.stopForce();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> ask(Object... keysAndValues) {
        Map<String, Object> request = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            request.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return (Map<String, Object>) observer.call(inspector, request);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> answer) {
        return (List<Map<String, Object>>) answer.get("items");
    }

    @Test
    void aPlainNodeRunsNoInspectorUntilAskedAndOneAtMost() {
        assertThat(inspected.whereIs(Inspector.NAME)).isNull();
        Pid pid = Inspector.start(inspected, InspectorOptions.defaults());
        assertThat(inspected.whereIs(Inspector.NAME)).isEqualTo(pid);
        assertThatThrownBy(() -> Inspector.start(inspected, InspectorOptions.defaults()))
                .isInstanceOf(NameTakenException.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void answersTheNodeSummaryWithItsLeaderGroups(@TempDir Path state) {
        LeaderGroups groups =
                new LeaderGroups(Map.of("solo", LeaderOptions.of("solo").withStateDirectory(state)));
        inspected.spawnRegister(
                "solo",
                () -> {
                    Solo solo = new Solo(groups);
                    groups.track(solo);
                    return solo;
                },
                ProcessOptions.defaults());
        Inspector.start(inspected, InspectorOptions.defaults().withLeaders(groups::statuses));

        Map<String, Object> summary = ask("op", "node");
        assertThat(summary)
                .containsEntry("name", "inspected@localhost")
                .containsKeys("processesTotal", "uptimeMillis", "cpuLoad", "timeMillis", "applications");
        Map<String, Object> network = (Map<String, Object>) summary.get("network");
        assertThat(network).containsEntry("enabled", true).containsEntry("registrarConnected", true);
        assertThat((List<Map<String, Object>>) network.get("nodes"))
                .extracting(n -> n.get("name"))
                .contains("observer@localhost");

        // a group of one elects itself; the inspector reads the tracked actor's view on each request
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                (List<Map<String, Object>>) ask("op", "node").get("leaders"))
                        .singleElement()
                        .satisfies(g -> assertThat(g)
                                .containsEntry("group", "solo")
                                .containsEntry("member", "solo@inspected@localhost")
                                .containsEntry("leading", true)
                                .containsEntry("inGroup", true)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void pagesSortedProcessesAndShowsOneWithItsHandleInspect() {
        for (int i = 0; i < 25; i++) {
            inspected.spawnRegister(String.format("w%02d", i), Counter::new, ProcessOptions.defaults());
        }
        Pid stuck = inspected.spawnRegister("stuck", () -> new Stuck(release), ProcessOptions.defaults());
        for (int i = 0; i < 4; i++) {
            inspected.send(stuck, i);
        }
        Inspector.start(inspected, InspectorOptions.defaults().withActionsEnabled(true));

        Map<String, Object> page = ask("op", "processes", "filter", "w", "sort", "name", "offset", 10L, "limit", 5L);
        assertThat(page).containsEntry("total", 25L).containsEntry("offset", 10L);
        assertThat(items(page)).extracting(m -> m.get("name")).containsExactly("w10", "w11", "w12", "w13", "w14");

        Map<String, Object> last = ask("op", "processes", "filter", "w", "sort", "name", "desc", "true", "limit", 3L);
        assertThat(items(last)).extracting(m -> m.get("name")).containsExactly("w24", "w23", "w22");

        // the first message holds the stuck process, the other three wait in its mailbox (an unbounded mailbox
        // counts the message in hand until the turn ends, so its depth reads 3 or 4)
        await().untilAsserted(() -> assertThat(
                        items(ask("op", "processes", "sort", "mailbox", "desc", "true", "limit", 1L)))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m).containsEntry("name", "stuck").containsEntry("state", "running");
                    assertThat((Long) m.get("mailbox")).isBetween(3L, 4L);
                }));

        Pid counter = inspected.whereIs("w07");
        for (int i = 0; i < 3; i++) {
            inspected.send(counter, "tick");
        }
        await().untilAsserted(() -> {
            Map<String, Object> detail = ask("op", "process", "id", counter.id());
            assertThat(detail)
                    .containsEntry("name", "w07")
                    .containsEntry("state", "sleep")
                    .containsEntry("behavior", Counter.class.getName());
            assertThat((Map<String, Object>) detail.get("inspect")).containsEntry("count", "3");
        });

        assertThat(ask("op", "kill", "id", counter.id())).containsEntry("done", "killed");
        await().until(() -> inspected.whereIs("w07") == null);
        Pid inspectorPid = inspected.whereIs(Inspector.NAME);
        assertThatThrownBy(() -> ask("op", "explode")).hasMessageContaining("unknown inspector op");
        assertThatThrownBy(() -> ask("op", "kill", "id", "not-a-number")).hasMessageContaining("not-a-number");
        assertThat(inspected.whereIs(Inspector.NAME))
                .as("a bad request does not end it")
                .isEqualTo(inspectorPid);
    }

    @Test
    void servesTheLinesOfItsLogSourceAndNoneWithout() {
        LogBuffer logs = new LogBuffer(100);
        Inspector.start(inspected, InspectorOptions.defaults().withLogs(logs));
        logs.add(1_000, "INFO", "billing", "main", "invoice 1 sent");
        logs.add(2_000, "WARN", "billing", "main", "invoice 2 late");
        logs.add(3_000, "ERROR", "orders", "worker-1", "order 3 failed");

        Map<String, Object> all = ask("op", "logs", "after", 0L);
        assertThat(all).containsEntry("next", 4L);
        assertThat(items(all))
                .extracting(l -> l.get("message"))
                .containsExactly("invoice 1 sent", "invoice 2 late", "order 3 failed");
        assertThat(items(all).get(2))
                .containsEntry("seq", 3L)
                .containsEntry("time", 3_000L)
                .containsEntry("level", "ERROR")
                .containsEntry("logger", "orders")
                .containsEntry("thread", "worker-1");
        assertThat(items(ask("op", "logs", "after", 0L, "level", "warn", "text", "INVOICE")))
                .extracting(l -> l.get("message"))
                .containsExactly("invoice 2 late");
        assertThat(items(ask("op", "logs", "after", 2L)))
                .extracting(l -> l.get("seq"))
                .containsExactly(3L);

        inspected.kill(inspected.whereIs(Inspector.NAME));
        await().until(() -> inspected.whereIs(Inspector.NAME) == null);
        Inspector.start(inspected, InspectorOptions.defaults());
        Map<String, Object> none = ask("op", "logs", "after", 0L);
        assertThat(items(none)).isEmpty();
        assertThat(none).containsEntry("next", 1L);
    }

    @Test
    void actsOnlyWhenItsOwnNodeAllowsActions() {
        Pid counter = inspected.spawnRegister("victim", Counter::new, ProcessOptions.defaults());
        Inspector.start(inspected, InspectorOptions.defaults());

        for (String op : new String[] {"kill", "exit", "send"}) {
            assertThatThrownBy(() -> ask("op", op, "id", counter.id(), "message", "hi"))
                    .as(op)
                    .isInstanceOf(NotAllowedException.class)
                    .hasMessageContaining("actions are disabled on inspected@localhost")
                    .hasMessageContaining("ergo.inspector.actions-enabled");
        }
        assertThat(inspected.whereIs("victim")).isEqualTo(counter);
        assertThat(summaryOfInspector()).containsEntry("actionsEnabled", false).containsEntry("refused", 3L);
    }

    /** Review M7: the inspector must not start what a remote start frame from the same node could not. */
    @Test
    void anApplicationStartFromAnotherNodeObeysTheRemoteStartSwitch() {
        stopNodes();
        startNodes(false); // ergo.network.remote-application-start.enabled=false on the inspected node
        inspected.applicationLoad(new Jobs());
        inspected.network().enableApplicationStart("jobs");
        Inspector.start(inspected, InspectorOptions.defaults().withActionsEnabled(true));

        assertThatThrownBy(() -> ask("op", "application", "name", "jobs", "action", "start"))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("remote application start is switched off on inspected@localhost");
        assertThat(inspected.applicationInfo("jobs").state()).isEqualTo(ApplicationState.LOADED);
        // stopping and weights are actions, not starts: the actions switch governs them
        assertThat(ask("op", "application", "name", "jobs", "weight", 3L)).containsKey("done");
        assertThat(inspected.applicationInfo("jobs").weight()).isEqualTo(3);
    }

    @Test
    void anApplicationStartFromAnotherNodeObeysTheAllowList() {
        inspected.applicationLoad(new Jobs());
        Inspector.start(inspected, InspectorOptions.defaults().withActionsEnabled(true));

        assertThatThrownBy(() -> ask("op", "application", "name", "jobs", "action", "start"))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("remote start of application 'jobs' is not enabled");
        inspected.network().enableApplicationStart("jobs", "someone-else@localhost");
        assertThatThrownBy(() -> ask("op", "application", "name", "jobs", "action", "start"))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("node observer@localhost may not start application 'jobs'");
        assertThat(inspected.applicationInfo("jobs").state()).isEqualTo(ApplicationState.LOADED);
        assertThat(summaryOfInspector()).containsEntry("refused", 2L);

        inspected.network().enableApplicationStart("jobs", "observer@localhost");
        assertThat(ask("op", "application", "name", "jobs", "action", "start")).containsKey("done");
        assertThat(inspected.applicationInfo("jobs").state()).isEqualTo(ApplicationState.RUNNING);
    }

    @Test
    @SuppressWarnings("unchecked")
    void withholdsTheLogAndTheEnvWhenItsNodeSaysSo() {
        LogBuffer logs = new LogBuffer(10);
        logs.add(1_000, "INFO", "billing", "main", "secret line");
        Pid counter = inspected.spawnRegister(
                "with-env", Counter::new, ProcessOptions.defaults().withEnv(Map.of("TOKEN", "s3cret")));
        Inspector.start(
                inspected,
                InspectorOptions.defaults()
                        .withLogs(logs)
                        .withLogsEnabled(false)
                        .withEnvEnabled(false));

        assertThatThrownBy(() -> ask("op", "logs", "after", 0L))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("ergo.inspector.logs-enabled");
        Map<String, Object> detail = ask("op", "process", "id", counter.id());
        assertThat((Map<String, Object>) detail.get("env")).isEmpty();
        assertThat(detail).containsEntry("envShown", false);
        assertThat(summaryOfInspector()).containsEntry("logsEnabled", false).containsEntry("envEnabled", false);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> summaryOfInspector() {
        return (Map<String, Object>) ask("op", "node").get("inspector");
    }

    /** An application of one process, loaded and not started. */
    static final class Jobs implements ApplicationBehavior {
        @Override
        public ApplicationSpec load(Node node, Object... args) {
            return ApplicationSpec.builder("jobs")
                    .member(ApplicationMemberSpec.of("jobs-worker", Counter::new))
                    .build();
        }
    }

    /** Counts its messages and says so in its inspect output. */
    static final class Counter extends Actor {
        private long count;

        @Override
        protected void handleMessage(Pid from, Object message) {
            count++;
        }

        @Override
        protected Map<String, String> handleInspect(Pid from, String... items) {
            return Map.of("count", Long.toString(count));
        }
    }

    /** Takes its first message and does not finish it until released, so the rest wait in its mailbox. */
    static final class Stuck extends Actor {
        private final CountDownLatch release;

        Stuck(CountDownLatch release) {
            this.release = release;
        }

        @Override
        protected void handleMessage(Pid from, Object message) throws InterruptedException {
            if (Integer.valueOf(0).equals(message)) {
                release.await();
            }
        }
    }

    /** A leader group of one, which elects itself. */
    static final class Solo extends LeaderActor {
        private final LeaderGroups groups;

        Solo(LeaderGroups groups) {
            this.groups = groups;
        }

        @Override
        protected LeaderOptions initLeader(Object... args) {
            return groups.options("solo");
        }
    }
}
