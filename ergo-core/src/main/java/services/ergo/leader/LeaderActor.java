package services.ergo.leader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import services.ergo.act.Actor;
import services.ergo.gen.Cancellable;
import services.ergo.gen.ErgoException;
import services.ergo.gen.NodeNames;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;

/**
 * An actor of which exactly one instance in a group leads (the seed's {@code leader.Actor}): extend it, return the
 * election's options from {@link #initLeader}, and act in {@link #handleBecomeLeader}. Spawn each instance under
 * the same registered name on its node; the peers are those names on the other nodes. Ordinary messages and calls
 * work as in any {@link Actor}.
 *
 * <pre>{@code
 * public class Scheduler extends LeaderActor {
 *     protected LeaderOptions initLeader(Object... args) {
 *         return LeaderOptions.of("scheduler", ProcessId.parse("scheduler@node2"), ProcessId.parse("scheduler@node3"));
 *     }
 *
 *     protected void handleBecomeLeader() {
 *         sendAfter(pid(), new RunJobs(), Duration.ofSeconds(1));
 *     }
 * }
 * node.spawnRegister("scheduler", Scheduler::new, ProcessOptions.defaults());
 * }</pre>
 *
 * <p>The group's membership can change while it runs, one member at a time and without a window with two
 * majorities: an instance not among its {@link LeaderOptions#group listed members} joins by asking them,
 * {@link #addPeer} / {@link #removePeer} (or a {@link MembershipChange} message from a member's node, this node or
 * an {@link LeaderOptions#operators operator} node) ask the leader, and {@link LeaderOptions#withDiscovery discovery}
 * lets the registrar decide.
 *
 * <p>A member is the node its messages come from: an election message that names a member of another node, a
 * candidate or leader other than its sender, or comes from a node outside the group moves nothing, and is logged
 * once per node and reason.
 *
 * <p>Messages to a member that cannot be reached are dropped, as the network would; the election copes.
 */
public abstract class LeaderActor extends Actor {
    private static final long START = System.nanoTime();

    /** The timer's message; a stale one (an older timer) is ignored. */
    private record Tick(long generation) {}

    private LeaderOptions options;
    /** Null until {@code init} made it: the queries answer as if no election ran. */
    private @Nullable Election election;

    private String self;
    private @Nullable Cancellable timer;
    private long timerAt = Long.MAX_VALUE;
    private long generation;
    private long lastTerm;

    private volatile @Nullable LeaderStatus status;
    /** The members whose node is connected, as last told through handlePeerJoined / handlePeerLeft. */
    private final Set<String> reachable = new LinkedHashSet<>();

    // ------------------------------------------------------------------ what users implement

    /** The election's options; called once, as the process starts. */
    protected abstract LeaderOptions initLeader(Object... args) throws Exception;

    /** This instance now leads: start what only one instance may do. */
    protected void handleBecomeLeader() throws Exception {}

    /** This instance follows {@code leader}, or no leader is known (null): stop what only a leader does. */
    protected void handleBecomeFollower(@Nullable ProcessId leader) throws Exception {}

    /** The election's term changed; every leadership change comes with a new term. */
    protected void handleTermChanged(long oldTerm, long newTerm) throws Exception {}

    /** A member of the group can be reached now (its node is connected): at start, and after it was lost. */
    protected void handlePeerJoined(ProcessId peer) throws Exception {}

    /** A member of the group cannot be reached any more (its node's connection is gone). */
    protected void handlePeerLeft(ProcessId peer) throws Exception {}

    // ------------------------------------------------------------------ queries

    public final boolean isLeader() {
        return election != null && election.isLeader();
    }

    /** The current leader, this instance included, or empty while none is known. */
    public final Optional<ProcessId> currentLeader() {
        String l = election == null ? null : election.leader();
        return l == null ? Optional.empty() : Optional.of(ProcessId.parse(l));
    }

    public final long term() {
        return election == null ? 0 : election.term();
    }

    /**
     * Asks the group to add {@code peer}: handed to the leader (this instance, or the one it knows), which adds it
     * once the instance answers, one change at a time. False when no leader is known now; ask again later. With
     * {@link LeaderOptions#withDiscovery discovery}, the registrar decides instead.
     *
     * <pre>{@code
     * addPeer(ProcessId.parse("scheduler@node4"));
     * }</pre>
     */
    public final boolean addPeer(ProcessId peer) throws Exception {
        return requestChange(peer, true);
    }

