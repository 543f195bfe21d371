package services.ergo.registrar.etcd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.ApplicationRoute;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.RegistrarEvent;

/**
 * The in-memory mirror of one cluster in etcd: nodes, application routes, and the configuration that applies to
 * this node. Resolves answer from here, never from etcd. Fed with single key changes (from the watch) or whole
 * snapshots (at start and after an outage); either way it reports what changed as {@link RegistrarEvent}s, so
 * a re-sync after an outage reports what the outage hid. Not thread-safe: the registrar calls it under its lock.
 */
final class ClusterView {
    private final EtcdKeys keys;
    private final String self;
    private final String selfShort;
    private final Consumer<String> badValue;

    private final Map<String, NetworkRoute> nodes = new TreeMap<>();
    private final Map<String, Map<String, ApplicationRoute>> applications = new TreeMap<>();
    private final Map<String, Map<String, String>> meta = new TreeMap<>();
    /** Raw configuration values by etcd key, for the three levels that can apply to this node. */
    private final Map<String, String> configRaw = new HashMap<>();
    /** The effective, typed value of each item for this node. */
    private final Map<String, Object> config = new TreeMap<>();
    /**
     * This node's own keys (its route, its metadata, its application routes) as etcd holds them, raw: what the
     * registrar compares with what the node holds, to put back what an outage lost or someone deleted.
     */
    private final Map<String, String> own = new TreeMap<>();

    ClusterView(EtcdKeys keys, String self, Consumer<String> badValue) {
        this.keys = keys;
        this.self = self;
        this.selfShort = self.substring(0, self.indexOf('@'));
        this.badValue = badValue;
    }

    // ------------------------------------------------------------------ reading

    @Nullable
    NetworkRoute node(String name) {
        return nodes.get(name);
    }

    List<String> nodes() {
        return List.copyOf(nodes.keySet());
    }

    List<ApplicationRoute> application(String name) {
        Map<String, ApplicationRoute> routes = applications.get(name);
        return routes == null ? List.of() : List.copyOf(routes.values());
    }

    @Nullable
    Object config(String item) {
        return config.get(item);
    }

    Map<String, Object> configAll() {
        return new TreeMap<>(config);
    }

    List<String> applicationNames() {
        return List.copyOf(applications.keySet());
    }

    Map<String, String> meta(String node) {
        Map<String, String> m = meta.get(node);
        return m == null ? Map.of() : m;
    }

    /** This node's own keys and their values, as last seen in etcd. */
    Map<String, String> own() {
        return new TreeMap<>(own);
    }

    /** Whether {@code key} is one this node writes: its route, its metadata or one of its application routes. */
    boolean isOwn(String key) {
        if (key.equals(keys.node(self)) || key.equals(keys.meta(self))) {
            return true;
        }
        if (!key.startsWith(keys.applications)) {
            return false;
        }
        String rest = key.substring(keys.applications.length());
        int slash = rest.indexOf('/');
        return slash > 0 && rest.substring(slash + 1).equals(self);
    }

