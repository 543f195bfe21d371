package services.ergo.leader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The leader election of one member, as a pure state machine: Raft's election without a log, plus pre-vote and
 * a leader that steps down when it stops hearing from a majority. It does no I/O and reads no clock: the caller
 * feeds it the time and the messages, and sends what it returns. So the same code runs in the actor and in the
 * deterministic simulation that tests it under loss, delay, duplication, reordering, partitions and restarts.
 *
 * <p>Safety rests on three things. The quorum is a majority of the <em>configured</em> members, never of those
 * heard from. A member votes at most once per term, and its term and vote are {@link Persistence persisted}
 * before the vote leaves it, so a restart cannot make it vote twice. A candidate needs a majority of votes for
 * its own term, so two leaders in one term would need a member that voted twice.
 */
public final class Election {

    /** What a member keeps across restarts: its term and whom it voted for in it. */
    public interface Persistence {
        long term();

        String votedFor();

        /** Stores both, durably, before returning. */
        void save(long term, String votedFor);

        /**
         * Term and vote kept in memory only: for a group whose members never restart on their own (the simulation,
         * tests). A member that restarts with it may vote twice in a term; use {@link FilePersistence} otherwise.
         */
        static Persistence inMemory() {
            return new Persistence() {
                private long term;
                private String votedFor;

                @Override
                public long term() {
                    return term;
                }

                @Override
                public String votedFor() {
                    return votedFor;
                }

                @Override
                public void save(long t, String v) {
                    term = t;
                    votedFor = v;
                }
            };
        }
    }

    public enum Role {
        FOLLOWER,
        PRE_CANDIDATE,
        CANDIDATE,
        LEADER
    }

    /** Messages between members. */
    public sealed interface Message {
        long term();
    }

    /** "Would you vote for me in {@code term}?" Changes nobody's state. */
    public record PreVote(long term, String candidate) implements Message {}

    public record PreVoteReply(long term, boolean granted) implements Message {}

    public record RequestVote(long term, String candidate) implements Message {}

    public record Vote(long term, boolean granted) implements Message {}

    public record Heartbeat(long term, String leader) implements Message {}

    public record HeartbeatAck(long term, boolean ok) implements Message {}

    /** What the caller does after a step: messages to send, and whether leadership or the term changed. */
    public record Output(List<Send> sends, boolean roleChanged, boolean termChanged) {}

    public record Send(String to, Message message) {}

    private final String self;
    private final Set<String> members;
    private final long electionMin;
    private final long electionMax;
    private final long heartbeat;
    private final RandomGenerator random;
    private final Persistence persistence;

    private Role role = Role.FOLLOWER;
    private String leader;
    private long electionDeadline;
    private long nextHeartbeat;
    private long lastLeaderContact = Long.MIN_VALUE / 2;
    private final Set<String> preVotes = new HashSet<>();
    private final Set<String> votes = new HashSet<>();
    /** For a leader: when each member last acknowledged a heartbeat of this term. */
    private final Map<String, Long> acked = new HashMap<>();

    private long leaderSince;

    /**
     * A member {@code self} of {@code members} (which includes it), with election timeouts drawn from
     * [{@code electionMin}, {@code electionMax}) and heartbeats every {@code heartbeat}, in the caller's time unit.
     */
    public Election(
            String self,
            Set<String> members,
            long electionMin,
            long electionMax,
            long heartbeat,
            RandomGenerator random,
            Persistence persistence,
            long now) {
        if (!members.contains(self)) {
            throw new IllegalArgumentException("the members must include " + self);
        }
        if (electionMin <= heartbeat || electionMax <= electionMin) {
            throw new IllegalArgumentException("need heartbeat < electionMin < electionMax, got " + heartbeat + ", "
                    + electionMin + ", " + electionMax);
        }
        this.self = self;
        this.members = Set.copyOf(members);
        this.electionMin = electionMin;
        this.electionMax = electionMax;
        this.heartbeat = heartbeat;
        this.random = random;
        this.persistence = persistence;
        resetElectionTimer(now);
    }

    public Role role() {
        return role;
    }

    public boolean isLeader() {
        return role == Role.LEADER;
    }

    /** The leader this member follows or is, or null when it knows none. */
    public String leader() {
        return leader;
    }

    public long term() {
        return persistence.term();
    }

    public Set<String> members() {
        return members;
    }

    /** When {@link #tick} has something to do next. */
    public long nextDeadline() {
        return role == Role.LEADER ? Math.min(nextHeartbeat, stepDownDeadline()) : electionDeadline;
    }

    private int majority() {
        return members.size() / 2 + 1;
    }

    private void resetElectionTimer(long now) {
        electionDeadline = now + electionMin + random.nextLong(electionMax - electionMin);
    }

    /** The time has come for something: an election, a heartbeat, or a step-down. */
    public Output tick(long now) {
        Step step = new Step();
        if (role == Role.LEADER) {
            if (now >= stepDownDeadline()) {
                // no majority heard from within an election timeout: we may be the minority side of a partition
                becomeFollower(null, now, step);
            } else if (now >= nextHeartbeat) {
                broadcast(new Heartbeat(term(), self), step);
                nextHeartbeat = now + heartbeat;
            }
        } else if (now >= electionDeadline) {
            startPreVote(now, step);
        }
        return step.output();
    }