    /**
     * Asks the group to remove {@code peer} (this instance too: the leader removes itself last and hands over). A
     * removed member takes part in no quorum and never leads, until it is added again. False when no leader is
     * known now.
     */
    public final boolean removePeer(ProcessId peer) throws Exception {
        return requestChange(peer, false);
    }

    private boolean requestChange(ProcessId peer, boolean add) throws Exception {
        if (election.role() != Election.Role.LEADER && election.leader() == null) {
            return false;
        }
        apply(election.requestChange(peer.toString(), add, now()));
        return true;
    }

    /** Whether this instance counts in the group now (a joining or removed one does not). */
    public final boolean isMember() {
        return election != null && election.isMember();
    }

    /** The members of the election, this instance included while it is one. */
    public final Set<ProcessId> peers() {
        Set<ProcessId> out = new LinkedHashSet<>();
        if (election != null) {
            election.members().forEach(m -> out.add(ProcessId.parse(m)));
        }
        return out;
    }

    /** The token to attach to writes while leading: empty when this instance does not lead. */
    public final Optional<FencingToken> fencingToken() {
        return isLeader() ? Optional.of(new FencingToken(term(), ProcessId.parse(self))) : Optional.empty();
    }

    /**
     * This member's view of the election, readable from any thread (the other queries are for the actor's own
     * handlers); null before the process has started.
     */
    public final @Nullable LeaderStatus status() {
        return status;
    }

    private void updateStatus() {
        status = new LeaderStatus(
                options.clusterId(),
                self,
                election.term(),
                election.leader(),
                election.isLeader(),
                election.isMember(),
                List.copyOf(election.members()));
    }

    /** Sends {@code message} to the leader; false when none is known now. */
    public final boolean forwardToLeader(Object message) {
        Optional<ProcessId> l = currentLeader();
        if (l.isEmpty()) {
            return false;
        }
        send(l.get(), message);
        return true;
    }

    // ------------------------------------------------------------------ the machinery

    @Override
    protected final void init(Object... args) throws Exception {
        options = initLeader(args);
        String name = name();
        if (name == null) {
            throw new ErgoException("a leader actor is addressed by name: spawn it with spawnRegister");
        }
        self = new ProcessId(name, node().name()).toString();
        Set<String> members = new LinkedHashSet<>();
        if (!options.join()) {
            members.add(self);
        }
        options.peers().forEach(p -> members.add(p.toString()));
        try {
            // in one step: a heartbeat decoded between its own registration and its membership's failed
            node().network().registerTypes(LeaderMessage.WIRE_TYPES);
        } catch (ErgoException networkOff) {
            // a group on one node needs no wire
        }
        if (!MemberNames.isValid(self)) {
            throw new ErgoException("leader group " + options.clusterId() + ": this member's name '"
                    + NodeNames.printable(self) + "' is not name@node (the name of letters, digits and _ . + $ -)");
        }
        Path root = options.stateDirectory();
        if (root.equals(LeaderOptions.defaultStateDirectory()) && WARNED.add(options.clusterId())) {
            log().warn(
                            "leader group {}: term, vote and membership are kept in the default {}; set the state"
                                    + " directory (stateDirectory, ergo.leader.groups.{}.state-directory) to one on"
                                    + " a persistent volume of this service",
                            options.clusterId(),
                            root,
                            options.clusterId());
        }
        election = new Election(
                self,
                members,
                options.join(),
                options.acceptJoins(),
                options.electionMin().toMillis(),
                options.electionMax().toMillis(),
                options.heartbeat().toMillis(),
                ThreadLocalRandom.current(),
                new FilePersistence(
                        root,
                        root.resolve(options.clusterId()).resolve(self.replaceAll("[^A-Za-z0-9._@-]", "_")),
                        FilePersistence.currentUser()),
                now());
        lastTerm = election.term();
        Membership held = election.membership();
        if (held != null && held.version() > 0 && !members.equals(Set.copyOf(held.members()))) {
            log().info(
                            "leader group {}: keeps the membership {} it held before the restart (configured: {})",
                            options.clusterId(),
                            held,
                            members);
        }
        updateStatus();
        schedule();
    }

    /** The groups warned about the default state directory, once per process. */
    private static final Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static long now() {
        return (System.nanoTime() - START) / 1_000_000;
    }

