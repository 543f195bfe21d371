package services.ergo.registrar.saturn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.ApplicationRoute;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.RegistrarEvent;
import services.ergo.saturn.protocol.AppEntry;
import services.ergo.saturn.protocol.Change;
import services.ergo.saturn.protocol.NodeEntry;

/**
 * A client's copy of its cluster, fed with changes (deltas) or whole views (snapshots); either way it returns
 * what changed as {@link RegistrarEvent}s, so a snapshot after a reconnect still tells a listener what the gap
 * hid. Not thread-safe: the registrar calls it under its lock.
 */
final class SaturnView {
    private final TreeMap<String, NodeEntry> nodes = new TreeMap<>();
    private final Map<String, TreeMap<String, ApplicationRoute>> applications = new TreeMap<>();

    @Nullable
    NetworkRoute route(String name) {
        NodeEntry e = nodes.get(name);
        return e == null ? null : new NetworkRoute(e.host(), e.port());
    }

    List<String> nodes() {
        return List.copyOf(nodes.keySet());
    }

    Map<String, String> metadata(String name) {
        NodeEntry e = nodes.get(name);
        return e == null ? Map.of() : e.metadata();
    }

    List<ApplicationRoute> application(String name) {
        TreeMap<String, ApplicationRoute> routes = applications.get(name);
        return routes == null ? List.of() : List.copyOf(routes.values());
    }

    List<String> applicationNames() {
        return List.copyOf(applications.keySet());
    }

    /** Every entry, in name order: what a test compares with a newcomer's view. */
    List<NodeEntry> entries() {
        return List.copyOf(nodes.values());
    }

    List<RegistrarEvent> apply(Change change) {
        if (change instanceof Change.Set s) {
            return set(s.entry());
        }
        return remove(change.name());
    }

    List<RegistrarEvent> replace(Collection<NodeEntry> view) {
        List<RegistrarEvent> events = new ArrayList<>();
        Set<String> keep = new HashSet<>();
        view.forEach(e -> keep.add(e.name()));
        for (String name : List.copyOf(nodes.keySet())) {
            if (!keep.contains(name)) {
                events.addAll(remove(name));
            }
        }
        view.forEach(e -> events.addAll(set(e)));
        return events;
    }

    private List<RegistrarEvent> set(NodeEntry entry) {
        List<RegistrarEvent> events = new ArrayList<>();
        NodeEntry before = nodes.put(entry.name(), entry);
        if (before == null) {
            events.add(new RegistrarEvent.NodeJoined(entry.name()));
        }
        Map<String, AppEntry> old = apps(before);
        Map<String, AppEntry> now = apps(entry);
        for (String app : old.keySet()) {
            if (!now.containsKey(app)) {
                unindex(app, entry.name());
                events.add(new RegistrarEvent.ApplicationUnloaded(app, entry.name()));
            }
        }
        now.forEach((app, a) -> {
            ApplicationRoute route = route(entry.name(), a);
            ApplicationRoute previous =
                    applications.computeIfAbsent(app, k -> new TreeMap<>()).put(entry.name(), route);
            applicationEvent(previous, route, app, entry.name(), events);
        });
        return events;
    }

    private List<RegistrarEvent> remove(String name) {
        List<RegistrarEvent> events = new ArrayList<>();
        NodeEntry before = nodes.remove(name);
        if (before == null) {
            return events;
        }
        for (AppEntry a : before.apps()) {
            unindex(a.name(), name);
            events.add(new RegistrarEvent.ApplicationUnloaded(a.name(), name));
        }
        events.add(new RegistrarEvent.NodeLeft(name));
        return events;
    }

    private void unindex(String app, String node) {
        TreeMap<String, ApplicationRoute> routes = applications.get(app);
        if (routes != null) {
            routes.remove(node);
            if (routes.isEmpty()) {
                applications.remove(app);
            }
        }
    }

    private static Map<String, AppEntry> apps(@Nullable NodeEntry e) {
        Map<String, AppEntry> m = new TreeMap<>();
        if (e != null) {
            e.apps().forEach(a -> m.put(a.name(), a));
        }
        return m;
    }

    static ApplicationRoute route(String node, AppEntry a) {
        return new ApplicationRoute(
                node, a.name(), a.weight(), ApplicationMode.values()[a.mode()], ApplicationState.values()[a.state()]);
    }

    static AppEntry entry(String name, int weight, ApplicationMode mode, ApplicationState state) {
        return new AppEntry(name, weight, modeCode(mode), stateCode(state));
    }

    /** The wire's codes (see {@link AppEntry}), spelled out so that reordering the enums cannot change them. */
    private static int modeCode(ApplicationMode mode) {
        return switch (mode) {
            case TEMPORARY -> 0;
            case TRANSIENT -> 1;
            case PERMANENT -> 2;
        };
    }

    private static int stateCode(ApplicationState state) {
        return switch (state) {
            case LOADED -> 0;
            case RUNNING -> 1;
            case STOPPING -> 2;
        };
    }

    /**
     * The events that take a listener from {@code before} to {@code now}, as the etcd registrar tells them:
     * stopping and stopped carry no weight, so a weight that changed with them is told on its own.
     */
    private static void applicationEvent(
            @Nullable ApplicationRoute before,
            ApplicationRoute now,
            String app,
            String node,
            List<RegistrarEvent> events) {
        boolean weightTold = false;
        if (before == null || before.state() != now.state()) {
            switch (now.state()) {
                case RUNNING -> {
                    events.add(new RegistrarEvent.ApplicationStarted(app, node, now.weight(), now.mode()));
                    weightTold = true;
                }
                case STOPPING -> {
                    if (before == null) {
                        events.add(new RegistrarEvent.ApplicationLoaded(app, node, now.weight()));
                        weightTold = true;
                    }
                    events.add(new RegistrarEvent.ApplicationStopping(app, node));
                }
                case LOADED -> {
                    if (before == null) {
                        events.add(new RegistrarEvent.ApplicationLoaded(app, node, now.weight()));
                        weightTold = true;
                    } else {
                        events.add(new RegistrarEvent.ApplicationStopped(app, node));
                    }
                }
            }
        }
        if (!weightTold && before != null && before.weight() != now.weight()) {
            events.add(new RegistrarEvent.ApplicationWeight(app, node, now.weight()));
        }
    }
}
