package services.ergo.leader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The leader election of one member, as a pure state machine: Raft's election without a log, plus pre-vote, a
 * leader that steps down when it stops hearing from a majority, and membership changes one member at a time. It
 * does no I/O and reads no clock: the caller feeds it the time and the messages, and sends what it returns. So the
 * same code runs in the actor and in the deterministic simulation that tests it under loss, delay, duplication,
 * reordering, partitions, restarts and membership changes.
 *
 * <p>Safety rests on four things. The quorum is a majority of the current {@link Membership}, never of those heard
 * from. A member votes at most once per term, and its term and vote are {@link Persistence persisted} before the
 * vote leaves it, so a restart cannot make it vote twice. A candidate needs a majority of votes for its own term, so
 * two leaders in one term would need a member that voted twice. And the membership changes as in Raft's
 * single-server changes: a leader first stamps the membership with its own term (Raft's no-op entry), changes one
 * member at a time, starts a change only when a majority of the current membership holds it, and members vote only
 * for candidates whose membership is at least as recent as theirs; any majority of the old membership and any of the
 * new one then share a member, so there is never a window with two majorities.
 */
public final class Election {

    /** What a member keeps across restarts: its term, whom it voted for in it, and the membership it holds. */
    public interface Persistence {
        long term();

        /** Whom this member voted for in {@link #term}; null when it has not voted in it. */
        @Nullable
        String votedFor();

        /** Stores both, durably, before returning. */
        void save(long term, @Nullable String votedFor);

        /** The membership last stored; null when none was. */
        @Nullable
        Membership membership();

        /** Stores the membership, durably, before returning. */
        void saveMembership(Membership membership);

        /**
         * Term, vote and membership kept in memory only: for a group whose members never restart on their own (the
         * simulation, tests). A member that restarts with it may vote twice in a term; use a durable one otherwise
         * (the leader actor's is a file forced to disk).
         */
        static Persistence inMemory() {
            return new Persistence() {
                private long term;
                private @Nullable String votedFor;
                private @Nullable Membership membership;

                @Override
                public long term() {
                    return term;
                }

                @Override
                public @Nullable String votedFor() {
                    return votedFor;
                }

                @Override
                public void save(long t, @Nullable String v) {
                    term = t;
                    votedFor = v;
                }

                @Override
                public @Nullable Membership membership() {
                    return membership;
                }

                @Override
                public void saveMembership(Membership m) {
                    membership = m;
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
    public record PreVote(long term, String candidate, long membershipTerm, long membershipVersion)
            implements Message {}

    public record PreVoteReply(long term, boolean granted) implements Message {}

    public record RequestVote(long term, String candidate, long membershipTerm, long membershipVersion)
            implements Message {}

    public record Vote(long term, boolean granted) implements Message {}

    /**
     * The leader's beat: its membership, which the follower takes, and the membership it is heading for (null when
     * none), which a follower remembers so that a next leader carries on. The target is an array: Fory 0.x failed
     * to read a {@code List<String>} in this message before its serializers were compiled.
     */
    public record Heartbeat(
            long term, String leader, Membership membership, boolean committed, String @Nullable [] target)
            implements Message {}

    /** The answer to a heartbeat, with the membership the follower now holds. */
    public record HeartbeatAck(long term, boolean ok, long membershipTerm, long membershipVersion) implements Message {}

    /** A request to add or remove {@code member}, passed on to the leader ({@code hops} bounds the passing). */
    public record MemberChange(long term, String member, boolean add, int hops) implements Message {}

    /**
     * What the caller does after a step: messages to send, whether leadership, term or membership changed, and the
     * messages refused (why, for the log; empty when none was).
     */
    public record Output(
            List<Send> sends,
            boolean roleChanged,
            boolean termChanged,
            boolean membershipChanged,
            List<String> refused) {}

    public record Send(String to, Message message) {}

    private static final int MAX_HOPS = 3;

    /**
     * The hop count of a {@link MemberChange} that is a note, not a request: "{@code member} is in the group",
     * from a member to one whose membership is behind (see {@link #receive}). No request reaches it, and a member
     * of the previous release passes no request that has it on.
     */
    private static final int NOTE = Integer.MAX_VALUE;

    private final String self;
    /** Whom a joining member asks to be added. */
    private final Set<String> contacts;

    private final long electionMin;
    private final long electionMax;
    private final long heartbeat;
    private final RandomGenerator random;
    private final Persistence persistence;
    /** Whether a node outside the group may ask to join (its own member only). */
    private final boolean acceptJoins;
    /**
     * Everyone this member has known as a member, or as heading in, in this run: from its configuration, its
     * memberships, the targets its leaders told it and the notes of its members. Election messages from anyone else
     * move nothing: a node outside the group cannot raise a term or plant a membership.
     */
    private final Set<String> known = new HashSet<>();
    /**
     * Those heading in, as a target named them: their answers to a leader count, but they move no term and no
     * membership until a membership holds them (then they are {@link #known}).
     */
    private final Set<String> heading = new HashSet<>();

    /** The membership held; null for a joining member that has not been told one yet. */
    private @Nullable Membership membership;
    /** For a leader: the membership before its last change, whose removed member still hears the news. */
    private @Nullable Membership previous;
    /** The members the group is heading for, one change at a time; null when the membership is where it goes. */
    private @Nullable List<String> target;
    /** A joining member asks to be added until it is, and stops asking once it was removed. */
    private boolean wantIn;
    /** Whether this member knows that a membership without it holds on a majority: then it never stands. */
    private boolean outside;

    private Role role = Role.FOLLOWER;
    private @Nullable String leader;
    private long electionDeadline;
    private long nextHeartbeat;
    private long lastLeaderContact = Long.MIN_VALUE / 2;
    private final Set<String> preVotes = new HashSet<>();
    private final Set<String> votes = new HashSet<>();
    /** For a leader: when each member last acknowledged a heartbeat of this term. */
    private final Map<String, Long> acked = new HashMap<>();
    /** For a leader: the members that acknowledged its current membership. */
    private final Set<String> holding = new HashSet<>();

    private long leaderSince;
    /** When this member last asked the members it knows whom they follow. */
    private long lastProbe = Long.MIN_VALUE / 2;

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
        this(self, members, false, electionMin, electionMax, heartbeat, random, persistence, now);
    }

    /**
     * A member {@code self} of a group that first had {@code members}. When it is not one of them, {@code join}
     * says what it does: ask them to add it, taking part in no quorum until a leader has (true), or refuse to start
     * (false). A membership stored by an earlier run of this member wins over {@code members}: the group's
     * membership lives in the group once it has changed.
     */
    public Election(
            String self,
            Set<String> members,
            boolean join,
            long electionMin,
            long electionMax,
            long heartbeat,
            RandomGenerator random,
            Persistence persistence,
            long now) {
        this(self, members, join, true, electionMin, electionMax, heartbeat, random, persistence, now);
    }

    /**
     * As {@link #Election(String, Set, boolean, long, long, long, RandomGenerator, Persistence, long)}, and with
     * {@code acceptJoins} false a join request from outside the group is refused: only members change the
     * membership.
     */
    public Election(
            String self,
            Set<String> members,
            boolean join,
            boolean acceptJoins,
            long electionMin,
            long electionMax,
            long heartbeat,
            RandomGenerator random,
            Persistence persistence,
            long now) {
        if (electionMin <= heartbeat || electionMax <= electionMin) {
            throw new IllegalArgumentException("need heartbeat < electionMin < electionMax, got " + heartbeat + ", "
                    + electionMin + ", " + electionMax);
        }
        this.self = self;
        this.electionMin = electionMin;
        this.electionMax = electionMax;
        this.heartbeat = heartbeat;
        this.random = random;
        this.persistence = persistence;
        this.acceptJoins = acceptJoins;
        this.contacts = new LinkedHashSet<>(members);
        this.contacts.remove(self);
        known.addAll(members);
        if (persistence.membership() != null) {
            membership = persistence.membership();
        } else if (members.contains(self)) {
            membership = Membership.initial(members);
        } else if (!join) {
            throw new IllegalArgumentException("the members must include " + self);
        }
        if (membership != null) {
            known.addAll(membership.members());
        }
        wantIn = join;
        resetElectionTimer(now);
    }

    public Role role() {
        return role;
    }

    /**
     * Whether this member leads the group. A member that removed itself, or one elected to finish a membership that
     * left it out (Raft lets it, so that the membership gets decided), holds the {@link #role} for as long as that
     * takes but does not lead: it is a caretaker.
     */
    public boolean isLeader() {
        return role == Role.LEADER && isMember();
    }

    /** The leader this member follows or is; null when it knows none (or only a caretaker). */
    public @Nullable String leader() {
        return leader != null && membership != null && membership.contains(leader) ? leader : null;
    }

    public long term() {
        return persistence.term();
    }

    /** The members of the group as this member knows them; empty while a joining member knows none. */
    public Set<String> members() {
        return membership == null ? Set.of() : new LinkedHashSet<>(membership.members());
    }

    /** The membership this member holds; null while a joining member has not been told one. */
    public @Nullable Membership membership() {
        return membership;
    }

    /** The members the group is heading for; null when it is where it should be. */
    public @Nullable List<String> target() {
        return target;
    }

    /** Whether this member counts in the group's quorum now. */
    public boolean isMember() {
        return membership != null && membership.contains(self);
    }

    /** When {@link #tick} has something to do next. */
    public long nextDeadline() {
        return role == Role.LEADER ? Math.min(nextHeartbeat, stepDownDeadline()) : electionDeadline;
    }

    private int majority() {
        return membership.majority();
    }

    /** How many of {@code who} count in the current membership. */
    private int counted(Set<String> who) {
        int n = 0;
        for (String m : who) {
            if (membership.contains(m)) {
                n++;
            }
        }
        return n;
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
                broadcastHeartbeat(now, step);
            }
        } else if (now >= electionDeadline) {
            boolean leaderAlive = leader != null && now - lastLeaderContact < electionMin;
            if (wantIn && (!isMember() || !leaderAlive)) {
                askToJoin(step);
            }
            if (isMember() || (membership != null && !outside)) {
                // a member left out of a membership not known to hold may have to finish it: Raft lets it stand
                startPreVote(now, step);
            } else {
                resetElectionTimer(now); // outside the group: wait, and ask again later if joining
            }
        }
        return step.output();
    }

    private void askToJoin(Step step) {
        Set<String> ask = new LinkedHashSet<>(contacts);
        if (membership != null) {
            ask.addAll(membership.members());
        }
        if (leader != null) {
            ask.add(leader);
        }
        ask.remove(self);
        for (String to : ask) {
            step.send(to, new MemberChange(term(), self, true, 0));
        }
    }

    /** The latest time by which a majority acknowledged us (counting us if we are a member), plus a timeout. */
    private long stepDownDeadline() {
        List<Long> times = new ArrayList<>();
        for (String m : membership.members()) {
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
        if (counted(preVotes) >= majority()) {
            startElection(now, step);
            return;
        }
        broadcast(new PreVote(term() + 1, self, membership.term(), membership.version()), step);
    }

    private void startElection(long now, Step step) {
        role = Role.CANDIDATE;
        step.roleChanged = true;
        setTerm(term() + 1, self, step);
        votes.clear();
        votes.add(self);
        resetElectionTimer(now);
        if (counted(votes) >= majority()) {
            becomeLeader(now, step);
            return;
        }
        broadcast(new RequestVote(term(), self, membership.term(), membership.version()), step);
    }

    private void becomeLeader(long now, Step step) {
        role = Role.LEADER;
        leader = self;
        step.roleChanged = true;
        acked.clear();
        leaderSince = now;
        // Raft's no-op entry: the membership is stamped with our term before any change, so a membership left
        // half-made by an earlier leader can never again win an election against one this leader commits
        previous = null;
        changeMembership(membership.next(term(), membership.members()), step);
        broadcastHeartbeat(now, step);
        advance(now, step); // a group of one holds its membership at once
    }

    private void changeMembership(Membership next, Step step) {
        membership = next;
        known.addAll(next.members());
        persistence.saveMembership(next); // stored before anyone is told
        holding.clear();
        step.membershipChanged = true;
    }

    private void becomeFollower(@Nullable String newLeader, long now, Step step) {
        if (role != Role.FOLLOWER || !Objects.equals(leader, newLeader)) {
            step.roleChanged = true;
        }
        role = Role.FOLLOWER;
        leader = newLeader;
        previous = null;
        resetElectionTimer(now);
    }

    private void setTerm(long term, @Nullable String votedFor, Step step) {
        if (term != persistence.term()) {
            step.termChanged = true;
        }
        persistence.save(term, votedFor);
    }

    /**
     * Asks the group to add or remove {@code member}. The leader takes it at once; a follower passes it to the
     * leader it knows; with no leader known the request is dropped, and the caller may ask again. The membership
     * then changes one member at a time, each change once the last one holds.
     */
    public Output requestChange(String member, boolean add, long now) {
        Step step = new Step();
        change(member, add, 0, now, step);
        return step.output();
    }

    /**
     * Sets the members the group should have (as discovered in a registrar); only the leader acts on it, one change
     * at a time, its own removal last. Ignored when empty or when this member does not lead.
     */
    public Output setTarget(Collection<String> members, long now) {
        Step step = new Step();
        if (role == Role.LEADER && !members.isEmpty()) {
            List<String> sorted = List.copyOf(new TreeSet<>(members));
            target = sorted.equals(membership.members()) ? null : sorted;
            heading.addAll(sorted);
            advance(now, step);
        }
        return step.output();
    }

    private void change(String member, boolean add, int hops, long now, Step step) {
        if (role == Role.LEADER) {
            Set<String> goal = new TreeSet<>(target == null ? membership.members() : target);
            if (add) {
                goal.add(member);
            } else {
                goal.remove(member);
            }
            if (goal.isEmpty()) {
                return; // a group cannot lose its last member
            }
            List<String> sorted = List.copyOf(goal);
            target = sorted.equals(membership.members()) ? null : sorted;
            heading.addAll(sorted);
            advance(now, step);
        } else if (leader != null && !leader.equals(self) && hops < MAX_HOPS) {
            step.send(leader, new MemberChange(term(), member, add, hops + 1));
        }
    }

    /** A leader takes the next step towards its target once the current membership holds on a majority. */
    private void advance(long now, Step step) {
        if (role != Role.LEADER || !committed()) {
            return;
        }
        if (!isMember()) {
            // we removed ourselves and the group holds the membership without us: leave the lead to the others
            outside = true;
            wantIn = false; // and a joining member that was asked to leave does not ask its way back in
            becomeFollower(null, now, step);
            return;
        }
        if (target == null) {
            return;
        }
        Set<String> next = new TreeSet<>(membership.members());
        // a newcomer is added only once it answers our heartbeats: adding a member that is down would raise the
        // quorum without adding a voter
        String add = target.stream()
                .filter(m -> !next.contains(m) && now - acked.getOrDefault(m, Long.MIN_VALUE / 2) <= electionMax)
                .findFirst()
                .orElse(null);
        if (add != null) {
            next.add(add);
        } else {
            boolean addsPending = !next.containsAll(target);
            String remove = next.stream()
                    .filter(m -> !target.contains(m) && !m.equals(self))
                    .findFirst()
                    .orElse(addsPending || target.contains(self) ? null : self);
            if (remove == null) {
                if (!addsPending) {
                    target = null; // where it was heading
                }
                return;
            }
            next.remove(remove);
        }
        previous = membership;
        changeMembership(membership.next(term(), next), step);
        if (List.copyOf(next).equals(target)) {
            target = null;
        }
        broadcastHeartbeat(now, step);
    }

    private boolean committed() {
        Set<String> have = new HashSet<>(holding);
        have.add(self);
        return counted(have) >= majority();
    }

    private void broadcastHeartbeat(long now, Step step) {
        Heartbeat beat = new Heartbeat(
                term(), self, membership, committed(), target == null ? null : target.toArray(String[]::new));
        Set<String> to = new LinkedHashSet<>(membership.members());
        if (previous != null) {
            to.addAll(previous.members()); // a removed member learns it is out
        }
        if (target != null) {
            to.addAll(target); // a newcomer answers before it is added
        }
        to.remove(self);
        for (String m : to) {
            step.send(m, beat);
        }
        nextHeartbeat = now + heartbeat;
    }

    /**
     * A message from member {@code from}, which the caller vouches for (the actor: the node it came from). Votes from
     * outside the membership count for nothing; a message from outside the group, one that names another member as
     * its sender (a candidate or leader other than {@code from}) or one with a name that is not {@code name@node}
     * changes nothing and is listed in {@link Output#refused}. A node outside the group may only ask to join, with
     * its own member, and only where joins are accepted.
     */
    public Output receive(String from, Message m, long now) {
        Step step = new Step();
        if (from.equals(self)) {
            return step.output();
        }
        String malformed = malformed(m);
        if (malformed != null || !token(from)) {
            step.refuse(malformed != null ? malformed : "a sender that is not name@node");
            return step.output();
        }
        if (m instanceof MemberChange c) {
            boolean fromMember = membership != null ? membership.contains(from) : contacts.contains(from);
            if (fromMember) {
                if (c.hops() == NOTE) {
                    if (c.add()) {
                        known.add(c.member()); // a member tells us who is in: its leader, whom we missed
                    }
                } else {
                    change(c.member(), c.add(), c.hops(), now, step);
                }
            } else if (!c.add() || !c.member().equals(from) || c.hops() != 0) {
                step.refuse("a membership change from outside the group (only its members change it)");
            } else if (!acceptJoins) {
                step.refuse("a request to join, and this group takes none (acceptJoins is off)");
            } else {
                change(from, true, 0, now, step);
                if (role != Role.LEADER && leader != null && !leader.equals(self)) {
                    // the leader may be a member the newcomer never heard of: tell it whose heartbeats to take
                    step.send(from, new MemberChange(term(), leader, true, NOTE));
                }
            }
            return step.output();
        }
        if (!known.contains(from) && !contacts.contains(from)) {
            boolean answer = heading.contains(from)
                    && (m instanceof HeartbeatAck || m instanceof PreVote)
                    && (m instanceof PreVote || m.term() <= term());
            if (!answer) {
                // a newcomer not added yet answers the leader's heartbeats and may ask whom we follow (a pre-vote
                // changes nothing here); nothing else it sends counts
                step.refuse("an election message from outside the group");
                if (m instanceof Heartbeat h) {
                    probe(h, now, step);
                }
                return step.output();
            }
        }
        String named = m instanceof PreVote p
                ? p.candidate()
                : m instanceof RequestVote v ? v.candidate() : m instanceof Heartbeat h ? h.leader() : from;
        if (!named.equals(from)) {
            step.refuse("an election message naming another member (" + named + ") as its sender");
            return step.output();
        }
        // votes are asked of and given by anyone, as in Raft: a member that missed the latest membership must be
        // able to vote for one that has it; whose vote counts is the candidate's membership's business
        boolean leaderAlive = leader != null && now - lastLeaderContact < electionMin;
        if (m instanceof PreVote p) {
            // grant only to a term ahead of ours, and only when no leader has been heard from lately: a member
            // coming back from a partition, or a removed one, cannot depose a leader the others still follow
            // nor to one only heading in: it would stand for a term that those who do not know it refuse, and then
            // refuse the leader's heartbeats as older than its own
            boolean granted = p.term() > term()
                    && (known.contains(from) || contacts.contains(from))
                    && !leaderAlive
                    && role != Role.LEADER
                    && !newer(membership, p.membershipTerm(), p.membershipVersion());
            step.send(from, new PreVoteReply(term(), granted));
            if (newer(membership, p.membershipTerm(), p.membershipVersion())) {
                // a member behind on the membership may never have heard of its members, whose heartbeats it then
                // refuses as a stranger's: tell it who they are (it learns the rest from the leader itself)
                for (String member : membership.members()) {
                    if (!member.equals(from)) {
                        step.send(from, new MemberChange(term(), member, true, NOTE));
                    }
                }
            }
            if (role == Role.LEADER && !membership.contains(from)) {
                // a removed member that missed the news keeps asking: tell it where the group is
                step.send(from, new Heartbeat(term(), self, membership, committed(), null));
            }
            return step.output();
        }
        if (m instanceof RequestVote && leaderAlive && role == Role.FOLLOWER) {
            return step.output(); // the same guard for a candidate that got past pre-vote while our leader lives
        }
        if (m.term() > term()) {
            // a newer term: follow it, with no vote cast in it yet. A pre-vote refused by a member of a later term
            // counts too (a granted one never carries a later term): a member behind on the term would otherwise
            // pre-vote for a term the others have passed, forever

            setTerm(m.term(), null, step);
            becomeFollower(m instanceof Heartbeat h ? h.leader() : null, now, step);
        }
        if (m instanceof PreVoteReply r) {
            if (role == Role.PRE_CANDIDATE && r.granted()) {
                preVotes.add(from);
                if (counted(preVotes) >= majority()) {
                    startElection(now, step);
                }
            }
        } else if (m instanceof RequestVote v) {
            boolean granted = false;
            if (v.term() == term()
                    && (persistence.votedFor() == null || persistence.votedFor().equals(v.candidate()))
                    && !newer(membership, v.membershipTerm(), v.membershipVersion())) {
                setTerm(term(), v.candidate(), step); // persisted before the vote leaves
                granted = true;
                resetElectionTimer(now);
            }
            step.send(from, new Vote(term(), granted));
        } else if (m instanceof Vote v) {
            if (role == Role.CANDIDATE && v.term() == term() && v.granted()) {
                votes.add(from);
                if (counted(votes) >= majority()) {
                    becomeLeader(now, step);
                }
            }
        } else if (m instanceof Heartbeat h) {
            receiveHeartbeat(from, h, now, step);
        } else if (m instanceof HeartbeatAck a) {
            if (role == Role.LEADER && a.term() == term() && a.ok()) {
                acked.put(from, now);
                if (membership.is(a.membershipTerm(), a.membershipVersion())) {
                    holding.add(from);
                }
                advance(now, step);
            }
        }
        return step.output();
    }

    private void receiveHeartbeat(String from, Heartbeat h, long now, Step step) {
        if (h.term() < term()) {
            step.send(from, new HeartbeatAck(term(), false, -1, -1)); // tells a stale leader to step down
            return;
        }
        lastLeaderContact = now;
        // only forward: a heartbeat overtaken by a later one must not take the member back to an older membership
        if (membership == null || h.membership().newerThan(membership.term(), membership.version())) {
            boolean wasMember = isMember();
            membership = h.membership();
            known.addAll(membership.members());
            persistence.saveMembership(membership); // stored before the ack says so
            step.membershipChanged = true;
            // what we knew held is history now: a newer membership without us that is not known to hold may be
            // ours to finish (found by review: a stale flag left a group with a live majority leaderless)
            outside = false;
            if (wasMember && !isMember()) {
                wantIn = false; // removed: a joining member does not push its way back in
            }
        }
        if (isMember()) {
            outside = false;
        } else if (h.committed() && h.membership().equals(membership)) {
            outside = true;
        }
        if (h.membership().equals(membership)) {
            // where the leader heads, from a heartbeat no older than what we hold (not one overtaken on the way)
            target = h.target() == null ? null : List.of(h.target());
            if (target != null) {
                heading.addAll(target);
            }
        }
        if (role != Role.FOLLOWER || !h.leader().equals(leader)) {
            becomeFollower(h.leader(), now, step);
        } else {
            resetElectionTimer(now);
        }
        step.send(from, new HeartbeatAck(term(), true, membership.term(), membership.version()));
    }

    /**
     * Why {@code m} cannot be taken as it is (a negative term or version, a missing field, a name that is not
     * {@code name@node}); null when it can. Names go into the state file and the log, so none passes unchecked.
     */
    private static @Nullable String malformed(@Nullable Message m) {
        if (m == null) {
            return "an empty election message";
        }
        if (m.term() < 0) {
            return "a negative term";
        }
        boolean ok = true;
        if (m instanceof PreVote p) {
            ok = token(p.candidate());
        } else if (m instanceof RequestVote v) {
            ok = token(v.candidate());
        } else if (m instanceof Heartbeat h) {
            ok = token(h.leader()) && wellFormed(h.membership(), h.target());
        } else if (m instanceof MemberChange c) {
            ok = token(c.member()) && c.hops() >= 0;
        }
        return ok ? null : "a malformed " + m.getClass().getSimpleName() + " (a name that is not name@node?)";
    }

    /**
     * Whether a name can be stored and logged: 1 to 255 printable ASCII characters without a space. The actor holds
     * the names to more ({@link MemberNames}); this is what the election itself needs, whatever names it is given.
     */
    private static boolean token(@Nullable String name) {
        if (name == null || name.isEmpty() || name.length() > 255) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Every name {@code m} carries (candidate, leader, members, target, member to change), for a caller's check. */
    static List<String> namesIn(Message m) {
        List<String> out = new ArrayList<>();
        if (m instanceof PreVote p) {
            out.add(p.candidate());
        } else if (m instanceof RequestVote v) {
            out.add(v.candidate());
        } else if (m instanceof Heartbeat h) {
            out.add(h.leader());
            if (h.membership() != null && h.membership().members() != null) {
                out.addAll(h.membership().members());
            }
            if (h.target() != null) {
                out.addAll(Arrays.asList(h.target()));
            }
        } else if (m instanceof MemberChange c) {
            out.add(c.member());
        }
        return out;
    }

    private static boolean wellFormed(@Nullable Membership m, String @Nullable [] target) {
        if (m == null
                || m.term() < 0
                || m.version() < 0
                || m.members() == null
                || m.members().isEmpty()) {
            return false;
        }
        for (String member : m.members()) {
            if (!token(member)) {
                return false;
            }
        }
        if (target != null) {
            for (String t : target) {
                if (!token(t)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A heartbeat from a leader we never heard of, or from a forger: we ask the members we know whom they follow,
     * at most once per election timeout (a pre-vote changes nobody's state; one that follows a live leader and
     * holds a newer membership than ours answers with a note naming it).
     */
    private void probe(Heartbeat h, long now, Step step) {
        if (now - lastProbe < electionMin
                || (membership != null && !h.membership().newerThan(membership.term(), membership.version()))) {
            return;
        }
        lastProbe = now;
        Set<String> ask = new LinkedHashSet<>(contacts);
        if (membership != null) {
            ask.addAll(membership.members());
        }
        ask.remove(self);
        long mt = membership == null ? -1 : membership.term();
        long mv = membership == null ? -1 : membership.version();
        for (String to : ask) {
            step.send(to, new PreVote(term() + 1, self, mt, mv));
        }
    }

    /** Whether {@code mine} is more recent than the candidate's; a joining member's none is older than any. */
    private static boolean newer(@Nullable Membership mine, long term, long version) {
        return mine != null && mine.newerThan(term, version);
    }

    private void broadcast(Message m, Step step) {
        for (String member : membership.members()) {
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
        boolean membershipChanged;
        final List<String> refused = new ArrayList<>(0);

        void send(String to, Message m) {
            sends.add(new Send(to, m));
        }

        void refuse(String why) {
            refused.add(why);
        }

        Output output() {
            return new Output(sends, roleChanged, termChanged, membershipChanged, refused);
        }
    }
}