    /**
     * Takes the election's own messages (its timer, its peers' messages, membership requests), so they never reach
     * {@link #handleMessage}.
     */
    @Override
    protected final boolean interceptMessage(Pid from, Object message) throws Exception {
        if (message instanceof Tick t) {
            if (t.generation() == generation) {
                timerAt = Long.MAX_VALUE;
                apply(election.tick(now()));
                discover();
                checkPeers();
            }
            return true;
        }
        if (message instanceof MembershipChange c) {
            if (!mayChangeMembership(from)) {
                refuse(from, "a membership change from a node that is neither a member nor an operator");
            } else if (c.peer() == null || !MemberNames.isValid(c.peer().toString())) {
                refuse(
                        from,
                        "a membership change naming '" + NodeNames.printable(String.valueOf(c.peer()))
                                + "', which is not name@node");
            } else if (options.discoveryApplication() != null) {
                log().warn(
                                "leader group {}: {} ignored, the members follow the registrar's routes of {}",
                                options.clusterId(),
                                c,
                                options.discoveryApplication());
            } else if (!requestChange(c.peer(), c.add())) {
                log().warn("leader group {}: {} dropped, no leader is known now", options.clusterId(), c);
            }
            return true;
        }
        if (message instanceof LeaderMessage m && options.clusterId().equals(m.clusterId())) {
            // the member is whoever the node the message came from runs: the wire binds a frame's sender to the
            // lane's authenticated peer, so a name of another node in the message is a forgery
            String claimed = m.from();
            if (!MemberNames.isValid(claimed) || !MemberNames.node(claimed).equals(from.node())) {
                refuse(
                        from,
                        "an election message from " + from.node() + " that names "
                                + (claimed == null ? "nobody" : NodeNames.printable(claimed)) + " as its sender");
                return true;
            }
            if (m.message() != null) {
                for (String name : Election.namesIn(m.message())) {
                    if (!MemberNames.isValid(name)) {
                        refuse(
                                from,
                                "an election message naming '" + NodeNames.printable(String.valueOf(name))
                                        + "', which is not name@node");
                        return true;
                    }
                }
            }
            Election.Output out = election.receive(claimed, m.message(), now());
            for (String why : out.refused()) {
                refuse(from, why);
            }
            apply(out);
            checkPeers();
            return true;
        }
        return false;
    }

    /**
     * Who may add or remove members: this node's processes (the {@code ergoleader} endpoint, {@link #addPeer}'s
     * callers), the members' nodes and those listed in {@code peers}, and the operator nodes of the options.
     */
    private boolean mayChangeMembership(Pid from) {
        String n = from.node();
        if (n.equals(node().name()) || options.operators().contains(n)) {
            return true;
        }
        for (String member : election.members()) {
            if (MemberNames.node(member).equals(n)) {
                return true;
            }
        }
        for (ProcessId p : options.peers()) {
            if (p.node().equals(n)) {
                return true;
            }
        }
        return false;
    }

    /** What this member refused, by node and reason: each is logged once, so a flood cannot fill the log. */
    private final Set<String> refusedLogged = new java.util.HashSet<>();

    private void refuse(Pid from, String why) {
        if (refusedLogged.size() < 1_000 && refusedLogged.add(from.node() + " " + why)) {
            log().warn(
                            "leader group {}: refused {} from {} (logged once per node and reason)",
                            options.clusterId(),
                            why,
                            NodeNames.printable(from.node()));
        }
    }

