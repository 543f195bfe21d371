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
import services.ergo.gen.Node;
import services.ergo.inspect.NodeSnapshot;

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
        if (!node.isAlive()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", node.name());
            n.put("alive", false);
            return n;
        }
        Map<String, Object> n = NodeSnapshot.totals(node);
        n.put("alive", true);
        return n;
    }

    private static Map<String, Object> application(ApplicationInfo app) {
        return NodeSnapshot.application(app);
    }

    private Map<String, Object> network() {
        if (!node.isAlive()) {
            return new LinkedHashMap<>(Map.of("enabled", false));
        }
        return NodeSnapshot.network(node);
    }
}
