package services.ergo.leader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.InvalidOptionException;
import services.ergo.gen.NodeNames;
import services.ergo.gen.ProcessId;

/**
 * How a leader actor takes part in its election. Defaults ({@link #of}, the {@code DEFAULT_} constants): election
 * timeout drawn from 150–300 ms, a heartbeat every 50 ms, term, vote and membership kept in
 * {@link #defaultStateDirectory()} (a per-user persistent directory, with a warning at start), no discovery, joins
 * accepted, no operator nodes. A refused value throws {@link InvalidOptionException} naming it
 * ({@code heartbeat < electionMin < electionMax}: the first of the pair that is out of order).
 *
 * <pre>{@code
 * // this instance and two others: a fixed group of three
 * LeaderOptions.of("scheduler", ProcessId.parse("scheduler@node2"), ProcessId.parse("scheduler@node3"));
 *
 * // the same list on every node; an instance on a node not listed asks the group to add it
 * LeaderOptions.group("scheduler", List.of(ProcessId.parse("scheduler@node1"), ProcessId.parse("scheduler@node2"),
 *         ProcessId.parse("scheduler@node3")));
 *
 * // and then the members follow the nodes where application "jobs" runs, as the registrar publishes them
 * LeaderOptions.group("scheduler", List.of(ProcessId.parse("scheduler@node1")))
 *         .withDiscovery("jobs", Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>The peers are the group's <em>first</em> membership. Once the group has changed it at run time (a member
 * joined or was removed), each member keeps the membership it holds with its term and vote, and that wins over the
 * peers given here when it restarts; to start a group afresh, clear {@link #stateDirectory}.
 *
 * <p>Who may change the membership: the group's members (and the nodes listed in {@code peers}), processes of this
 * node (the {@code ergoleader} endpoint among them), and the {@link #operators} nodes; any other node may only ask
 * to join, with its own member, and only while {@link #acceptJoins} holds.
 *
 * <pre>{@code
 * // a fixed group that takes no newcomers, changed from the ops node only
 * LeaderOptions.group("scheduler", members).withAcceptJoins(false).withOperators(List.of("ops@admin1"));
 * }</pre>
 *
 * @param clusterId the election's name; messages of other elections are not this one's
 * @param peers the first membership: with {@code join} false, the other members (this instance being one); with
 *     {@code join} true, every member, the same list on each node
 * @param electionMin shortest election timeout
 * @param electionMax longest election timeout (exclusive)
 * @param heartbeat how often a leader tells the others it leads
 * @param stateDirectory where term, vote and membership are kept, so a restarted member never votes twice in a term
 * @param join whether an instance missing from {@code peers} joins the group by asking its members (and counts in
 *     no quorum until the leader has added it), rather than counting itself in
 * @param discoveryApplication when set, the leader adds the instance on each node where this application runs (as
 *     the registrar publishes its routes) and removes members whose node no longer runs it; null for none
 * @param removeAfter how long a member's application must be missing from the registrar before the leader removes
 *     it: a member that restarts within it keeps its place
 * @param acceptJoins whether this member passes on (or, leading, takes) a join request from a node outside the
 *     group, asking to add that node's member; false: the membership changes only on request of a member, of this
 *     node's processes or of an operator node
 * @param operators the nodes, besides the members' and this one, whose {@link MembershipChange} this member takes
 */
