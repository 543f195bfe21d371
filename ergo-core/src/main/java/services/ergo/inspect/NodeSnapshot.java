package services.ergo.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import services.ergo.gen.ApplicationInfo;
import services.ergo.gen.Network;
import services.ergo.gen.NetworkStats;
import services.ergo.gen.Node;
import services.ergo.gen.NodeInfo;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.RegistrarInfo;

/**
 * A node, its applications and its connections as plain maps of strings, numbers and booleans: what the inspector
 * sends over the cluster connection and the Spring starter's {@code ergo} endpoint renders as JSON, in one shape.
 *
 * <pre>{@code
 * Map<String, Object> totals = NodeSnapshot.totals(node);     // {name=a@localhost, creation=…, processesTotal=12, …}
 * Map<String, Object> network = NodeSnapshot.network(node);   // {enabled=true, acceptor=localhost:11144, …}
 * }</pre>
 */
public final class NodeSnapshot {
    private NodeSnapshot() {}

    /** The node's totals ({@link NodeInfo}), by name. */
    public static Map<String, Object> totals(Node node) {
        NodeInfo info = node.info();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", node.name());
        m.put("creation", info.creation());
        m.put("uptimeMillis", info.uptimeMillis());
        m.put("processesTotal", info.processesTotal());
        m.put("processesRunning", info.processesRunning());
        m.put("processesSpawned", info.processesSpawned());
        m.put("processesTerminated", info.processesTerminated());
        m.put("applicationsTotal", info.applicationsTotal());
        m.put("applicationsRunning", info.applicationsRunning());
        m.put("schedulerThreads", (long) info.schedulerThreads());
        m.put("memoryUsedBytes", info.memoryUsedBytes());
        m.put("memoryAllocBytes", info.memoryAllocBytes());
        m.put("sendErrors", info.sendErrors());
        m.put("callErrors", info.callErrors());
        return m;
    }

    /** One application: name, description, weight, mode, state, processes, uptimeMillis, depends. */
    public static Map<String, Object> application(ApplicationInfo a) {
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("name", a.name());
        app.put("description", a.description());
        app.put("weight", (long) a.weight());
        app.put("mode", a.mode().name().toLowerCase(Locale.ROOT));
        app.put("state", a.state().name().toLowerCase(Locale.ROOT));
        app.put("processes", (long) a.group().size());
        app.put("uptimeMillis", a.uptimeMillis());
        app.put("depends", new ArrayList<Object>(a.depends()));
        return app;
    }

    /**
     * What a registrar can do, by capability: {@code applications}, {@code events}, {@code configuration},
     * {@code hiddenNodes}, {@code nodeMetadata}, each true or false (the flags of {@link RegistrarInfo}).
     */
    public static Map<String, Object> registrarCapabilities(RegistrarInfo info) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("applications", info.supportsApplications());
        m.put("events", info.supportsEvents());
        m.put("configuration", info.supportsConfiguration());
        m.put("hiddenNodes", info.supportsHiddenNodes());
        m.put("nodeMetadata", info.supportsNodeMetadata());
        return m;
    }

    /**
     * The acceptor, the registrar (its description, whether it is connected, its {@link #registrarCapabilities
     * capabilities}, its {@link services.ergo.gen.Registrar#status() status} as {@code registrarStatus}, empty
     * when it tells none), and per connected node its counters; {@code enabled=false} without a network.
     */
    public static Map<String, Object> network(Node node) {
        Map<String, Object> m = new LinkedHashMap<>();
        Network network;
        try {
            network = node.network();
        } catch (NotAllowedException off) {
            m.put("enabled", false);
            return m;
        }
        m.put("enabled", true);
        var acceptor = network.acceptor();
        m.put("acceptor", acceptor == null ? "" : acceptor.host() + ":" + acceptor.port());
        RegistrarInfo registrar = network.registrar().info();
        m.put("registrar", registrar.description());
        m.put("registrarConnected", network.registrar().connected());
        m.put("registrarCapabilities", registrarCapabilities(registrar));
        Map<String, Object> status = network.registrar().status();
        m.put("registrarStatus", status == null ? Map.of() : new LinkedHashMap<>(status));
        List<Object> nodes = new ArrayList<>();
        for (String remote : network.nodes()) {
            NetworkStats s = network.stats(remote);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", remote);
            if (s != null) {
                r.put("messagesIn", s.messagesIn());
                r.put("messagesOut", s.messagesOut());
                r.put("bytesIn", s.bytesIn());
                r.put("bytesOut", s.bytesOut());
                r.put("connects", s.connects());
                r.put("disconnects", s.disconnects());
                r.put("handshakeFailures", s.handshakeFailures());
                r.put("outboxFull", s.outboxFull());
                r.put("outboxBytes", s.outboxBytes());
            }
            nodes.add(r);
        }
        m.put("nodes", nodes);
        List<Object> known = new ArrayList<>(network.registrar().nodes());
        m.put("known", known);
        return m;
    }
}
