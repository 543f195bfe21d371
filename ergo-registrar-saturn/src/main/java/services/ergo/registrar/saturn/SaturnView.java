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
import services.ergo.saturn.protocol.ConfigEntry;
import services.ergo.saturn.protocol.NodeEntry;

/**
 * A client's copy of its cluster, fed with changes (deltas) or whole views (snapshots); either way it returns
 * what changed as {@link RegistrarEvent}s, so a snapshot after a reconnect still tells a listener what the gap
 * hid. Not thread-safe: the registrar calls it under its lock.
 */
final class SaturnView {
    private final TreeMap<String, NodeEntry> nodes = new TreeMap<>();
    private final Map<String, TreeMap<String, ApplicationRoute>> applications = new TreeMap<>();
    /** Raw configuration that can apply to this node, by scope and item ({@code scope + '\0' + item}). */
    private final Map<String, String> configRaw = new TreeMap<>();
    /** The effective, typed value of each item for this node. */
    private final Map<String, Object> config = new TreeMap<>();

    private String self = "";
    private String selfShort = "";
    private java.util.function.Consumer<String> badValue = why -> {};

    /** Whose configuration this view keeps (set once, at registration), and where a malformed value is told. */
    void self(String name, java.util.function.Consumer<String> bad) {
        self = name;
        int at = name.indexOf('@');
        selfShort = at < 0 ? name : name.substring(0, at);
        badValue = bad;
    }

    @Nullable
    Object config(String item) {
        return config.get(item);
    }

    Map<String, Object> configAll() {
        return new TreeMap<>(config);
    }

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
        if (change instanceof Change.Config c) {
            List<RegistrarEvent> events = new ArrayList<>();
            configure(c.scope(), c.item(), c.value(), events);
            return events;
        }
        return remove(change.name());
    }

    List<RegistrarEvent> replace(Collection<NodeEntry> view, Collection<ConfigEntry> configuration) {
        List<RegistrarEvent> events = new ArrayList<>();
        Set<String> present = new HashSet<>();
        configuration.forEach(c -> present.add(c.scope() + '\0' + c.item()));
        for (String key : List.copyOf(configRaw.keySet())) {
            if (!present.contains(key)) {
                int zero = key.indexOf('\0');
                configure(key.substring(0, zero), key.substring(zero + 1), null, events);
            }
        }
        configuration.forEach(c -> configure(c.scope(), c.item(), c.value(), events));
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

    /** One item at one scope set or removed; tells a {@code ConfigUpdate} when this node's value changed. */
    private void configure(String scope, String item, @Nullable String value, List<RegistrarEvent> events) {
        if (!scope.isEmpty() && !scope.equals("*") && !scope.equals(self) && !scope.equals(selfShort)) {
            return; // another node's
        }
        String key = scope + '\0' + item;
        if (value == null) {
            configRaw.remove(key);
        } else {
            configRaw.put(key, value);
        }
        Object now = null;
        for (String level : List.of(self, selfShort, "*", "")) {
            String raw = configRaw.get(level + '\0' + item);
            if (raw == null) {
                continue;
            }
            try {
                now = typed(raw);
                break;
            } catch (IllegalArgumentException e) {
                badValue.accept("config " + item + " at '" + level + "': " + e.getMessage()
                        + "; ignored, the next level applies");
            }
        }
        Object before = now == null ? config.remove(item) : config.put(item, now);
        if (!java.util.Objects.equals(before, now)) {
            events.add(new RegistrarEvent.ConfigUpdate(item, now));
        }
    }

    /** {@code int:20} → 20L, {@code float:1.5} → 1.5, {@code bool:true} → true, {@code string:x} or else → x. */
    static Object typed(String raw) {
        int colon = raw.indexOf(':');
        String type = colon < 0 ? "" : raw.substring(0, colon);
        String value = colon < 0 ? raw : raw.substring(colon + 1);
        try {
            switch (type) {
                case "int":
                    return Long.parseLong(value.trim());
                case "float":
                    return Double.parseDouble(value.trim());
                case "bool":
                    if (!value.trim().equals("true") && !value.trim().equals("false")) {
                        throw new IllegalArgumentException("'" + value + "' is not true or false");
                    }
                    return Boolean.parseBoolean(value.trim());
                case "string":
                    return value;
                default:
                    return raw;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a " + type);
        }
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
            RegistrarEvent.applicationChanges(app, entry.name(), previous, route, events);
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
}
