package services.ergo.registrar.saturn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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
import services.ergo.saturn.server.SaturnServer;
import services.ergo.saturn.server.SaturnServerOptions;
import services.ergo.testkit.TestProbe;

/**
 * Random schedules of cluster changes, server restarts, and cut or stalled client connections (a stalled one reads
 * nothing the server sends until it flows again) and reloads of the server's {@code saturn.yaml}, against an
 * in-process Saturn server. Whatever the schedule, once the server is up and every connection restored: every
 * client's view equals
 * what a node that joins afterwards sees, and the events the watching node published take a listener from where
 * it started to that same view.
 */
class SaturnFaultScheduleTest {

    enum Step {
        LOAD_APP,
        START_APP,
        SET_WEIGHT,
        STOP_APP,
        UNLOAD_APP,
        SET_METADATA,
        PUT_CONFIG,
        DELETE_CONFIG,
        START_NODE,
        STOP_NODE,
        SERVER_RESTART,
        CUT_WATCHER,
        STALL_WATCHER,
        /** saturn.yaml rewritten (a global knob set or gone) and reloaded; while the server is down, only written. */
        RELOAD_CONFIG
    }

    static final class Member extends Actor {}

    /** The options' clusters, as the other tests' server, and a file that holds the global knob. */
    private static SaturnServer startServer(int port, Path file) {
        return SaturnServer.start(SaturnServerOptions.defaults()
                .withPort(port == 0 ? SaturnRegistrarTest.lowFreePort() : port)
                .withTtl(Duration.ofSeconds(3))
                .withClusters(Map.of("prod", SaturnRegistrarTest.TOKEN, "other", SaturnRegistrarTest.TOKEN + "-other"))
                .withConfigFile(file));
    }

    private static void writeKnob(Path file, Long knob) throws java.io.IOException {
        Files.writeString(file, knob == null ? "config: {}\n" : "config:\n  knob: " + knob + "\n");
    }

    @Provide
    Arbitrary<List<Step>> schedules() {
        return Arbitraries.of(Step.class).list().ofMinSize(4).ofMaxSize(14);
    }

    private static Node node(String name, String server) {
        return Ergo.startNode(
                name,
                NodeOptions.builder()
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new SaturnRegistrar(SaturnRegistrarTest.options(server)))
                        .build());
    }

    /** The part of a view the schedule touches and the events tell: nodes, the app's routes, one config item. */
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

    @Property(tries = 12)
    void afterAnyScheduleEveryViewAndTheEventsConverge(@ForAll("schedules") List<Step> schedule) throws Exception {
        Path dir = Files.createTempDirectory("saturn-schedule");
        Path file = dir.resolve("saturn.yaml");
        writeKnob(file, null);
        SaturnServer server = startServer(0, file);
        int port = server.port();
        List<Node> nodes = new ArrayList<>();
        try (Relay relay = Relay.to(port)) {
            Node watcher = node("watcher@localhost", "127.0.0.1:" + relay.port());
            nodes.add(watcher);
            Node worker = node("worker@localhost", server.address());
            nodes.add(worker);
            Node extra = null;
            boolean up = true;
            boolean cut = false;
            boolean stalled = false;
            TestProbe probe = TestProbe.spawn(watcher);
            probe.monitorEvent(watcher.network().registrar().event().orElseThrow());
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> watcher.network().registrar().nodes().size() == 2);
            Listener listener = new Listener(View.of(watcher.network().registrar()));
            int value = 0;
            // the knob as the server holds it, for the watcher: its own level over the cluster's over the file's global
            // one (a restarted server holds only the file's)
            Long starKnob = null;
            Long watcherKnob = null;
            Long fileKnob = null;
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
                        case SET_METADATA -> worker.network().registrar().setNodeMetadata(Map.of("v", "" + value++));
                        case PUT_CONFIG -> {
                            if (up) {
                                boolean own = value % 2 == 1;
                                server.putConfig("prod", own ? "watcher" : "*", "knob", "int:" + value);
                                if (own) {
                                    watcherKnob = (long) value;
                                } else {
                                    starKnob = (long) value;
                                }
                                value++;
                            }
                        }
                        case DELETE_CONFIG -> {
                            if (up) {
                                server.removeConfig("prod", "*", "knob");
                                starKnob = null;
                            }
                        }
                        case START_NODE -> {
                            if (extra == null && up) {
                                extra = node("extra@localhost", server.address());
                                nodes.add(extra);
                            }
                        }
                        case STOP_NODE -> {
                            if (extra != null) {
                                extra.stop();
                                extra = null;
                            }
                        }
                        case SERVER_RESTART -> {
                            if (up) {
                                server.close();
                            } else {
                                server = startServer(port, file);
                                starKnob = null;
                                watcherKnob = null;
                            }
                            up = !up;
                        }
                        case RELOAD_CONFIG -> {
                            fileKnob = value % 3 == 0 ? null : (long) value;
                            value++;
                            writeKnob(file, fileKnob);
                            if (up) {
                                // the watcher would too; the call makes the step's end the moment it is in force
                                assertThat(server.reload()).isTrue();
                            }
                        }
                        case CUT_WATCHER -> {
                            if (cut) {
                                relay.restore();
                            } else {
                                relay.cut();
                            }
                            cut = !cut;
                        }
                        case STALL_WATCHER -> {
                            if (stalled) {
                                relay.flow();
                            } else {
                                relay.stall();
                            }
                            stalled = !stalled;
                        }
                    }
                } catch (services.ergo.gen.ErgoException | IllegalStateException | IllegalArgumentException refused) {
                    // a step the application's state does not allow now (start before load, ...): the schedule goes on
                }
            }
            if (!up) {
                server = startServer(port, file);
                starKnob = null;
                watcherKnob = null;
            }
            Long clusterKnob = starKnob != null ? starKnob : fileKnob;
            Long knob = watcherKnob != null ? watcherKnob : clusterKnob;
            relay.flow();
            relay.restore();
            Node late = node("late@localhost", server.address());
            nodes.add(late);
            SaturnServer s = server;
            List<Node> clients = List.copyOf(nodes);
            // the newcomer sees the truth; every client must come to see it, and the watcher's events say the same
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                var truth = SaturnRegistrarTest.registrar(late).view();
                assertThat(truth).isEqualTo(s.entries("prod"));
                for (Node n : clients) {
                    if (n.isAlive()) {
                        assertThat(SaturnRegistrarTest.registrar(n).view())
                                .as("the view of %s", n.name())
                                .isEqualTo(truth);
                    }
                }
                MessageEvent e;
                while ((e = probe.pollEvent(Duration.ofMillis(20)).orElse(null)) != null) {
                    listener.apply(e.message());
                }
                View lateView = View.of(late.network().registrar());
                assertThat(lateView.config()).as("the newcomer's knob").isEqualTo(clusterKnob);
                assertThat(listener.view())
                        .isEqualTo(new View(lateView.nodes(), lateView.app(), knob))
                        .isEqualTo(View.of(watcher.network().registrar()));
            });
        } finally {
            nodes.forEach(Node::stopForce);
            server.close();
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