    /** The latest time by which a majority (counting us) acknowledged us, plus an election timeout. */
    private long stepDownDeadline() {
        List<Long> times = new ArrayList<>();
        for (String m : members) {
            times.add(m.equals(self) ? Long.MAX_VALUE : acked.getOrDefault(m, leaderSince));
        }
        times.sort((a, b) -> Long.compare(b, a));
        long quorumHeard = times.get(majority() - 1);
        // a group of one is its own majority: it never steps down (and the sum must not overflow)
        return quorumHeard == Long.MAX_VALUE ? Long.MAX_VALUE : quorumHeard + electionMax;
    }

    private void startPreVote(long now, Step step) {
        role = Role.PRE_CANDIDATE;
        step.roleChanged = true;
        leader = null;
        preVotes.clear();
        preVotes.add(self);
        resetElectionTimer(now);
        if (preVotes.size() >= majority()) {
            startElection(now, step);
            return;
        }
        broadcast(new PreVote(term() + 1, self), step);
    }

    private void startElection(long now, Step step) {
        role = Role.CANDIDATE;
        step.roleChanged = true;
        setTerm(term() + 1, self, step);
        votes.clear();
        votes.add(self);
        resetElectionTimer(now);
        if (votes.size() >= majority()) {
            becomeLeader(now, step);
            return;
        }
        broadcast(new RequestVote(term(), self), step);
    }

    private void becomeLeader(long now, Step step) {
        role = Role.LEADER;
        leader = self;
        step.roleChanged = true;
        acked.clear();
        leaderSince = now;
        broadcast(new Heartbeat(term(), self), step);
        nextHeartbeat = now + heartbeat;
    }

    private void becomeFollower(String newLeader, long now, Step step) {
        if (role != Role.FOLLOWER || !java.util.Objects.equals(leader, newLeader)) {
            step.roleChanged = true;
        }
        role = Role.FOLLOWER;
        leader = newLeader;
        resetElectionTimer(now);
    }

    private void setTerm(long term, String votedFor, Step step) {
        if (term != persistence.term()) {
            step.termChanged = true;
        }
        persistence.save(term, votedFor);
    }

    /** A message from member {@code from}. Messages from non-members are ignored. */
    public Output receive(String from, Message m, long now) {
        Step step = new Step();
        if (!members.contains(from) || from.equals(self)) {
            return step.output();
        }
        if (m instanceof PreVote p) {
            // grant only to a term ahead of ours, and only when no leader has been heard from lately: a member
            // coming back from a partition cannot depose a leader the others still follow
            boolean leaderAlive = leader != null && now - lastLeaderContact < electionMin;
            boolean granted = p.term() > term() && !leaderAlive && role != Role.LEADER;
            step.send(from, new PreVoteReply(term(), granted));
            return step.output();
        }
        if (m.term() > term() && !(m instanceof PreVoteReply)) {
            // a newer term: follow it, with no vote cast in it yet
            setTerm(m.term(), null, step);
            becomeFollower(m instanceof Heartbeat h ? h.leader() : null, now, step);
        }
        if (m instanceof PreVoteReply r) {
            if (role == Role.PRE_CANDIDATE && r.granted()) {
                preVotes.add(from);
                if (preVotes.size() >= majority()) {
                    startElection(now, step);
                }
            }
        } else if (m instanceof RequestVote v) {
            boolean granted = false;
            if (v.term() == term()
                    && (persistence.votedFor() == null || persistence.votedFor().equals(v.candidate()))) {
                setTerm(term(), v.candidate(), step); // persisted before the vote leaves
                granted = true;
                resetElectionTimer(now);
            }
            step.send(from, new Vote(term(), granted));
        } else if (m instanceof Vote v) {
            if (role == Role.CANDIDATE && v.term() == term() && v.granted()) {
                votes.add(from);
                if (votes.size() >= majority()) {
                    becomeLeader(now, step);
                }
            }
        } else if (m instanceof Heartbeat h) {
            if (h.term() < term()) {
                step.send(from, new HeartbeatAck(term(), false)); // tells a stale leader to step down
            } else {
                lastLeaderContact = now;
                if (role != Role.FOLLOWER || !h.leader().equals(leader)) {
                    becomeFollower(h.leader(), now, step);
                } else {
                    resetElectionTimer(now);
                }
                step.send(from, new HeartbeatAck(term(), true));
            }
        } else if (m instanceof HeartbeatAck a) {
            if (role == Role.LEADER && a.term() == term() && a.ok()) {
                acked.put(from, now);
            }
        }
        return step.output();
    }

    private void broadcast(Message m, Step step) {
        for (String member : members) {
            if (!member.equals(self)) {
                step.send(member, m);
            }
        }
    }

    /** Collects what one step produced. */
    private static final class Step {
        final List<Send> sends = new ArrayList<>();
        boolean roleChanged;
        boolean termChanged;

        void send(String to, Message m) {
            sends.add(new Send(to, m));
        }

        Output output() {
            return new Output(sends, roleChanged, termChanged);
        }
    }
}
