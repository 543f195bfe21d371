package services.ergo.leader;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one member's view of its election, safe to read from any thread (a health check, the Observer).
 *
 * @param clusterId the election group
 * @param self this member, {@code name@node}
 * @param term the current term
 * @param leader the leader this member knows of, {@code name@node}; null while none is known
 * @param leading whether this member leads
 * @param member whether this instance counts in the group now (false while it joins, and once it was removed)
 * @param members every member of the group, this one included
 */
public record LeaderStatus(
        String clusterId,
        String self,
        long term,
        @Nullable String leader,
        boolean leading,
        boolean member,
        List<String> members) {
    public LeaderStatus {
        members = List.copyOf(members);
    }
}
