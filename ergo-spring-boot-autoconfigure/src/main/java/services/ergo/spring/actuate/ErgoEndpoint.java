package services.ergo.spring.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import services.ergo.gen.ApplicationInfo;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.Network;
import services.ergo.gen.NetworkStats;
import services.ergo.gen.Node;
import services.ergo.gen.NodeInfo;
import services.ergo.gen.NotAllowedException;

/**
 * {@code /actuator/ergo}: the node, its applications, its connections and its registrar as JSON; and, when the
 * endpoint's access is {@code unrestricted} ({@code management.endpoint.ergo.access=unrestricted}; it is
 * read-only by default), changing an application's weight or starting and stopping it.
 *
 * <pre>
 * curl localhost:8080/actuator/ergo
 * curl localhost:8080/actuator/ergo/jobs
 * curl -X POST -H 'Content-Type: application/json' -d '{"weight":0}' localhost:8080/actuator/ergo/jobs
 * curl -X POST -H 'Content-Type: application/json' -d '{"action":"stop"}' localhost:8080/actuator/ergo/jobs
 * </pre>
 */
@Endpoint(id = "ergo", defaultAccess = Access.READ_ONLY)
public class ErgoEndpoint {
    private final Node node;

    public ErgoEndpoint(Node node) {
        this.node = node;
    }

    @ReadOperation
    public Map<String, Object> ergo() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("node", node());
        List<Map<String, Object>> apps = new ArrayList<>();
        if (node.isAlive()) {
            for (ApplicationInfo app : node.applications()) {
                apps.add(application(app));
            }
        }
        result.put("applications", apps);
        result.put("network", network());
        return result;
    }

    @ReadOperation
    public @Nullable Map<String, Object> application(@Selector String name) {
        try {
            return application(node.applicationInfo(name));
        } catch (RuntimeException unknown) {
            return null; // 404
        }
    }

    /**
     * Changes an application: {@code weight} sets its weight (0 drains it), {@code action} {@code start} or
     * {@code stop} starts or stops it. Returns the application as it is afterwards.
     */
    @WriteOperation
    public Map<String, Object> updateApplication(
            @Selector String name, @Nullable Integer weight, @Nullable String action) {
        ApplicationInfo before = node.applicationInfo(name);
        if (weight != null) {
            if (weight < 0) {
                throw new IllegalArgumentException("weight must be >= 0, got " + weight);
            }
            node.applicationSetWeight(before.name(), weight);
        }
        if (action != null) {
            switch (action) {
                case "start" -> node.applicationStart(name, ApplicationOptions.defaults());
                case "stop" -> node.applicationStop(name);
                default -> throw new IllegalArgumentException("action is start or stop, got " + action);
            }
        }
        return application(node.applicationInfo(name));
    }

    private Map<String, Object> node() {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("name", node.name());
        n.put("alive", node.isAlive());
        if (node.isAlive()) {
            NodeInfo info = node.info();
            n.put("creation", info.creation());
            n.put("uptimeSeconds", info.uptimeMillis() / 1000);
            n.put("processesTotal", info.processesTotal());
            n.put("processesRunning", info.processesRunning());
            n.put("processesSpawned", info.processesSpawned());
            n.put("processesTerminated", info.processesTerminated());
            n.put("applicationsTotal", info.applicationsTotal());
            n.put("applicationsRunning", info.applicationsRunning());
            n.put("schedulerThreads", info.schedulerThreads());
            n.put("memoryUsedBytes", info.memoryUsedBytes());
            n.put("memoryAllocBytes", info.memoryAllocBytes());
        }
        return n;
    }

    private static Map<String, Object> application(ApplicationInfo app) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", app.name());
        a.put("description", app.description());
        a.put("weight", app.weight());
        a.put("mode", app.mode().name().toLowerCase());
        a.put("state", app.state().name().toLowerCase());
        a.put("uptimeSeconds", app.uptimeMillis() / 1000);
        a.put("processes", app.group().size());
        a.put("depends", app.depends());
        return a;
    }

    private Map<String, Object> network() {
        Map<String, Object> net = new LinkedHashMap<>();
        Network network;
        try {
            network = node.network();
        } catch (NotAllowedException off) {
            net.put("enabled", false);
            return net;
        }
        net.put("enabled", true);
        if (!node.isAlive()) {
            return net;
        }
        var acceptor = network.acceptor();
        net.put("acceptor", acceptor == null ? null : acceptor.host() + ":" + acceptor.port());
        Map<String, Object> registrar = new LinkedHashMap<>();
        registrar.put("info", network.registrar().info());
        registrar.put("connected", network.registrar().connected());
        net.put("registrar", registrar);
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (String remote : network.nodes()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", remote);
            NetworkStats s = network.stats(remote);
            if (s != null) {
                r.put("messagesIn", s.messagesIn());
                r.put("messagesOut", s.messagesOut());
                r.put("bytesIn", s.bytesIn());
                r.put("bytesOut", s.bytesOut());
                r.put("connects", s.connects());
                r.put("disconnects", s.disconnects());
            }
            nodes.add(r);
        }
        net.put("connectedNodes", nodes);
        return net;
    }
}
