package services.ergo.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.testing.TestRegistrar;

/**
 * Members join and leave a running group over real TCP, and the group keeps electing one leader. (The simulation
 * shows the same under faults, schedule by schedule; this is the actor on a real network.)
 */
class LeaderMembershipTest {
    @TempDir
    Path state;

    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(Node::stopForce);
    }

    private record Change(String peer, boolean add) {}

    /** A member of a group listed the same on every node; it answers questions about its view. */
    public static final class Member extends LeaderActor {
        @Override
        protected LeaderOptions initLeader(Object... args) {
            @SuppressWarnings("unchecked")
            List<ProcessId> listed = (List<ProcessId>) args[0];
            return LeaderOptions.group((String) args[1], listed).withStateDirectory((Path) args[2]);
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) throws Exception {
            if (request instanceof Change c) {
                ProcessId peer = ProcessId.parse(c.peer());
                return c.add() ? addPeer(peer) : removePeer(peer);
            }
            if ("members".equals(request)) {
                return new TreeSet<>(peers().stream().map(ProcessId::node).toList()).toString();
            }
            if ("member?".equals(request)) {
                return isMember();
            }
            return isLeader() ? "leader" : currentLeader().map(ProcessId::node).orElse("none");
        }
    }

    private Node startNode(String name) {
        Node n = Ergo.startNode(
                name + "@localhost",
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .callTimeout(Duration.ofSeconds(2))
                        .network(NetworkOptions.on().withPort(0))
                        .build());
        nodes.add(n);
        return n;
    }

    private static Object ask(Node n, Object request) {
        return n.call(new ProcessId("member", n.name()), request);
    }

    private static List<Node> leaders(List<Node> among) {
        return among.stream().filter(n -> "leader".equals(ask(n, "?"))).toList();
    }

    private static String names(List<Node> among) {
        return new TreeSet<>(among.stream().map(Node::name).collect(Collectors.toSet())).toString();
    }

    /** Starts {@code size} nodes listed as the group, plus {@code extra} more that are not listed. */
    private List<Node> group(String group, int size, int extra) {
        List<Node> all = new ArrayList<>();
        for (int i = 0; i < size + extra; i++) {
            all.add(startNode(group + i));
        }
        List<ProcessId> listed = all.subList(0, size).stream()
                .map(n -> new ProcessId("member", n.name()))
                .toList();
        for (Node n : all) {
            n.spawnRegister("member", Member::new, ProcessOptions.defaults(), listed, group, state);
        }
        return all;
    }

    @Test
    void aMemberNotListedJoinsTheRunningGroupAndCountsInItsQuorum() {
        List<Node> all = group("join", 3, 1);
        Node newcomer = all.get(3);
        String everyone = names(all);
        for (Node n : all) {
            await().atMost(Duration.ofSeconds(10)).until(() -> everyone.equals(ask(n, "members")));
        }
        assertThat(ask(newcomer, "member?")).isEqualTo(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> leaders(all).size() == 1);

        // four members: a majority is three, so losing the leader leaves exactly enough
        Node leader = leaders(all).get(0);
        List<Node> rest = new ArrayList<>(all);
        rest.remove(leader);
        leader.stopForce();
        await().atMost(Duration.ofSeconds(5)).until(() -> leaders(rest).size() == 1);
        // and losing one more leaves two of four: no majority, no leader
        Node second = leaders(rest).get(0);
        rest.remove(second);
        second.stopForce();
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> leaders(rest).isEmpty());
    }

    @Test
    void removedMembersLeaveTheQuorumAndARemovedLeaderHandsOver() {
        List<Node> all = group("remove", 3, 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> leaders(all).size() == 1);
        Node leader = leaders(all).get(0);
        List<Node> followers = new ArrayList<>(all);
        followers.remove(leader);

        // the removed follower's node sends the request over the wire to the other follower, which passes it on to
        // the leader: any member takes it, from anywhere
        Node asker = followers.get(0);
        Node removed = followers.get(1);
        removed.send(
                new ProcessId("member", asker.name()),
                new MembershipChange(new ProcessId("member", removed.name()), false));
        String two = names(List.of(leader, asker));
        for (Node n : List.of(leader, asker)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> two.equals(ask(n, "members")));
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ask(removed, "member?").equals(false));

        // the leader removes itself: the one member left leads alone, the old leader does not lead again
        assertThat(ask(leader, new Change(new ProcessId("member", leader.name()).toString(), false)))
                .isEqualTo(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> "leader".equals(ask(asker, "?")));
        assertThat(ask(asker, "members")).isEqualTo(names(List.of(asker)));
        await().during(Duration.ofMillis(800))
                .atMost(Duration.ofSeconds(2))
                .until(() -> leaders(all).equals(List.of(asker)));
        assertThat(ask(leader, "member?"))
                .as(
                        "%s, which removed itself, is a member: it sees %s led by %s",
                        leader.name(), ask(leader, "members"), ask(leader, "?"))
                .isEqualTo(false);
        assertThat(Set.of(ask(removed, "?"), ask(leader, "?"))).doesNotContain("leader");
    }
}
