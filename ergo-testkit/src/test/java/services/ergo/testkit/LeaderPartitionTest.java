package services.ergo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.leader.LeaderActor;
import services.ergo.leader.LeaderOptions;
import services.ergo.registrar.EmbeddedRegistrar;

/**
 * Leader actors on three real nodes whose every link goes through a {@link TcpRelay}, so the test can partition
 * one node (cut all its links) and heal it: a leader cut off steps down and the majority elects another; a member
 * back from a partition does not depose the healthy leader; a follower cut off never leads. (Here rather than in
 * ergo-core, whose tests cannot use the testkit.)
 */
class LeaderPartitionTest {
    @TempDir
    Path state;

    private final List<Node> nodes = new ArrayList<>();
    private final List<TcpRelay> relays = new ArrayList<>();
    /** relay[from][to]: the route node {@code from} uses to reach node {@code to}. */
    private TcpRelay[][] relay;

    /** A member that answers "?" with "leading term" as it sees it. */
    public static final class Member extends LeaderActor {
        @Override
        protected LeaderOptions initLeader(Object... args) {
            return LeaderOptions.of(
                            "partition",
                            ProcessId.parse("member@p0@localhost"),
                            ProcessId.parse("member@p1@localhost"),
                            ProcessId.parse("member@p2@localhost"))
                    .withStateDirectory((Path) args[0]);
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return (isLeader() ? "1 " : "0 ") + term();
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(Node::stopForce);
        relays.forEach(TcpRelay::close);
    }

    private void start() throws Exception {
        for (int i = 0; i < 3; i++) {
            nodes.add(Ergo.startNode(
                    "p" + i + "@localhost",
                    NodeOptions.builder()
                            .cookie("partition")
                            .callTimeout(Duration.ofSeconds(2))
                            .network(NetworkOptions.on().withPort(0))
                            .registrar(() -> new EmbeddedRegistrar(
                                    EmbeddedRegistrar.Options.defaults().withPort(0)))
                            .build()));
        }
        relay = new TcpRelay[3][3];
        for (int from = 0; from < 3; from++) {
            for (int to = 0; to < 3; to++) {
                if (from != to) {
                    TcpRelay r = TcpRelay.to(nodes.get(to).network().acceptor().port());
                    relays.add(r);
                    relay[from][to] = r;
                    nodes.get(from).network().addRoute(nodes.get(to).name(), new NetworkRoute("localhost", r.port()));
                }
            }
        }
        for (Node n : nodes) {
            n.spawnRegister("member", Member::new, ProcessOptions.defaults(), state);
        }
    }

    private void partition(int node) {
        for (int other = 0; other < 3; other++) {
            if (other != node) {
                relay[node][other].cut();
                relay[other][node].cut();
            }
        }
    }

    private void heal(int node) throws Exception {
        for (int other = 0; other < 3; other++) {
            if (other != node) {
                relay[node][other].restore();
                relay[other][node].restore();
            }
        }
    }

    /** What member i says: {leading (1/0), term}. Asked locally, so it answers whatever the partition. */
    private long[] view(int i) {
        String[] w =
                ((String) nodes.get(i).call(new ProcessId("member", nodes.get(i).name()), "?")).split(" ");
        return new long[] {Long.parseLong(w[0]), Long.parseLong(w[1])};
    }

    private int leaderAmong(int... members) {
        int leader = -1;
        for (int i : members) {
            if (view(i)[0] == 1) {
                if (leader >= 0) {
                    return -2;
                }
                leader = i;
            }
        }
        return leader;
    }

    private int settledLeader() {
        // the leader found is the one returned: asking again could find none between two terms
        return await().atMost(Duration.ofSeconds(10)).until(() -> leaderAmong(0, 1, 2), l -> l >= 0);
    }

    @Test
    void aLeaderCutOffStepsDownTheMajorityElectsAnotherAndTheHealedOneFollows() throws Exception {
        start();
        int old = settledLeader();
        int[] majority =
                java.util.stream.IntStream.range(0, 3).filter(i -> i != old).toArray();
        long oldTerm = view(old)[1];

        partition(old);
        int next = await().atMost(Duration.ofSeconds(5)).until(() -> leaderAmong(majority), l -> l >= 0);
        assertThat(view(next)[1]).isGreaterThan(oldTerm);
        // check quorum: without a majority the old leader steps down within an election timeout or so
        await().atMost(Duration.ofSeconds(2)).until(() -> view(old)[0] == 0);
        // and, cut off, it never leads again however long it tries
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> view(old)[0] == 0);

        long healthyTerm = view(next)[1];
        heal(old);
        await().atMost(Duration.ofSeconds(5)).until(() -> view(old)[1] == healthyTerm && view(old)[0] == 0);
        // pre-vote: the member back from the partition did not depose the healthy leader
        assertThat(leaderAmong(0, 1, 2)).isEqualTo(next);
        assertThat(view(next)[1]).isEqualTo(healthyTerm);
    }

    @Test
    void aFollowerCutOffNeverLeadsAndTheLeaderKeepsItsTerm() throws Exception {
        start();
        int leader = settledLeader();
        int follower = (leader + 1) % 3;
        long term = view(leader)[1];

        partition(follower);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> view(follower)[0] == 0 && view(leader)[0] == 1 && view(leader)[1] == term);

        heal(follower);
        await().atMost(Duration.ofSeconds(5)).until(() -> view(follower)[1] == term);
        assertThat(leaderAmong(0, 1, 2)).isEqualTo(leader);
        assertThat(view(leader)[1]).isEqualTo(term);
    }
}