    static String formatMeta(Map<String, String> metadata) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(metadata).forEach((k, v) -> {
            if (k.contains("=") || k.contains(";") || v.contains(";")) {
                throw new IllegalArgumentException(
                        "node metadata keys and values cannot hold ';' (or '=' in a key): " + k + "=" + v);
            }
            b.append(b.length() == 0 ? "" : ";").append(k).append('=').append(v);
        });
        return b.toString();
    }

    private static Map<String, String> parseMeta(String value) {
        Map<String, String> m = new TreeMap<>();
        for (String pair : value.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return Map.copyOf(m);
    }

    // ------------------------------------------------------------------ changing

    /** One key changed ({@code value} null when deleted); returns what that means. */
    List<RegistrarEvent> apply(String key, @Nullable String value) {
        List<RegistrarEvent> events = new ArrayList<>();
        if (isOwn(key)) {
            if (value == null) {
                own.remove(key);
            } else {
                own.put(key, value);
            }
        }
        if (key.startsWith(keys.nodes)) {
            String name = key.substring(keys.nodes.length());
            NetworkRoute route = value == null ? null : parseRoute(name, value);
            NetworkRoute before = route == null ? nodes.remove(name) : nodes.put(name, route);
            if (before == null && route != null) {
                events.add(new RegistrarEvent.NodeJoined(name));
            } else if (before != null && route == null) {
                events.add(new RegistrarEvent.NodeLeft(name));
            }
        } else if (key.startsWith(keys.meta)) {
            String name = key.substring(keys.meta.length());
            if (value == null) {
                meta.remove(name);
            } else {
                meta.put(name, parseMeta(value));
            }
        } else if (key.startsWith(keys.applications)) {
            String rest = key.substring(keys.applications.length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                return events;
            }
            String app = rest.substring(0, slash);
            String node = rest.substring(slash + 1);
            ApplicationRoute route = value == null ? null : parseApplication(app, node, value);
            Map<String, ApplicationRoute> routes = applications.computeIfAbsent(app, a -> new TreeMap<>());
            ApplicationRoute before = route == null ? routes.remove(node) : routes.put(node, route);
            if (routes.isEmpty()) {
                applications.remove(app);
            }
            RegistrarEvent.applicationChanges(app, node, before, route, events);
        } else if (appliesToMe(key)) {
            if (value == null) {
                configRaw.remove(key);
            } else {
                configRaw.put(key, value);
            }
            recomputeConfig(itemOf(key), events);
        }
        return events;
    }

    /** Replaces everything with {@code snapshot} (key → value); returns the differences as events. */
    List<RegistrarEvent> replace(Map<String, String> snapshot) {
        List<RegistrarEvent> events = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (String n : nodes.keySet()) {
            present.add(keys.node(n));
        }
        applications.forEach((app, routes) -> routes.keySet().forEach(n -> present.add(keys.application(app, n))));
        meta.keySet().forEach(n -> present.add(keys.meta(n)));
        present.addAll(configRaw.keySet());
        present.addAll(own.keySet()); // a malformed own value is in no other map, and must go too
        for (String key : present) {
            if (!snapshot.containsKey(key)) {
                events.addAll(apply(key, null));
            }
        }
        for (Map.Entry<String, String> e : new LinkedHashMap<>(snapshot).entrySet()) {
            events.addAll(apply(e.getKey(), e.getValue()));
        }
        return events;
    }

    // ------------------------------------------------------------------ configuration

    private boolean appliesToMe(String key) {
        if (key.startsWith(EtcdKeys.GLOBAL_CONFIG)) {
            return key.length() > EtcdKeys.GLOBAL_CONFIG.length();
        }
        if (!key.startsWith(keys.config)) {
            return false;
        }
        String rest = key.substring(keys.config.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return false;
        }
        String who = rest.substring(0, slash);
        return who.equals("*") || who.equals(self) || who.equals(selfShort);
    }

    private String itemOf(String key) {
        if (key.startsWith(EtcdKeys.GLOBAL_CONFIG)) {
            return key.substring(EtcdKeys.GLOBAL_CONFIG.length());
        }
        String rest = key.substring(keys.config.length());
        return rest.substring(rest.indexOf('/') + 1);
    }

    /** Most specific first: this node by full name, by short name, the cluster (*), then global. */
    private void recomputeConfig(String item, List<RegistrarEvent> events) {
        Object value = null;
        for (String key : List.of(
                keys.config + self + "/" + item,
                keys.config + selfShort + "/" + item,
                keys.config + "*/" + item,
                EtcdKeys.GLOBAL_CONFIG + item)) {
            String raw = configRaw.get(key);
            if (raw == null) {
                continue;
            }
            try {
                value = ConfigValues.parse(raw);
                break;
            } catch (IllegalArgumentException e) {
                badValue.accept("config " + key + ": " + e.getMessage() + "; ignored, the next level applies");
            }
        }
        Object before = value == null ? config.remove(item) : config.put(item, value);
        if (!Objects.equals(before, value)) {
            events.add(new RegistrarEvent.ConfigUpdate(item, value));
        }
    }

    // ------------------------------------------------------------------ values

    static String formatRoute(NetworkRoute route) {
        return route.host() + ":" + route.port();
    }

    /** The route {@code value} names; null, and reported, when it is not {@code host:port}. */
    private @Nullable NetworkRoute parseRoute(String node, String value) {
        int colon = value.lastIndexOf(':');
        try {
            return new NetworkRoute(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        } catch (RuntimeException e) {
            badValue.accept("route of node " + node + " is not host:port: '" + value + "'; ignored");
            return null;
        }
    }

    static String formatApplication(int weight, ApplicationMode mode, ApplicationState state) {
        return "weight=" + weight + ";mode=" + mode.name().toLowerCase() + ";state="
                + state.name().toLowerCase();
    }

    /** The route {@code value} describes; null, and reported, when it is malformed. */
    private @Nullable ApplicationRoute parseApplication(String app, String node, String value) {
        try {
            Map<String, String> f = new HashMap<>();
            for (String part : value.split(";")) {
                int eq = part.indexOf('=');
                f.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
            return new ApplicationRoute(
                    node,
                    app,
                    Integer.parseInt(f.get("weight")),
                    ApplicationMode.valueOf(f.get("mode").toUpperCase()),
                    ApplicationState.valueOf(f.get("state").toUpperCase()));
        } catch (RuntimeException e) {
            badValue.accept("route of application " + app + " on " + node + " is malformed: '" + value + "'; ignored");
            return null;
        }
    }
}
