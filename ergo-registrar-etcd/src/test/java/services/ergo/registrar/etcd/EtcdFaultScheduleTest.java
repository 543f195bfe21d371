package services.ergo.registrar.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationMemberSpec;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ApplicationRoute;
import services.ergo.gen.ApplicationSpec;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarEvent;
import services.ergo.testkit.EtcdServer;
import services.ergo.testkit.TestProbe;

/**
 * Random schedules of cluster changes and etcd outages (kill -9, then a restart after a random pause) against a
 * real etcd. Whatever the schedule, once etcd is back: the watching node's mirror converges to what a node that
 * joins afterwards sees, and the events it published take a listener from where it started to that same view.
 */
class EtcdFaultScheduleTest {
    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    private static EtcdServer etcd;

    enum Step {
        LOAD_APP,
        START_APP,
        SET_WEIGHT,
        STOP_APP,
        UNLOAD_APP,
        PUT_CONFIG,
        DELETE_CONFIG,
        START_NODE,
        STOP_NODE,
        OUTAGE
    }

    @BeforeContainer
    static void startEtcd() throws Exception {
        etcd = EtcdServer.start();
    }

    @AfterContainer
    static void stopEtcd() throws Exception {
        etcd.close();
    }

    static final class Member extends Actor {}

    @Provide
    Arbitrary<List<Step>> schedules() {
        return Arbitraries.of(Step.class).list().ofMinSize(4).ofMaxSize(12);
    }

    private static Node node(String name, String cluster) {
        return Ergo.startNode(
                name,
                NodeOptions.builder()
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults()
                                .withEndpoints(etcd.endpoint())
                                .withCluster(cluster)
                                .withLeaseTtl(Duration.ofSeconds(2))
                                .withRequestTimeout(Duration.ofSeconds(2))
                                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(300))))
                        .build());
    }

    /** The part of a view the schedule touches: nodes, the app's routes, one config item. */
    private record View(TreeSet<String> nodes, TreeMap<String, String> app, Object config) {
        static View of(Registrar r) {
            TreeMap<String, String> app = new TreeMap<>();
            for (ApplicationRoute route : r.resolveApplication("svc")) {
                app.put(route.node(), route.state() + "/" + route.weight());
            }
            return new View(new TreeSet<>(r.nodes()), app, r.config("knob").get("knob"));
        }
    }

    /** A listener's idea of the view, from the events alone. */
    private static final class Listener {
        final TreeSet<String> nodes;
        final TreeMap<String, String> app;
        Object config;

        Listener(View start) {
            nodes = new TreeSet<>(start.nodes());
            app = new TreeMap<>(start.app());
            config = start.config();
        }

        void apply(Object e) {
            if (e instanceof RegistrarEvent.NodeJoined j) {
                nodes.add(j.node());
            } else if (e instanceof RegistrarEvent.NodeLeft l) {
                nodes.remove(l.node());
            } else if (e instanceof RegistrarEvent.ApplicationLoaded l) {
                app.put(l.node(), "LOADED/" + l.weight());
            } else if (e instanceof RegistrarEvent.ApplicationStarted s) {
                app.put(s.node(), "RUNNING/" + s.weight());
            } else if (e instanceof RegistrarEvent.ApplicationStopping s) {
                app.computeIfPresent(s.node(), (k, v) -> "STOPPING/" + v.substring(v.indexOf('/') + 1));
            } else if (e instanceof RegistrarEvent.ApplicationStopped s) {
                app.computeIfPresent(s.node(), (k, v) -> "LOADED/" + v.substring(v.indexOf('/') + 1));
            } else if (e instanceof RegistrarEvent.ApplicationWeight w) {
                app.computeIfPresent(w.node(), (k, v) -> v.substring(0, v.indexOf('/') + 1) + w.weight());
            } else if (e instanceof RegistrarEvent.ApplicationUnloaded u) {
                app.remove(u.node());
            } else if (e instanceof RegistrarEvent.ConfigUpdate c && c.item().equals("knob")) {
                config = c.value();
            }
        }

        View view() {
            return new View(nodes, app, config);
        }
    }

    @Property(tries = 6)
    void afterAnyScheduleTheMirrorAndTheEventsConverge(@ForAll("schedules") List<Step> schedule) throws Exception {
        String cluster = "faults" + CLUSTERS.incrementAndGet();
        String knob = "services/ergo/cluster/" + cluster + "/config/*/knob";
        List<Node> nodes = new ArrayList<>();
        Node watcher = node("watcher@localhost", cluster);
        nodes.add(watcher);
        Node worker = node("worker@localhost", cluster);
        nodes.add(worker);
        Node extra = null;
        try {
            TestProbe probe = TestProbe.spawn(watcher);
            probe.monitorEvent(watcher.network().registrar().event().orElseThrow());
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> watcher.network().registrar().nodes().size() == 2);
            Listener listener = new Listener(View.of(watcher.network().registrar()));
            int value = 0;
            for (Step step : schedule) {
                try {
                    switch (step) {
                        case LOAD_APP ->
                            worker.applicationLoad((n, a) -> ApplicationSpec.builder("svc")
                                    .weight(10)
                                    .member(ApplicationMemberSpec.of("m", Member::new))
                                    .build());
                        case START_APP -> worker.applicationStart("svc", ApplicationOptions.defaults());
                        case SET_WEIGHT -> worker.applicationSetWeight("svc", 10 * (value++ % 4));
                        case STOP_APP -> worker.applicationStop("svc");
                        case UNLOAD_APP -> worker.applicationUnload("svc");
                        case PUT_CONFIG -> etcd.etcdctl("put", knob, "int:" + value++);
                        case DELETE_CONFIG -> etcd.etcdctl("del", knob);
                        case START_NODE -> {
                            if (extra == null && etcd.alive()) {
                                extra = node("extra@localhost", cluster);
                                nodes.add(extra);
                            }
                        }
                        case STOP_NODE -> {
                            if (extra != null) {
                                extra.stop();
                                extra = null;
                            }
                        }
                        case OUTAGE -> {
                            if (etcd.alive()) {
                                etcd.kill();
                            } else {
                                etcd.restart();
                            }
                        }
                    }
                } catch (services.ergo.gen.ErgoException | IllegalStateException | IllegalArgumentException refused) {
                    // a step the application's state does not allow now (start before load, ...): the schedule goes on
                }
            }
            if (!etcd.alive()) {
                etcd.restart();
            }
            Node late = node("late@localhost", cluster);
            nodes.add(late);
            // the newcomer sees the truth; the watcher must come to see it, and its events must say the same
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                View truth = View.of(late.network().registrar());
                assertThat(View.of(watcher.network().registrar())).isEqualTo(truth);
                MessageEvent e;
                while ((e = probe.pollEvent(Duration.ofMillis(50)).orElse(null)) != null) {
                    listener.apply(e.message());
                }
                assertThat(listener.view()).isEqualTo(truth);
            });
        } finally {
            nodes.forEach(Node::stopForce);
            if (!etcd.alive()) {
                etcd.restart();
            }
        }
    }
}
