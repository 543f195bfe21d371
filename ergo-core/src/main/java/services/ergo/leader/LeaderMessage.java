package services.ergo.leader;

import java.util.List;

/** An election message between the members of one election, as it travels. */
public record LeaderMessage(String clusterId, String from, Election.Message message) {

    /** Every type that travels between the members of an election, for the network's type registration. */
    public static final List<Class<?>> WIRE_TYPES = List.of(
            LeaderMessage.class,
            Election.PreVote.class,
            Election.PreVoteReply.class,
            Election.RequestVote.class,
            Election.Vote.class,
            Election.Heartbeat.class,
            Election.HeartbeatAck.class,
            Election.MemberChange.class,
            Membership.class,
            MembershipChange.class);
}
