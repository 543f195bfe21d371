package services.ergo.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The membership rules of the election, one step at a time (the simulation checks them together, under faults). */
class ElectionMembershipTest {

    private static Election member(String self, Set<String> first, boolean join, Election.Persistence disk) {
        return new Election(self, first, join, 150, 300, 50, new Random(7), disk, 0);
    }

    @Test
    void aJoiningMemberAsksToBeAddedAndNeverStandsUntilItIs() {
        Election d = member("d", Set.of("a", "b", "c"), true, Election.Persistence.inMemory());
        assertThat(d.isMember()).isFalse();
        long now = 0;
        for (int i = 0; i < 20; i++) {
            now = d.nextDeadline();
            Election.Output out = d.tick(now);
            assertThat(d.role()).isEqualTo(Election.Role.FOLLOWER);
            assertThat(out.sends()).extracting(Election.Send::to).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(out.sends())
                    .extracting(Election.Send::message)
                    .allMatch(m -> m instanceof Election.MemberChange c
                            && c.add()
                            && c.member().equals("d"));
        }
        // a leader's heartbeat with a membership that has it: it is in, and says so in its ack
        Membership withD = new Membership(3, 4, List.of("a", "b", "c", "d"));
        Election.Output out = d.receive("a", new Election.Heartbeat(3, "a", withD, false, null), now + 1);
        assertThat(d.isMember()).isTrue();
        assertThat(d.leader()).isEqualTo("a");
        assertThat(out.sends()).containsExactly(new Election.Send("a", new Election.HeartbeatAck(3, true, 3, 4)));
    }

    @Test
    void noVoteForACandidateWhoseMembershipIsOlder() {
        Election.Persistence disk = Election.Persistence.inMemory();
        disk.saveMembership(new Membership(2, 5, List.of("a", "b", "c")));
        Election b = member("b", Set.of("a", "b", "c"), false, disk);
        // a candidate of a later term, but with a membership an older leader made: it may have missed a change
        Election.Output refused = b.receive("a", new Election.RequestVote(3, "a", 1, 9), 1_000);
        assertThat(refused.sends()).containsExactly(new Election.Send("a", new Election.Vote(3, false)));
        Election.Output granted = b.receive("c", new Election.RequestVote(3, "c", 2, 5), 1_001);
        assertThat(granted.sends()).containsExactly(new Election.Send("c", new Election.Vote(3, true)));
    }

    @Test
    void aReorderedHeartbeatNeverTakesAMemberBackToAnOlderMembership() {
        Election c = member("c", Set.of("a", "b", "c"), false, Election.Persistence.inMemory());
        Membership newer = new Membership(4, 6, List.of("a", "b", "c", "d"));
        Membership older = new Membership(4, 5, List.of("a", "b", "c"));
        c.receive("a", new Election.Heartbeat(4, "a", newer, false, null), 10);
        Election.Output out = c.receive("a", new Election.Heartbeat(4, "a", older, true, null), 11);
        assertThat(c.membership()).isEqualTo(newer);
        assertThat(out.sends()).containsExactly(new Election.Send("a", new Election.HeartbeatAck(4, true, 4, 6)));
    }

    @Test
    void aLeaderStampsItsMembershipAndChangesOneMemberAtATimeOnceTheLastChangeHolds() {
        Election a = member("a", Set.of("a", "b", "c"), false, Election.Persistence.inMemory());
        long now = a.nextDeadline();
        a.tick(now); // pre-vote
        a.receive("b", new Election.PreVoteReply(0, true), now + 1);
        a.receive("b", new Election.Vote(1, true), now + 2);
        assertThat(a.isLeader()).isTrue();
        assertThat(a.membership()).isEqualTo(new Membership(1, 1, List.of("a", "b", "c")));

        // asked to go from {a,b,c} to {a,d,e}: d and e must answer first; nothing changes before the stamp holds
        a.setTarget(List.of("a", "d", "e"), now + 3);
        a.receive("d", new Election.HeartbeatAck(1, true, -1, -1), now + 4);
        a.receive("e", new Election.HeartbeatAck(1, true, -1, -1), now + 4);
        assertThat(a.membership().version()).isEqualTo(1);
        a.receive("b", new Election.HeartbeatAck(1, true, 1, 1), now + 5);
        assertThat(a.membership()).isEqualTo(new Membership(1, 2, List.of("a", "b", "c", "d")));
        // the next change waits until a majority of {a,b,c,d} (three) holds version 2
        a.receive("b", new Election.HeartbeatAck(1, true, 1, 2), now + 6);
        assertThat(a.membership().version()).isEqualTo(2);
        a.receive("d", new Election.HeartbeatAck(1, true, 1, 2), now + 7);
        assertThat(a.membership()).isEqualTo(new Membership(1, 3, List.of("a", "b", "c", "d", "e")));
    }
}