public record LeaderOptions(
        String clusterId,
        List<ProcessId> peers,
        Duration electionMin,
        Duration electionMax,
        Duration heartbeat,
        Path stateDirectory,
        boolean join,
        @Nullable String discoveryApplication,
        Duration removeAfter,
        boolean acceptJoins,
        List<String> operators) {

    public static final Duration DEFAULT_ELECTION_MIN = Duration.ofMillis(150);
    public static final Duration DEFAULT_ELECTION_MAX = Duration.ofMillis(300);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofMillis(50);

    /** How long a member may be missing from the registrar before discovery removes it, by default. */
    public static final Duration DEFAULT_REMOVE_AFTER = Duration.ofSeconds(30);

    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    /**
     * Where term, vote and membership are kept unless {@link #withStateDirectory} says otherwise: the XDG base
     * directory for state that outlives a restart, {@code $XDG_STATE_HOME/ergo/leader}, or
     * {@code ~/.local/state/ergo/leader} when that variable is unset or not absolute ({@code %LOCALAPPDATA%\ergo\leader}
     * on Windows). Per user and persistent, unlike the temporary directory, which a reboot or a cleaner empties (a
     * member that lost its vote may vote twice in a term) and where other users may plant files.
     */
    public static Path defaultStateDirectory() {
        return defaultStateDirectory(System.getenv(), System.getProperty("user.home"), System.getProperty("os.name"));
    }

    static Path defaultStateDirectory(java.util.Map<String, String> env, String home, String os) {
        String local = env.get("LOCALAPPDATA");
        if (os != null && os.startsWith("Windows") && local != null && !local.isBlank()) {
            return Path.of(local, "ergo", "leader");
        }
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "ergo", "leader");
        }
        return Path.of(home, ".local", "state", "ergo", "leader");
    }

    public LeaderOptions {
        if (clusterId == null || clusterId.isBlank()) {
            throw new InvalidOptionException("clusterId", "a leader election needs a cluster id");
        }
        if (!CLUSTER_ID.matcher(clusterId).matches() || clusterId.equals(".") || clusterId.equals("..")) {
            // it names the group's directory under the state directory
            throw new InvalidOptionException(
                    "clusterId",
                    "a cluster id is letters, digits and _ . - (at most 128), got '" + NodeNames.printable(clusterId)
                            + "'");
        }
        if (peers == null) {
            throw new InvalidOptionException("peers", "peers must not be null (none: an empty list)");
        }
        peers = List.copyOf(peers);
        for (ProcessId p : peers) {
            if (!MemberNames.isValid(p.toString())) {
                throw new InvalidOptionException(
                        "peers",
                        "a peer is name@node (the name of letters, digits and _ . + $ -, the node a node name), got '"
                                + NodeNames.printable(p.toString()) + "'");
            }
        }
        if (stateDirectory == null) {
            throw new InvalidOptionException("stateDirectory", "stateDirectory must be set");
        }
        if (operators == null) {
            throw new InvalidOptionException("operators", "operators must not be null (none: an empty list)");
        }
        operators = List.copyOf(operators);
        for (String o : operators) {
            if (!NodeNames.isValid(o)) {
                throw new InvalidOptionException(
                        "operators",
                        "an operator is a node name, name@host, got '" + (o == null ? null : NodeNames.printable(o))
                                + "'");
            }
        }
        if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new InvalidOptionException("heartbeat", "heartbeat must be > 0, got " + heartbeat);
        }
        if (electionMin == null) {
            throw new InvalidOptionException("electionMin", "electionMin must be set");
        }
        if (electionMax == null) {
            throw new InvalidOptionException("electionMax", "electionMax must be set");
        }
        if (heartbeat.compareTo(electionMin) >= 0) {
            throw new InvalidOptionException(
                    "heartbeat",
                    "heartbeat must be shorter than electionMin, got " + heartbeat + " and " + electionMin);
        }
        if (electionMin.compareTo(electionMax) >= 0) {
            throw new InvalidOptionException(
                    "electionMin",
                    "electionMin must be shorter than electionMax, got " + electionMin + " and " + electionMax);
        }
        if (join && peers.isEmpty()) {
            throw new InvalidOptionException(
                    "peers",
                    "a joining member needs the group's members to ask; the group '" + clusterId + "' has none");
        }
        if (discoveryApplication != null && discoveryApplication.isBlank()) {
            throw new InvalidOptionException("discoveryApplication", "discovery needs an application name");
        }
        if (removeAfter == null || removeAfter.isNegative()) {
            throw new InvalidOptionException("removeAfter", "removeAfter must be 0 or longer, got " + removeAfter);
        }
    }

    /** A group of this instance and {@code peers}. */
    public static LeaderOptions of(String clusterId, ProcessId... peers) {
        return new LeaderOptions(
                clusterId,
                List.of(peers),
                DEFAULT_ELECTION_MIN,
                DEFAULT_ELECTION_MAX,
                DEFAULT_HEARTBEAT,
                defaultStateDirectory(),
                false,
                null,
                DEFAULT_REMOVE_AFTER,
                true,
                List.of());
    }

    /**
     * A group that starts with {@code members}, the same list on every node: an instance among them is a member
     * from the start, any other asks them to be added.
     */
    public static LeaderOptions group(String clusterId, List<ProcessId> members) {
        return of(clusterId, members.toArray(ProcessId[]::new)).withJoin(true);
    }

    public LeaderOptions withStateDirectory(Path value) {
        return new LeaderOptions(
                clusterId,
                peers,
                electionMin,
                electionMax,
                heartbeat,
                value,
                join,
                discoveryApplication,
                removeAfter,
                acceptJoins,
                operators);
    }

    public LeaderOptions withTimeouts(Duration min, Duration max, Duration beat) {
        return new LeaderOptions(
                clusterId,
                peers,
                min,
                max,
                beat,
                stateDirectory,
                join,
                discoveryApplication,
                removeAfter,
                acceptJoins,
                operators);
    }

    public LeaderOptions withJoin(boolean value) {
        return new LeaderOptions(
                clusterId,
                peers,
                electionMin,
                electionMax,
                heartbeat,
                stateDirectory,
                value,
                discoveryApplication,
                removeAfter,
                acceptJoins,
                operators);
    }

    /** Members follow the nodes running {@code application}; one missing for {@code missingFor} is removed. */
    public LeaderOptions withDiscovery(String application, Duration missingFor) {
        return new LeaderOptions(
                clusterId,
                peers,
                electionMin,
                electionMax,
                heartbeat,
                stateDirectory,
                join,
                application,
                missingFor,
                acceptJoins,
                operators);
    }

    /**
     * Whether this member takes join requests from nodes outside the group (true by default: a service that runs
     * the group's actor and is not listed joins).
     *
     * <pre>{@code
     * LeaderOptions.group("scheduler", members).withAcceptJoins(false); // only members and operators add members
     * }</pre>
     */
    public LeaderOptions withAcceptJoins(boolean value) {
        return new LeaderOptions(
                clusterId,
                peers,
                electionMin,
                electionMax,
                heartbeat,
                stateDirectory,
                join,
                discoveryApplication,
                removeAfter,
                value,
                operators);
    }

    /**
     * The nodes, besides the members' and this one, that may add and remove members ({@link MembershipChange}).
     *
     * <pre>{@code
     * LeaderOptions.group("scheduler", members).withOperators(List.of("ops@admin1"));
     * }</pre>
     */
    public LeaderOptions withOperators(List<String> nodes) {
        return new LeaderOptions(
                clusterId,
                peers,
                electionMin,
                electionMax,
                heartbeat,
                stateDirectory,
                join,
                discoveryApplication,
                removeAfter,
                acceptJoins,
                nodes);
    }
}