    /**
     * With discovery, the leader heads for the members the registrar shows: every node running the application,
     * less those missing from it for {@link LeaderOptions#removeAfter}. An empty view (a registrar that lost its
     * connection) changes nothing.
     */
    private void discover() throws Exception {
        if (options.discoveryApplication() == null || !election.isLeader()) {
            missingSince.clear();
            return;
        }
        services.ergo.gen.Registrar registrar;
        try {
            registrar = node().network().registrar();
        } catch (ErgoException networkOff) {
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (services.ergo.gen.ApplicationRoute r : registrar.resolveApplication(options.discoveryApplication())) {
            if (r.running()) {
                seen.add(new ProcessId(name(), r.node()).toString());
            }
        }
        if (seen.isEmpty()) {
            return;
        }
        long now = now();
        Set<String> target = new LinkedHashSet<>(seen);
        for (String member : election.members()) {
            if (seen.contains(member)) {
                missingSince.remove(member);
                continue;
            }
            long since = missingSince.computeIfAbsent(member, m -> now);
            if (now - since < options.removeAfter().toMillis()) {
                target.add(member);
            }
        }
        missingSince.keySet().retainAll(election.members());
        if (!target.equals(election.members()) || election.target() != null) {
            apply(election.setTarget(target, now));
        }
    }

    /** With discovery: since when each member's node has been missing from the registrar's routes. */
    private final java.util.Map<String, Long> missingSince = new java.util.HashMap<>();

    /** Tells handlePeerJoined / handlePeerLeft what changed in which members' nodes are connected. */
    private void checkPeers() throws Exception {
        java.util.List<String> connected;
        try {
            connected = node().network().nodes();
        } catch (ErgoException networkOff) {
            return; // a group on one node: nobody comes or goes
        }
        for (String gone : List.copyOf(reachable)) {
            if (!election.members().contains(gone)) {
                reachable.remove(gone); // removed from the group
                handlePeerLeft(ProcessId.parse(gone));
            }
        }
        for (String member : election.members()) {
            if (member.equals(self)) {
                continue;
            }
            ProcessId peer = ProcessId.parse(member);
            boolean up = connected.contains(peer.node());
            if (!up) {
                dialAhead(peer.node());
            }
            if (up && reachable.add(member)) {
                handlePeerJoined(peer);
            } else if (!up && reachable.remove(member)) {
                handlePeerLeft(peer);
            }
        }
    }

    private void apply(Election.Output out) throws Exception {
        LeaderStatus seen = status;
        if (out.membershipChanged()
                || seen.term() != election.term()
                || seen.leading() != election.isLeader()
                || !java.util.Objects.equals(seen.leader(), election.leader())) {
            updateStatus(); // before the callbacks, so what they trigger sees the new view
        }
        for (Election.Send s : out.sends()) {
            ProcessId to = ProcessId.parse(s.to());
            if (!connected(to.node())) {
                continue; // as if lost on the way, while a connection is made off this process's thread
            }
            try {
                send(to, new LeaderMessage(options.clusterId(), self, s.message()));
            } catch (ErgoException unreachable) {
                // as if lost on the way: the election is built for that
            }
        }
        if (out.termChanged()) {
            long old = lastTerm;
            lastTerm = election.term();
            handleTermChanged(old, lastTerm);
        }
        // leading as the user sees it (a caretaker outside the membership does not lead), against the view before
        boolean leading = election.isLeader();
        if (out.roleChanged() || leading != seen.leading()) {
            if (leading) {
                handleBecomeLeader();
            } else if (seen.leading() || election.role() == Election.Role.FOLLOWER) {
                handleBecomeFollower(currentLeader().orElse(null));
            }
        }
        schedule();
    }

    /**
     * Whether messages to {@code other} can go now without waiting. Dialing a node can take the registrar's
     * resolve and the connect timeout (seconds, for a node that vanished without a word), and an election cannot
     * wait: a node not connected yet is dialed in the background and its messages dropped meanwhile.
     */
    private boolean connected(String other) {
        if (other.equals(node().name())) {
            return true;
        }
        services.ergo.gen.Network network;
        try {
            network = node().network();
        } catch (ErgoException networkOff) {
            return true; // a group on one node
        }
        if (network.nodes().contains(other)) {
            return true;
        }
        String dial = node().name() + " -> " + other; // per pair: several local nodes may dial the same one
        if (DIALING.add(dial)) {
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    network.connect(other);
                } catch (RuntimeException unreachable) {
                    // tried again at the next message
                } finally {
                    DIALING.remove(dial);
                }
            });
        }
        return false;
    }

    private static final Set<String> DIALING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** When each member's node was last dialed ahead of need. */
    private final java.util.Map<String, Long> dialedAhead = new java.util.HashMap<>();

    /**
     * Followers talk only to the leader, so two followers may have no connection when the leader dies, and the
     * first pre-vote between them would be dropped while it is dialed: an election timeout lost (the failover
     * benchmark showed it, a member restarted in the previous trial). Every member keeps a connection to every
     * other, dialing one that is missing at most once per election timeout.
     */
    private void dialAhead(String other) {
        long now = now();
        Long last = dialedAhead.get(other);
        if (last == null || now - last >= options.electionMax().toMillis()) {
            dialedAhead.put(other, now);
            connected(other);
        }
    }

    /** One timer at a time, at the election's next deadline. */
    private void schedule() {
        long at = election.nextDeadline();
        if (at == timerAt) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerAt = at;
        generation++;
        // a deadline may lie at "never" (Long.MAX_VALUE): wake up within the hour anyway, and never overflow
        long delay = Math.min(Math.max(0, at - now()), 3_600_000L);
        timer = sendAfter(pid(), new Tick(generation), Duration.ofMillis(delay));
    }
}
