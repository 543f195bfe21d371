package services.ergo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.ApplicationBehavior;
import services.ergo.gen.ApplicationListener.ApplicationChange;
import services.ergo.gen.ApplicationMemberSpec;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ApplicationSpec;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.ErgoException;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Reason;

class ApplicationTest {
    private Node node;
    private final List<String> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        node = Ergo.startNode(
                "apps@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
        node.addApplicationListener((info, change) -> changes.add(info.name() + ":" + change + ":" + info.weight()));
    }

    @AfterEach
    void stop() {
        node.stop();
    }

    static final class TwoMembers implements ApplicationBehavior {
        final List<Reason> terminated = new CopyOnWriteArrayList<>();
        final String name;
        final String[] depends;

        TwoMembers(String name, String... depends) {
            this.name = name;
            this.depends = depends;
        }

        @Override
        public ApplicationSpec load(Node n, Object... args) {
            ApplicationSpec.Builder b = ApplicationSpec.builder(name)
                    .description("test app")
                    .version("1.0")
                    .weight(100)
                    .env("color", "blue")
                    .member(ApplicationMemberSpec.of(name + "-one", Recorder::new, Recorder.queue()))
                    .member(ApplicationMemberSpec.of(name + "-two", Recorder::new, Recorder.queue()));
            for (String d : depends) {
                b.dependsOn(d);
            }
            return b.build();
        }

        @Override
        public void terminate(Reason reason) {
            terminated.add(reason);
        }
    }

    @Test
    void loadStartStopUnloadWithInfoAndListener() {
        TwoMembers app = new TwoMembers("api");
        assertThat(node.applicationLoad(app)).isEqualTo("api");
        assertThat(node.applicationInfo("api").state()).isEqualTo(ApplicationState.LOADED);
        node.applicationStartPermanent("api", ApplicationOptions.defaults());
        var info = node.applicationInfo("api");
        assertThat(info.state()).isEqualTo(ApplicationState.RUNNING);
        assertThat(info.mode()).isEqualTo(ApplicationMode.PERMANENT);
        assertThat(info.group()).hasSize(2);
        assertThat(info.version()).isEqualTo("1.0");
        assertThat(node.whereIs("api-one")).isEqualTo(info.group().get(0));
        assertThat(node.processInfo(info.group().get(0)).application()).isEqualTo("api");
        assertThat(node.processInfo(info.group().get(0)).env()).containsEntry("color", "blue");
        assertThat(node.info().applicationsRunning()).isEqualTo(1);

        node.applicationSetWeight("api", 0);
        assertThat(node.applicationInfo("api").weight()).isZero();

        node.applicationStop("api");
        assertThat(node.applicationInfo("api").state()).isEqualTo(ApplicationState.LOADED);
        assertThat(node.whereIs("api-one")).isNull();
        assertThat(app.terminated).containsExactly(Reason.NORMAL);
        assertThat(node.isAlive()).isTrue(); // a stop asked for is not a failure, even when permanent

        node.applicationUnload("api");
        assertThatThrownBy(() -> node.applicationInfo("api")).hasMessageContaining("not loaded");
        assertThat(changes)
                .containsExactly(
                        "api:LOADED:100",
                        "api:STARTED:100",
                        "api:WEIGHT:0",
                        "api:STOPPING:0",
                        "api:STOPPED:0",
                        "api:UNLOADED:0");
    }

