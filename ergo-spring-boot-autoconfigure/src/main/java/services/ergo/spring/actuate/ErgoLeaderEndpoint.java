package services.ergo.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import services.ergo.gen.Node;
import services.ergo.gen.ProcessId;
import services.ergo.leader.LeaderGroups;
import services.ergo.leader.LeaderStatus;
import services.ergo.leader.MembershipChange;

/**
 * {@code /actuator/ergoleader}: the leader groups with a member on this node, as that member sees them; and, when
 * the endpoint's access is {@code unrestricted} ({@code management.endpoint.ergoleader.access=unrestricted}; it
 * is read-only by default), adding a member to a group or removing one, for instance a node that is gone for good.
 * The request goes from this node to its local member, and a member takes membership changes from its own node:
 * the endpoint needs no entry in the group's {@code operators}; who may call it is the web layer's business.
 *
 * <pre>
 * curl localhost:8080/actuator/ergoleader
 * curl -X POST -H 'Content-Type: application/json' -d '{"remove":"scheduler@node3"}' \
 *     localhost:8080/actuator/ergoleader/schedulers
 * </pre>
 */
@Endpoint(id = "ergoleader", defaultAccess = Access.READ_ONLY)
public class ErgoLeaderEndpoint {
    private final Node node;
    private final LeaderGroups groups;

    public ErgoLeaderEndpoint(Node node, LeaderGroups groups) {
        this.node = node;
        this.groups = groups;
    }

    @ReadOperation
    public Map<String, Object> groups() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (LeaderStatus s : groups.statuses()) {
            out.put(s.clusterId(), LeaderGroups.describe(s));
        }
        return out;
    }

    @ReadOperation
    public @Nullable Map<String, Object> group(@Selector String group) {
        LeaderStatus s = local(group);
        return s == null ? null : LeaderGroups.describe(s); // null: 404
    }

    /**
     * Asks group {@code group} to add ({@code add}) or remove ({@code remove}) a member, given as {@code name@node}:
     * the local member hands the request to the leader, which changes the membership one member at a time. The
     * change is asked for, not done, when this returns: read the group to see it.
     */
    @WriteOperation
    public Map<String, Object> change(@Selector String group, @Nullable String add, @Nullable String remove) {
        if ((add == null) == (remove == null)) {
            throw new InvalidEndpointRequestException(
                    "give exactly one of add or remove, as name@node", "add/remove missing or both given");
        }
        ProcessId peer;
        try {
            peer = ProcessId.parse((add != null ? add : remove).trim());
        } catch (RuntimeException bad) {
            throw new InvalidEndpointRequestException(
                    "a member is name@node, for example scheduler@node1; got " + (add != null ? add : remove),
                    "bad member");
        }
        LeaderStatus s = local(group);
        if (s == null) {
            throw new InvalidEndpointRequestException(
                    "no member of leader group '" + group + "' runs on this node (groups here: " + groups().keySet()
                            + ")",
                    "unknown group");
        }
        node.send(ProcessId.parse(s.self()), new MembershipChange(peer, add != null));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requested", add != null ? "add" : "remove");
        out.put("peer", peer.toString());
        out.put("via", s.self());
        out.put("leader", s.leader() == null ? "unknown" : s.leader());
        return out;
    }

    private @Nullable LeaderStatus local(String group) {
        for (LeaderStatus s : groups.statuses()) {
            if (s.clusterId().equals(group)) {
                return s;
            }
        }
        return null;
    }
}
