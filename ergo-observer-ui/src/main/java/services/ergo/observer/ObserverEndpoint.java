package services.ergo.observer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Network;
import services.ergo.gen.Node;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.ProcessId;
import services.ergo.inspect.Inspector;

/**
 * The Observer's data: {@code /actuator/observer} lists the nodes it can show; {@code
 * /actuator/observer/{node}/{view}} asks that node's inspector process (over the cluster connection for another
 * node, so its HTTP port is never needed); {@code POST /actuator/observer/{node}/{action}} acts. Being an Actuator
 * endpoint, it follows the Actuator's exposure, paths and, with Spring Security, its access rules; its write
 * operation is there only with {@code management.endpoint.observer.access=unrestricted} (read-only by default), and
 * the node acted on decides again for itself ({@code ergo.inspector.actions-enabled} there).
 *
 * <pre>
 * management.endpoints.web.exposure.include: observer
 * management.endpoint.observer.access: unrestricted
 * curl -X POST -H 'Content-Type: application/json' -H 'X-Ergo-Observer: 1' -d '{"id":1042}' \
 *      localhost:8080/actuator/observer/billing@host1/kill
 * </pre>
 *
 * <p>{@code {node}} must be a node this node knows (itself, a connected node, or one its registrar lists): any
 * other name is a 404, never a resolve or a dial.
 */
@WebEndpoint(id = "observer", defaultAccess = Access.READ_ONLY)
public class ObserverEndpoint {
    private static final Set<String> VIEWS = Set.of("node", "processes", "process", "logs");
    private static final Set<String> ACTIONS = Set.of("send", "exit", "kill", "application");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Node node;
    private final boolean writable;

    /**
     * @param writable whether the Actuator grants this endpoint's write operation here (its access is
     *     {@code unrestricted}), so the page can say so before it tries
     */
    public ObserverEndpoint(Node node, boolean writable) {
        this.node = node;
        this.writable = writable;
    }

    @ReadOperation
    public Map<String, Object> overview() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("self", node.name());
        m.put("nodes", new ArrayList<>(known()));
        m.put("actionsEnabled", writable);
        return m;
    }

    /** This node, the connected ones and those its registrar lists: the only names a request may target. */
    private Set<String> known() {
        Set<String> nodes = new LinkedHashSet<>();
        nodes.add(node.name());
        try {
            Network network = node.network();
            nodes.addAll(network.nodes());
            nodes.addAll(network.registrar().nodes());
        } catch (NotAllowedException off) {
            // one node to show
        } catch (RuntimeException registrarDown) {
            // the connected ones still count
            try {
                nodes.addAll(node.network().nodes());
            } catch (RuntimeException ignored) {
                // this node alone
            }
        }
        return nodes;
    }

    @ReadOperation
    public WebEndpointResponse<Object> view(
            @Selector String target,
            @Selector String view,
            @Nullable String sort,
            @Nullable Boolean desc,
            @Nullable String filter,
            @Nullable String application,
            @Nullable String state,
            @Nullable Integer offset,
            @Nullable Integer limit,
            @Nullable Long id,
            @Nullable Long after,
            @Nullable String level,
            @Nullable String text) {
        if (!VIEWS.contains(view)) {
            return error(404, "no view '" + view + "'; views: " + VIEWS);
        }
        Map<String, Object> request = new HashMap<>();
        request.put("op", view);
        put(request, "sort", sort);
        put(request, "desc", desc == null ? null : desc.toString());
        put(request, "filter", filter);
        put(request, "application", application);
        put(request, "state", state);
        put(request, "offset", offset == null ? null : offset.longValue());
        put(request, "limit", limit == null ? null : limit.longValue());
        put(request, "id", id);
        put(request, "after", after);
        put(request, "level", level);
        put(request, "text", text);
        return ask(target, request);
    }

    @WriteOperation
    public WebEndpointResponse<Object> act(
            @Selector String target,
            @Selector String action,
            @Nullable Long id,
            @Nullable String message,
            @Nullable String reason,
            @Nullable String name,
            @Nullable Integer weight,
            @Nullable String applicationAction) {
        if (!ACTIONS.contains(action)) {
            return error(404, "no action '" + action + "'; actions: " + ACTIONS);
        }
        Map<String, Object> request = new HashMap<>();
        request.put("op", action);
        put(request, "id", id);
        put(request, "message", message);
        put(request, "reason", reason);
        put(request, "name", name);
        put(request, "weight", weight == null ? null : weight.longValue());
        put(request, "action", applicationAction);
        return ask(target, request);
    }

    private WebEndpointResponse<Object> ask(String target, Map<String, Object> request) {
        if (!known().contains(target)) {
            // never resolve or dial a name an HTTP caller made up (review L7)
            return error(404, "no known node '" + target + "'");
        }
        try {
            Object answer = node.call(new ProcessId(Inspector.NAME, target), request, TIMEOUT);
            return new WebEndpointResponse<>(answer, 200);
        } catch (IllegalArgumentException bad) {
            return error(400, bad.getMessage());
        } catch (NotAllowedException refused) {
            return error(403, "node " + target + ": " + refused.getMessage());
        } catch (ErgoException failed) {
            return error(502, "node " + target + ": " + failed.getMessage());
        }
    }

    private static void put(Map<String, Object> request, String key, Object value) {
        if (value != null) {
            request.put(key, value);
        }
    }

    private static WebEndpointResponse<Object> error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return new WebEndpointResponse<>(body, status);
    }
}
