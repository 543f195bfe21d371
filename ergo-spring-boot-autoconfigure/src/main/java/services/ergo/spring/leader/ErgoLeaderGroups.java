package services.ergo.spring.leader;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import services.ergo.gen.ProcessState;
import services.ergo.leader.LeaderActor;
import services.ergo.leader.LeaderOptions;
import services.ergo.leader.LeaderStatus;

/**
 * The leader groups configured under {@code ergo.leader.groups.<cluster-id>}, for leader actors declared as beans,
 * and the live members on this node, for the health check and the endpoint.
 *
 * <pre>{@code
 * @ErgoActor(name = "scheduler")
 * public class Scheduler extends LeaderActor {
 *     private final ErgoLeaderGroups groups;
 *
 *     public Scheduler(ErgoLeaderGroups groups) {
 *         this.groups = groups;
 *     }
 *
 *     @Override
 *     protected LeaderOptions initLeader(Object... args) {
 *         return groups.options("schedulers");
 *     }
 *
 *     @Override
 *     protected void handleBecomeLeader() {
 *         // start what exactly one instance in the cluster may do
 *     }
 * }
 * }</pre>
 *
 * <pre>
 * ergo.leader.groups.schedulers.peers: scheduler@node1, scheduler@node2, scheduler@node3
 * </pre>
 */
public final class ErgoLeaderGroups {
    private final Map<String, LeaderOptions> groups;
    private final List<WeakReference<LeaderActor>> members = new CopyOnWriteArrayList<>();

    public ErgoLeaderGroups(Map<String, LeaderOptions> groups) {
        this.groups = Map.copyOf(groups);
    }

    /**
     * The options of group {@code clusterId}.
     *
     * @throws IllegalStateException naming the property to set when the group is not configured
     */
    public LeaderOptions options(String clusterId) {
        LeaderOptions o = groups.get(clusterId);
        if (o == null) {
            throw new IllegalStateException(
                    "leader group '" + clusterId + "' is not configured: set ergo.leader.groups." + clusterId
                            + ".peers (configured groups: " + groups.keySet() + ")");
        }
        return o;
    }

    /**
     * One member's view as the health check, the {@code ergoleader} endpoint and the Observer show it: member,
     * inGroup, term, leader ({@code unknown} while none is known), leading, members.
     */
    public static Map<String, Object> describe(LeaderStatus s) {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("member", s.self());
        d.put("inGroup", s.member());
        d.put("term", s.term());
        d.put("leader", s.leader() == null ? "unknown" : s.leader());
        d.put("leading", s.leading());
        d.put("members", s.members());
        return d;
    }

    public Map<String, LeaderOptions> groups() {
        return groups;
    }

    /** Remembers a leader actor instance; it is forgotten when its process ends. */
    public void track(LeaderActor actor) {
        members.add(new WeakReference<>(actor));
    }

    /** The view of every live leader actor on this node. */
    public List<LeaderStatus> statuses() {
        List<LeaderStatus> out = new ArrayList<>();
        for (WeakReference<LeaderActor> ref : members) {
            LeaderActor actor = ref.get();
            if (actor == null || !alive(actor)) {
                members.remove(ref);
                continue;
            }
            LeaderStatus s = actor.status();
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static boolean alive(LeaderActor actor) {
        try {
            return actor.state() != ProcessState.TERMINATED;
        } catch (RuntimeException notStarted) {
            return true; // made for a spawn that has not run yet
        }
    }
}
