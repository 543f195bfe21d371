package services.ergo.leader;

import services.ergo.gen.ProcessId;

/**
 * A message to any member of a leader group: add {@code peer} to the group, or remove it. The member takes it from
 * a process of its own node, of a member's node (or one listed in the group's peers) or of an
 * {@link LeaderOptions#operators operator} node, and refuses it from any other node (logged once per node). It
 * hands it to the leader, which changes the membership one member at a time; it is dropped when no leader is known
 * (send it again), and ignored by a group that follows the registrar ({@link LeaderOptions#withDiscovery}).
 *
 * <pre>{@code
 * node.send(ProcessId.parse("scheduler@node1"), new MembershipChange(ProcessId.parse("scheduler@node4"), true));
 * }</pre>
 *
 * @param peer the member to add or remove, as {@code name@node}
 * @param add true to add it, false to remove it
 */
public record MembershipChange(ProcessId peer, boolean add) {
    public MembershipChange {
        if (peer == null) {
            throw new IllegalArgumentException("a membership change needs the peer to add or remove");
        }
    }
}
