package services.ergo.leader;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The members of an election group at one point of its history. Each change is made by a leader, adds or removes
 * exactly one member, and is stamped with the leader's term and the next version; {@code (term, version)} orders
 * memberships the way Raft orders the last entries of two logs, so a member votes only for a candidate whose
 * membership is at least as recent as its own.
 *
 * <pre>{@code
 * Membership first = Membership.initial(List.of("a@n1", "b@n2", "c@n3"));
 * first.majority(); // 2
 * }</pre>
 *
 * @param term the term of the leader that made it (0 for the configured first membership)
 * @param version how many memberships came before it
 * @param members the members as {@code name@node}, sorted
 */
public record Membership(long term, long version, List<String> members) {

    public Membership {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("a membership needs at least one member");
        }
        for (String m : members) {
            if (m == null || m.isBlank() || m.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a member is name@node without spaces, got '" + m + "'");
            }
        }
        members = List.copyOf(new TreeSet<>(members));
    }

    /** The membership a group starts from, as configured. */
    public static Membership initial(Collection<String> members) {
        return new Membership(0, 0, List.copyOf(members));
    }

    public boolean contains(String member) {
        return members.contains(member);
    }

    public int majority() {
        return members.size() / 2 + 1;
    }

    /** The next membership, made by the leader of {@code leaderTerm}. */
    public Membership next(long leaderTerm, Collection<String> newMembers) {
        return new Membership(leaderTerm, version + 1, List.copyOf(newMembers));
    }

    /** Whether this one is more recent than {@code (otherTerm, otherVersion)}. */
    public boolean newerThan(long otherTerm, long otherVersion) {
        return term != otherTerm ? term > otherTerm : version > otherVersion;
    }

    /** Whether this one is {@code (otherTerm, otherVersion)}. */
    public boolean is(long otherTerm, long otherVersion) {
        return term == otherTerm && version == otherVersion;
    }

    @Override
    public String toString() {
        return "v" + version + "@t" + term + members;
    }
}