    @Test
    void clearErrorsForWrongOrder() {
        node.applicationLoad(new TwoMembers("a"));
        assertThatThrownBy(() -> node.applicationLoad(new TwoMembers("a"))).isInstanceOf(NameTakenException.class);
        assertThatThrownBy(() -> node.applicationStop("a")).isInstanceOf(NotAllowedException.class);
        node.applicationStart("a", ApplicationOptions.defaults());
        assertThatThrownBy(() -> node.applicationStart("a", ApplicationOptions.defaults()))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("running");
        assertThatThrownBy(() -> node.applicationUnload("a")).hasMessageContaining("stop it before unloading");
        assertThatThrownBy(() -> node.applicationSetWeight("a", -1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> node.applicationStart("nope", ApplicationOptions.defaults()))
                .isInstanceOf(ErgoException.class)
                .hasMessageContaining("'nope' is not loaded");
    }

    @Test
    void dependenciesMustRunFirst() {
        node.applicationLoad(new TwoMembers("db"));
        node.applicationLoad(new TwoMembers("web", "db"));
        assertThatThrownBy(() -> node.applicationStart("web", ApplicationOptions.defaults()))
                .hasMessageContaining("depends on 'db', which is not running");
        node.applicationStart("db", ApplicationOptions.defaults());
        node.applicationStart("web", ApplicationOptions.defaults());
        assertThat(node.applicationInfo("web").state()).isEqualTo(ApplicationState.RUNNING);
    }

    @Test
    void temporaryKeepsRunningWhenAMemberCrashesAndEndsWhenAllHaveEnded() {
        TwoMembers app = new TwoMembers("tmp");
        node.applicationLoad(app);
        node.applicationStartTemporary("tmp", ApplicationOptions.defaults());
        node.send("tmp-one", "crash");
        await().until(() -> node.applicationInfo("tmp").group().size() == 1);
        assertThat(node.applicationInfo("tmp").state()).isEqualTo(ApplicationState.RUNNING);
        node.send("tmp-two", "stop");
        await().until(() -> node.applicationInfo("tmp").state() == ApplicationState.LOADED);
        assertThat(app.terminated).containsExactly(Reason.NORMAL);
    }

    @Test
    void transientStopsOnAnAbnormalEndOnly() {
        TwoMembers app = new TwoMembers("tr");
        node.applicationLoad(app);
        node.applicationStartTransient("tr", ApplicationOptions.defaults());
        node.send("tr-one", "stop"); // normal: the application goes on
        await().until(() -> node.applicationInfo("tr").group().size() == 1);
        assertThat(node.applicationInfo("tr").state()).isEqualTo(ApplicationState.RUNNING);
        node.send("tr-two", "crash");
        await().until(() -> node.applicationInfo("tr").state() == ApplicationState.LOADED);
        assertThat(app.terminated).hasSize(1);
        assertThat(app.terminated.get(0).text()).contains("asked to crash");
        assertThat(node.isAlive()).isTrue();
    }

    @Test
    void permanentApplicationFailureStopsTheNode() throws Exception {
        TwoMembers app = new TwoMembers("core");
        node.applicationLoad(app);
        node.applicationStartPermanent("core", ApplicationOptions.defaults());
        node.send("core-one", "crash");
        assertThat(node.await(Duration.ofSeconds(10))).isTrue();
        assertThat(node.isAlive()).isFalse();
        assertThat(app.terminated).hasSize(1);
        assertThat(changes).contains("core:STOPPING:100", "core:STOPPED:100");
    }

    @Test
    void stoppingTheNodeByForceWithAPermanentApplicationRunningReturns() throws Exception {
        node.applicationLoad(new TwoMembers("perm"));
        node.applicationStartPermanent("perm", ApplicationOptions.defaults());
        long t0 = System.nanoTime();
        node.stopForce(); // killing its members stops the application, which would stop the node: it is stopping
        assertThat(node.await(Duration.ofSeconds(5))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aMemberThatFailsToStartLeavesTheApplicationLoaded() {
        node.applicationLoad((n, args) -> ApplicationSpec.builder("broken")
                .member(ApplicationMemberSpec.of("ok", Recorder::new, Recorder.queue()))
                .member(ApplicationMemberSpec.of("bad", ProcessTest.FailingInit::new))
                .build());
        assertThatThrownBy(() -> node.applicationStart("broken", ApplicationOptions.defaults()))
                .hasMessageContaining("'broken' failed to start")
                .hasMessageContaining("no database");
        assertThat(node.applicationInfo("broken").state()).isEqualTo(ApplicationState.LOADED);
        await().until(() -> node.whereIs("ok") == null);
    }

    @Test
    void nodeStopStopsApplicationsLastStartedFirst() throws Exception {
        node.applicationLoad(new TwoMembers("first"));
        node.applicationLoad(new TwoMembers("second"));
        node.applicationStart("first", ApplicationOptions.defaults());
        node.applicationStart("second", ApplicationOptions.defaults());
        changes.clear();
        node.stop();
        assertThat(changes.stream().filter(c -> c.contains("STOPPED")).toList())
                .containsExactly("second:STOPPED:100", "first:STOPPED:100");
        assertThat(changes).doesNotContain(ApplicationChange.UNLOADED.name());
    }
}
