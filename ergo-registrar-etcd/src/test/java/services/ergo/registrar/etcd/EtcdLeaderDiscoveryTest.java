package services.ergo.registrar.etcd;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import services.ergo.Ergo;
import services.ergo.gen.ApplicationMemberSpec;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ApplicationSpec;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.Ref;
import services.ergo.leader.LeaderActor;
import services.ergo.leader.LeaderOptions;
import services.ergo.testkit.EtcdServer;

/**
 * A leader group whose members follow the registrar: the nodes running application {@code jobs} on a real etcd.
 * A node that starts the application is added; one whose routes are gone from etcd (the node stopped) is removed, so the quorum shrinks with it and the group survives a loss it could not have survived at four.
 */
class EtcdLeaderDiscoveryTest {
    private static EtcdServer etcd;

    @TempDir
    static Path state;

    private final List<Node> nodes = new ArrayList<>();

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdServer.start();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        etcd.close();
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(Node::stopForce);
    }

    /** The scheduler of application jobs: first membership a, b, c; then whoever runs jobs. */
    public static final class Scheduler extends LeaderActor {
        @Override
        protected LeaderOptions initLeader(Object... args) {
            List<ProcessId> first = List.of(
                    ProcessId.parse("scheduler@a@localhost"),
                    ProcessId.parse("scheduler@b@localhost"),
                    ProcessId.parse("scheduler@c@localhost"));
            return LeaderOptions.group("schedulers", first)
                    .withDiscovery("jobs", Duration.ofMillis(500))
                    .withStateDirectory(state);
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            if ("members".equals(request)) {
                return new TreeSet<>(peers().stream().map(ProcessId::node).toList()).toString();
            }
            return isLeader() ? "leader" : "follower";
        }
    }

    private Node start(String name) {
        Node n = Ergo.startNode(
                name + "@localhost",
                NodeOptions.builder()
                        .cookie("etcd")
                        .callTimeout(Duration.ofSeconds(2))
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults()
                                .withEndpoints(etcd.endpoint())
                                .withCluster("discovery")
                                .withLeaseTtl(Duration.ofSeconds(2))
                                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))))
                        .build());
        nodes.add(n);
        n.applicationLoad((node, args) -> ApplicationSpec.builder("jobs")
                .member(ApplicationMemberSpec.of("scheduler", Scheduler::new))
                .build());
        n.applicationStart("jobs", ApplicationOptions.defaults());
        return n;
    }

    private static Object ask(Node n, String request) {
        return n.call(new ProcessId("scheduler", n.name()), request);
    }

    private static List<Node> leaders(List<Node> among) {
        return among.stream().filter(n -> "leader".equals(ask(n, "?"))).toList();
    }

    private static void allSee(List<Node> among, String members) {
        for (Node n : among) {
            await().atMost(Duration.ofSeconds(15)).until(() -> members.equals(ask(n, "members")));
        }
    }

    @Test
    void membersFollowTheNodesRunningTheApplication() {
        List<Node> alive = new ArrayList<>(List.of(start("a"), start("b"), start("c")));
        await().atMost(Duration.ofSeconds(10)).until(() -> leaders(alive).size() == 1);

        // a fourth node starts the application: the leader finds it in etcd and adds it
        alive.add(start("d"));
        allSee(alive, "[a@localhost, b@localhost, c@localhost, d@localhost]");

        // a follower stops: its routes leave etcd, and half a second later it is removed
        Node follower = alive.stream()
                .filter(n -> !leaders(alive).contains(n))
                .findFirst()
                .orElseThrow();
        alive.remove(follower);
        follower.stopForce();
        allSee(alive, new TreeSet<>(alive.stream().map(Node::name).toList()).toString());

        // three members now: losing the leader leaves two of three, a majority (of four it would not be)
        Node leader = leaders(alive).get(0);
        alive.remove(leader);
        leader.stopForce();
        await().atMost(Duration.ofSeconds(10)).until(() -> leaders(alive).size() == 1);
    }
}
