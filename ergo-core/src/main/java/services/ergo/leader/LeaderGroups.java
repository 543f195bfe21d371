package services.ergo.leader;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import services.ergo.gen.ProcessState;

/**
 * The leader groups of a node: the options of each group by cluster id, for the leader actors that take part, and
 * the live leader actors on this node, whose views ({@link #statuses()}) a health check, an endpoint or the
 * {@code ergo_inspector} show. The Spring starter makes one from {@code ergo.leader.groups.<cluster-id>} and tracks
 * every leader actor bean it spawns; injected into a leader actor bean, it gives the actor its options.
 *
 * <pre>{@code
 * LeaderGroups groups = new LeaderGroups(Map.of("schedulers",
 *         LeaderOptions.group("schedulers", List.of(ProcessId.parse("scheduler@node1"),
 *                 ProcessId.parse("scheduler@node2"), ProcessId.parse("scheduler@node3")))));
 *
 * public class Scheduler extends LeaderActor {
 *     private final LeaderGroups groups;
 *
 *     public Scheduler(LeaderGroups groups) {
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
 *
 * node.spawnRegister("scheduler", () -> {
 *     Scheduler s = new Scheduler(groups);
 *     groups.track(s);
 *     return s;
 * }, ProcessOptions.defaults());
 * groups.statuses();   // [LeaderStatus[clusterId=schedulers, self=scheduler@node1, term=3, …]]
 * }</pre>
 */
public final class LeaderGroups {
    private final Map<String, LeaderOptions> groups;
    private final Function<String, String> howToConfigure;
    private final List<WeakReference<LeaderActor>> members = new CopyOnWriteArrayList<>();

    /** The groups given, by cluster id. */
    public LeaderGroups(Map<String, LeaderOptions> groups) {
        this(groups, id -> "give its LeaderOptions to LeaderGroups");
    }

    /**
     * The groups given, by cluster id; {@code howToConfigure} tells, for a cluster id, how to configure a group that
     * is missing, for {@link #options}'s error (the starter names the property to set).
     */
    public LeaderGroups(Map<String, LeaderOptions> groups, Function<String, String> howToConfigure) {
        this.groups = Map.copyOf(groups);
        this.howToConfigure = howToConfigure;
    }

    /**
     * The options of group {@code clusterId}.
     *
     * @throws IllegalStateException saying how to configure the group when it is not configured
     */
    public LeaderOptions options(String clusterId) {
        LeaderOptions o = groups.get(clusterId);
        if (o == null) {
            throw new IllegalStateException("leader group '" + clusterId + "' is not configured: "
                    + howToConfigure.apply(clusterId) + " (configured groups: " + groups.keySet() + ")");
        }
        return o;
    }

    /**
     * One member's view as the health check, the {@code ergoleader} endpoint and the Observer show it: member,
     * inGroup, term, leader ({@code unknown} while none is known), leading, members.
     */
    public static Map<String, Object> describe(LeaderStatus s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("member", s.self());
        d.put("inGroup", s.member());
        d.put("term", s.term());
        d.put("leader", s.leader() == null ? "unknown" : s.leader());
        d.put("leading", s.leading());
        d.put("members", s.members());
        return d;
    }

    /** Every configured group, by cluster id. */
    public Map<String, LeaderOptions> groups() {
        return groups;
    }

    /** Remembers a leader actor instance; it is forgotten when its process ends. */
    public void track(LeaderActor actor) {
        members.add(new WeakReference<>(actor));
    }

    /** The view of every live leader actor on this node that was {@linkplain #track tracked}. */
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
