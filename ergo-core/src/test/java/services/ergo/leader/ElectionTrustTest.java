package services.ergo.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Whom the election listens to, one step at a time: a sender outside the group moves no term and no membership,
 * a message naming another member as its sender counts for nothing, and a join is taken only where joins are.
 */
class ElectionTrustTest {
    private static final Set<String> GROUP = Set.of("a", "b", "c");

    private static Election member(String self, boolean acceptJoins) {
        return new Election(
                self, GROUP, false, acceptJoins, 150, 300, 50, new Random(7), Election.Persistence.inMemory(), 0);
    }

    @Test
    void aForgedHeartbeatFromOutsideTheGroupMovesNeitherTermNorMembership() {
        Election b = member("b", true);
        Membership ghost = new Membership(Long.MAX_VALUE, 0, List.of("ghost@n"));
        Election.Output out = b.receive("x", new Election.Heartbeat(Long.MAX_VALUE, "x", ghost, true, null), 10);
        assertThat(b.term()).isZero();
        assertThat(b.members()).containsExactlyInAnyOrderElementsOf(GROUP);
        assertThat(b.leader()).isNull();
        assertThat(out.refused()).singleElement().asString().contains("outside the group");
        assertThat(out.sends()).noneMatch(s -> s.to().equals("x"));

        // nor a vote request, nor a refused pre-vote's term, nor an ack
        b.receive("x", new Election.RequestVote(Long.MAX_VALUE, "x", Long.MAX_VALUE, 0), 11);
        b.receive("x", new Election.PreVoteReply(Long.MAX_VALUE, false), 12);
        b.receive("x", new Election.HeartbeatAck(Long.MAX_VALUE, false, -1, -1), 13);
        assertThat(b.term()).isZero();
        assertThat(b.role()).isEqualTo(Election.Role.FOLLOWER);
    }

    @Test
    void aMessageNamingAnotherMemberAsItsSenderCountsForNothing() {
        Election b = member("b", true);
        // "c" forwards a heartbeat that names "a" as the leader: as if c spoke for a
        Membership m = new Membership(5, 1, List.of("a", "b", "c"));
        Election.Output out = b.receive("c", new Election.Heartbeat(5, "a", m, true, null), 10);
        assertThat(b.term()).isZero();
        assertThat(b.leader()).isNull();
        assertThat(out.refused()).singleElement().asString().contains("naming another member");

        // a vote request for a candidate other than its sender is not granted, and does not move the term
        out = b.receive("c", new Election.RequestVote(3, "a", 0, 0), 11);
        assertThat(out.sends()).isEmpty();
        assertThat(b.term()).isZero();
        out = b.receive("c", new Election.PreVote(3, "a", 0, 0), 12);
        assertThat(out.sends()).isEmpty();

        // the member itself is heard
        b.receive("a", new Election.Heartbeat(5, "a", m, true, null), 13);
        assertThat(b.term()).isEqualTo(5);
        assertThat(b.leader()).isEqualTo("a");
    }

    @Test
    void onlyMembersChangeTheMembershipAndANewcomerJoinsOnlyWhereJoinsAreTaken() {
        Election open = leaderOf(member("a", true));
        Election.Output out = open.receive("x", new Election.MemberChange(0, "b", false, 0), 1_000);
        assertThat(out.refused()).singleElement().asString().contains("outside the group");
        assertThat(open.target()).isNull();
        out = open.receive("x", new Election.MemberChange(0, "y", true, 0), 1_001);
        assertThat(out.refused()).hasSize(1);
        assertThat(open.target()).isNull();

        open.receive("x", new Election.MemberChange(0, "x", true, 0), 1_002);
        assertThat(open.target()).containsExactly("a", "b", "c", "x");

        Election closed = leaderOf(member("a", false));
        out = closed.receive("x", new Election.MemberChange(0, "x", true, 0), 1_000);
        assertThat(out.refused()).singleElement().asString().contains("acceptJoins");
        assertThat(closed.target()).isNull();
        // a member asks for it: taken
        closed.receive("b", new Election.MemberChange(0, "x", true, 1), 1_001);
        assertThat(closed.target()).containsExactly("a", "b", "c", "x");
    }

    @Test
    void aMemberThatMissedTheChangesIsToldWhoTheMembersAreByOneItKnows() {
        Election c = member("c", true);
        Membership withD = new Membership(4, 3, List.of("a", "b", "c", "d"));
        // d joined and leads while c was away: c has never heard of it
        c.receive("d", new Election.Heartbeat(4, "d", withD, true, null), 10);
        assertThat(c.leader()).isNull();

        // a, which follows d, answers c's pre-vote with who is in
        Election.Persistence disk = Election.Persistence.inMemory();
        disk.saveMembership(withD);
        Election a = new Election("a", GROUP, false, true, 150, 300, 50, new Random(7), disk, 0);
        a.receive("d", new Election.Heartbeat(4, "d", withD, true, null), 20);
        Election.Output told = a.receive("c", new Election.PreVote(1, "c", 0, 0), 30);
        for (Election.Send s : told.sends()) {
            c.receive("a", s.message(), 31);
        }
        c.receive("d", new Election.Heartbeat(4, "d", withD, true, null), 40);
        assertThat(c.leader()).isEqualTo("d");
        assertThat(c.membership()).isEqualTo(withD);
    }

    @Test
    void malformedNamesAreRefusedBeforeAnythingIsStored() {
        Election b = member("b", true);
        Membership m = new Membership(5, 1, List.of("a", "b", "c"));
        Election.Output out = b.receive("a", new Election.Heartbeat(5, "a", m, true, new String[] {"a\n9 9 x"}), 10);
        assertThat(out.refused()).singleElement().asString().contains("malformed");
        assertThat(b.term()).isZero();
        out = b.receive("a", new Election.RequestVote(-1, "a", 0, 0), 11);
        assertThat(out.refused()).singleElement().asString().contains("negative");
    }

    /** {@code e} elected by b's vote. */
    private static Election leaderOf(Election e) {
        long now = e.nextDeadline();
        e.tick(now);
        e.receive("b", new Election.PreVoteReply(0, true), now + 1);
        e.receive("b", new Election.Vote(1, true), now + 2);
        e.receive("b", new Election.HeartbeatAck(1, true, 1, 1), now + 3);
        assertThat(e.isLeader()).isTrue();
        return e;
    }
}
