package services.ergo.registrar.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.ApplicationRoute;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.RegistrarEvent;

/**
 * The mirror's promise after an outage: whatever etcd held before and after, the events a re-sync reports take a
 * process that only listens from the old view to exactly the new one. And key by key or all at once, the mirror
 * ends the same.
 */
class ClusterViewTest {
    private static final EtcdKeys KEYS = new EtcdKeys("c");
    private static final String SELF = "me@h";
    private static final List<String> NODES = List.of("me@h", "n1@h", "n2@h", "n3@h");
    private static final List<String> APPS = List.of("api", "worker");
    private static final List<String> ITEMS = List.of("pool", "flag");

    @Provide
    Arbitrary<Map<String, String>> snapshots() {
        Arbitrary<Map.Entry<String, String>> node =
                Arbitraries.of(NODES).map(n -> Map.entry(KEYS.node(n), "localhost:" + (1000 + n.charAt(1))));
        Arbitrary<Map.Entry<String, String>> app = Combinators.combine(
                        Arbitraries.of(APPS),
                        Arbitraries.of(NODES),
                        Arbitraries.integers().between(0, 3).map(w -> w * 10),
                        Arbitraries.of(ApplicationState.class))
                .as((a, n, w, s) -> Map.entry(
                        KEYS.application(a, n), ClusterView.formatApplication(w, ApplicationMode.TRANSIENT, s)));
        Arbitrary<Map.Entry<String, String>> config = Combinators.combine(
                        Arbitraries.of(
                                KEYS.config + "*/",
                                KEYS.config + "me@h/",
                                KEYS.config + "me/",
                                KEYS.config + "n1@h/",
                                EtcdKeys.GLOBAL_CONFIG),
                        Arbitraries.of(ITEMS),
                        Arbitraries.of("int:1", "int:2", "bool:true", "plain", "int:oops"))
                .as((level, item, v) -> Map.entry(level + item, v));
        return Arbitraries.oneOf(node, app, config).list().ofMaxSize(25).map(entries -> {
            Map<String, String> m = new LinkedHashMap<>();
            entries.forEach(e -> m.put(e.getKey(), e.getValue()));
            return m;
        });
    }

    /** What a listener knows: the view as the events it received describe it. */
    private static final class Listener {
        final TreeSet<String> nodes = new TreeSet<>();
        final Map<String, Map<String, String>> apps = new TreeMap<>(); // app → node → "state/weight"
        final Map<String, Object> config = new TreeMap<>();

        Listener(ClusterView v) {
            nodes.addAll(v.nodes());
            for (String a : APPS) {
                for (ApplicationRoute r : v.application(a)) {
                    apps.computeIfAbsent(a, k -> new TreeMap<>()).put(r.node(), r.state() + "/" + r.weight());
                }
            }
            for (String i : ITEMS) {
                if (v.config(i) != null) {
                    config.put(i, v.config(i));
                }
            }
        }

        void apply(RegistrarEvent e) {
            if (e instanceof RegistrarEvent.NodeJoined j) {
                nodes.add(j.node());
            } else if (e instanceof RegistrarEvent.NodeLeft l) {
                nodes.remove(l.node());
            } else if (e instanceof RegistrarEvent.ApplicationLoaded l) {
                app(l.name()).put(l.node(), "LOADED/" + l.weight());
            } else if (e instanceof RegistrarEvent.ApplicationStarted s) {
                app(s.name()).put(s.node(), "RUNNING/" + s.weight());
            } else if (e instanceof RegistrarEvent.ApplicationStopping s) {
                app(s.name()).compute(s.node(), (k, v) -> "STOPPING/" + weight(v));
            } else if (e instanceof RegistrarEvent.ApplicationStopped s) {
                app(s.name()).compute(s.node(), (k, v) -> "LOADED/" + weight(v));
            } else if (e instanceof RegistrarEvent.ApplicationWeight w) {
                app(w.name()).compute(w.node(), (k, v) -> v.substring(0, v.indexOf('/') + 1) + w.weight());
            } else if (e instanceof RegistrarEvent.ApplicationUnloaded u) {
                app(u.name()).remove(u.node());
                if (apps.get(u.name()).isEmpty()) {
                    apps.remove(u.name());
                }
            } else if (e instanceof RegistrarEvent.ConfigUpdate c) {
                if (c.value() == null) {
                    config.remove(c.item());
                } else {
                    config.put(c.item(), c.value());
                }
            }
        }

        private Map<String, String> app(String name) {
            return apps.computeIfAbsent(name, k -> new TreeMap<>());
        }

        private static String weight(String v) {
            return v == null ? "?" : v.substring(v.indexOf('/') + 1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Listener l && nodes.equals(l.nodes) && apps.equals(l.apps) && config.equals(l.config);
        }

        @Override
        public int hashCode() {
            return nodes.hashCode();
        }

        @Override
        public String toString() {
            return "nodes " + nodes + " apps " + apps + " config " + config;
        }
    }

    private static ClusterView view() {
        return new ClusterView(KEYS, SELF, why -> {});
    }

    @Property(tries = 500)
    void theEventsOfAResyncTakeAListenerFromTheOldViewToTheNew(
            @ForAll("snapshots") Map<String, String> before, @ForAll("snapshots") Map<String, String> after) {
        ClusterView v = view();
        v.replace(before);
        Listener listener = new Listener(v);
        for (RegistrarEvent e : v.replace(after)) {
            listener.apply(e);
        }
        ClusterView fresh = view();
        fresh.replace(after);
        assertThat(listener).isEqualTo(new Listener(fresh));
        assertThat(new Listener(v)).isEqualTo(new Listener(fresh));
    }

    /** What the registrar compares with the node's state: this node's keys exactly as etcd holds them, bad or not. */
    @Property(tries = 300)
    void theMirrorKnowsThisNodesOwnKeysAsEtcdHoldsThem(
            @ForAll("snapshots") Map<String, String> before, @ForAll("snapshots") Map<String, String> after) {
        ClusterView v = view();
        before.put(KEYS.application("api", SELF), "not a route"); // malformed: in no other map, yet ours
        v.replace(before);
        v.replace(after);
        Map<String, String> own = new TreeMap<>();
        after.forEach((k, value) -> {
            if (k.equals(KEYS.node(SELF))
                    || k.equals(KEYS.meta(SELF))
                    || k.endsWith("/" + SELF) && k.startsWith(KEYS.applications)) {
                own.put(k, value);
            }
        });
        assertThat(v.own()).isEqualTo(own);
        assertThat(v.isOwn(KEYS.node("n1@h"))).isFalse();
        assertThat(v.isOwn(KEYS.application("api", "n1@h"))).isFalse();
        assertThat(v.isOwn(KEYS.config + SELF + "/pool")).isFalse();
    }

    @Property(tries = 300)
    void keyByKeyOrAllAtOnceTheMirrorEndsTheSame(@ForAll("snapshots") Map<String, String> changes) {
        ClusterView byKey = view();
        Listener listener = new Listener(byKey);
        Map<String, String> state = new HashMap<>();
        for (Map.Entry<String, String> e : changes.entrySet()) {
            state.put(e.getKey(), e.getValue());
            byKey.apply(e.getKey(), e.getValue()).forEach(listener::apply);
        }
        ClusterView whole = view();
        whole.replace(state);
        assertThat(new Listener(byKey)).isEqualTo(new Listener(whole));
        assertThat(listener).isEqualTo(new Listener(whole));
    }
}
