package services.ergo.leader;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

/** Leader actors on real nodes talking over TCP. */
class LeaderActorTest {
    @TempDir
    Path state;

    private final List<Node> nodes = new ArrayList<>();
    /** Who leads in which term, as the members themselves report it. */
    private static final Map<String, Map<Long, String>> LEADS = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        nodes.forEach(Node::stopForce);
    }

    /** A member that answers "leader?" with what it knows, and records when it leads. */
    public static final class Member extends LeaderActor {
        private String group;

        @Override
        protected LeaderOptions initLeader(Object... args) {
            @SuppressWarnings("unchecked")
            List<ProcessId> peers = (List<ProcessId>) args[0];
            group = (String) args[1];
            return LeaderOptions.of(group, peers.toArray(ProcessId[]::new)).withStateDirectory((Path) args[2]);
        }

        @Override
        protected void handleBecomeLeader() {
            String before =
                    LEADS.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).putIfAbsent(term(), node().name());
            if (before != null && !before.equals(node().name())) {
                throw new IllegalStateException("two leaders in term " + term() + ": " + before + ", " + node().name());
            }
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return isLeader() ? "leader" : currentLeader().map(ProcessId::node).orElse("none");
        }

        @Override
        protected void handlePeerJoined(ProcessId peer) {
            PEERS.computeIfAbsent(node().name(), n -> ConcurrentHashMap.newKeySet())
                    .add(peer.node());
        }

        @Override
        protected void handlePeerLeft(ProcessId peer) {
            PEERS.computeIfAbsent(node().name(), n -> ConcurrentHashMap.newKeySet())
                    .remove(peer.node());
        }
    }

    /** The peers each member was told it can reach (handlePeerJoined minus handlePeerLeft). */
    private static final Map<String, java.util.Set<String>> PEERS = new ConcurrentHashMap<>();

    @Test
    void membersAreToldWhenAPeerJoinsAndWhenItLeaves() {
        List<Node> members = group("peers", 3);
        for (Node n : members) {
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            PEERS.getOrDefault(n.name(), java.util.Set.of()).size() == 2);
        }
        Node gone = members.get(2);
        gone.stopForce();
        for (Node n : members.subList(0, 2)) {
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            !PEERS.getOrDefault(n.name(), java.util.Set.of()).contains(gone.name()));
        }
    }

    private List<Node> group(String name, int size) {
        List<Node> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Node n = Ergo.startNode(
                    name + i + "@localhost",
                    NodeOptions.builder()
                            .registrar(TestRegistrar.shared())
                            .callTimeout(Duration.ofSeconds(2))
                            .network(NetworkOptions.on().withPort(0))
                            .build());
            nodes.add(n);
            members.add(n);
        }
        for (Node n : members) {
            List<ProcessId> peers = new ArrayList<>();
            for (Node o : members) {
                if (o != n) {
                    peers.add(new ProcessId("member", o.name()));
                }
            }
            n.spawnRegister("member", Member::new, ProcessOptions.defaults(), peers, name, state);
        }
        return members;
    }

    private static List<Node> leaders(List<Node> alive) {
        return alive.stream()
                .filter(n -> "leader".equals(n.call(new ProcessId("member", n.name()), "?")))
                .toList();
    }

    private void electsAndFailsOver(String name, int size) {
        List<Node> members = new ArrayList<>(group(name, size));
        await().atMost(Duration.ofSeconds(5)).until(() -> leaders(members).size() == 1);
        // kill leaders while a majority of the group survives the kill
        while (members.size() - 1 > size / 2) {
            Node leader = leaders(members).get(0);
            members.remove(leader);
            long t0 = System.nanoTime();
            leader.stopForce();
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> leaders(members).size() == 1);
            System.out.printf(
                    "%d members: leader %s stopped → %s leads after %d ms%n",
                    size, leader.name(), leaders(members).get(0).name(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    @Test
    void threeMembersElectOneLeaderAndFailOverWhenItGoes() {
        electsAndFailsOver("three", 3);
    }

    @Test
    void fiveMembersSurviveLosingTwoLeadersInARow() {
        electsAndFailsOver("five", 5);
    }

    @Test
    void aLoneMemberOfThreeNeverElectsItself() {
        List<Node> members = group("lone", 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> leaders(members).size() == 1);
        Node survivor = members.stream()
                .filter(n -> !leaders(members).contains(n))
                .findFirst()
                .orElseThrow();
        for (Node n : members) {
            if (n != survivor) {
                n.stopForce();
            }
        }
        // the lone member keeps trying, and must keep failing: no quorum, no leader, however long
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(() -> !"leader".equals(survivor.call(new ProcessId("member", survivor.name()), "?")));
    }
}
