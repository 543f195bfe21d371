package services.ergo.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
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
 * A node that holds the cookie but is not in the group, over real TCP: its forged election messages and its
 * membership changes move nothing, an operator node's changes are taken, and a group that takes no joins keeps a
 * newcomer out (H3 of the security review).
 */
class LeaderTrustTest {
    private static final Duration ELECTION_MAX = LeaderOptions.DEFAULT_ELECTION_MAX;

    @TempDir
    Path state;

    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(Node::stopForce);
    }

    /** A member with the options it is given; it answers questions about its view. */
    public static final class Member extends LeaderActor {
        @Override
        protected LeaderOptions initLeader(Object... args) {
            return (LeaderOptions) args[0];
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            if ("members".equals(request)) {
                return new TreeSet<>(peers().stream().map(ProcessId::node).toList()).toString();
            }
            if ("term".equals(request)) {
                return term();
            }
            if ("member?".equals(request)) {
                return isMember();
            }
            return isLeader() ? "leader" : "follower";
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

    private static List<ProcessId> listed(String group) {
        List<ProcessId> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add(new ProcessId("member", group + i + "@localhost"));
        }
        return out;
    }

    /** The three listed members of {@code group}, started with {@code options}. */
    private List<Node> members(String group, LeaderOptions options) {
        List<Node> out = new ArrayList<>();
        for (ProcessId p : listed(group)) {
            Node n = startNode(p.node().substring(0, p.node().indexOf('@')));
            n.spawnRegister("member", Member::new, ProcessOptions.defaults(), options);
            out.add(n);
        }
        return out;
    }

    private LeaderOptions options(String group) {
        return LeaderOptions.group(group, listed(group)).withStateDirectory(state);
    }

    private static Object ask(Node n, Object request) {
        return n.call(new ProcessId("member", n.name()), request);
    }

    private static long leaders(List<Node> among) {
        return among.stream().filter(n -> "leader".equals(ask(n, "?"))).count();
    }

    /** A node with the cookie that speaks the election's types, and is no member. */
    private Node outsider(String name) {
        Node n = startNode(name);
        LeaderMessage.WIRE_TYPES.forEach(c -> n.network().registerType(c));
        return n;
    }

    @Test
    void forgedHeartbeatsFromANodeOutsideTheGroupLeaveItLedAndItStillElectsAfterARestart() {
        String group = "forged";
        List<Node> members = members(group, options(group));
        await().atMost(Duration.ofSeconds(5)).until(() -> leaders(members) == 1);

        Node evil = outsider("forger");
        String self = "member@" + evil.name();
        Membership ghosts = new Membership(Long.MAX_VALUE, 0, List.of("ghost@n@localhost"));
        for (Node m : members) {
            ProcessId to = new ProcessId("member", m.name());
            // in its own name, in the name of the member it writes to, and in the review's words ("x@y")
            for (String as : List.of(self, to.toString(), "x@y")) {
                evil.send(
                        to,
                        new LeaderMessage(group, as, new Election.Heartbeat(Long.MAX_VALUE, as, ghosts, true, null)));
                evil.send(
                        to,
                        new LeaderMessage(group, as, new Election.RequestVote(Long.MAX_VALUE, as, Long.MAX_VALUE, 0)));
            }
        }
        String three = new TreeSet<>(members.stream().map(Node::name).toList()).toString();
        // the forgeries arrive after a round trip to each member: by then none may have taken them
        evil.call(new ProcessId("member", members.get(2).name()), "term");
        await().atMost(ELECTION_MAX.multipliedBy(2)).until(() -> leaders(members) == 1);
        for (Node m : members) {
            assertThat((long) ask(m, "term")).as("%s's term", m.name()).isLessThan(1_000);
            assertThat(ask(m, "members")).isEqualTo(three);
        }

        // the state on disk is the group's own: restarted, it elects again
        List<String> names = members.stream().map(Node::name).toList();
        members.forEach(Node::stopForce);
        nodes.removeAll(members);
        List<Node> again = members(group, options(group));
        assertThat(again.stream().map(Node::name).toList()).isEqualTo(names);
        await().atMost(Duration.ofSeconds(5)).until(() -> leaders(again) == 1);
        for (Node m : again) {
            assertThat((long) ask(m, "term")).isLessThan(1_000);
            assertThat(ask(m, "members")).isEqualTo(three);
        }
    }

    @Test
    void aMembershipChangeFromANodeOutsideTheGroupIsRefusedAndOneFromAnOperatorNodeTaken() {
        String group = "operated";
        List<Node> members = members(group, options(group).withOperators(List.of("ops@localhost")));
        await().atMost(Duration.ofSeconds(5)).until(() -> leaders(members) == 1);
        String three = new TreeSet<>(members.stream().map(Node::name).toList()).toString();
        Node removed = members.get(2);
        MembershipChange remove = new MembershipChange(new ProcessId("member", removed.name()), false);

        ch.qos.logback.classic.Logger log =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Member.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        log.addAppender(lines);
        Node stranger = outsider("stranger");
        try {
            for (Node m : members) {
                for (int i = 0; i < 3; i++) {
                    stranger.send(new ProcessId("member", m.name()), remove);
                }
            }
            // each member has had the requests once this call to it returns (one connection, in order)
            for (Node m : members) {
                stranger.call(new ProcessId("member", m.name()), "members");
            }
        } finally {
            log.detachAppender(lines);
        }
        // refused, and said once per member however often it is sent
        assertThat(lines.list.stream()
                        .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                        .filter(l -> l.contains("neither a member nor an operator") && l.contains(stranger.name())))
                .hasSize(3);
        await().during(ELECTION_MAX.multipliedBy(2))
                .atMost(Duration.ofSeconds(2))
                .until(() -> members.stream().allMatch(m -> three.equals(ask(m, "members"))));

        Node ops = outsider("ops");
        ops.send(new ProcessId("member", members.get(0).name()), remove);
        String two = new TreeSet<>(List.of(members.get(0).name(), members.get(1).name())).toString();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> members.subList(0, 2).stream().allMatch(m -> two.equals(ask(m, "members"))));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ask(removed, "member?").equals(false));
    }

    @Test
    void aGroupThatTakesNoJoinsKeepsANewcomerOut() {
        String group = "closed";
        LeaderOptions closed = options(group).withAcceptJoins(false);
        List<Node> members = members(group, closed);
        await().atMost(Duration.ofSeconds(5)).until(() -> leaders(members) == 1);
        String three = new TreeSet<>(members.stream().map(Node::name).toList()).toString();

        Node newcomer = startNode("newcomer");
        newcomer.spawnRegister("member", Member::new, ProcessOptions.defaults(), options(group));
        // it asks at every election timeout; several asks later it is still out
        await().during(ELECTION_MAX.multipliedBy(4))
                .atMost(Duration.ofSeconds(3))
                .until(() -> ask(newcomer, "member?").equals(false)
                        && members.stream().allMatch(m -> three.equals(ask(m, "members"))));
    }

    @Test
    void aMemberStartingBesideAPlantedLinkNeverWritesThroughIt() throws Exception {
        Path canary = state.resolve("canary");
        java.nio.file.Files.writeString(canary, "untouched");
        Path dir = java.nio.file.Files.createDirectories(state.resolve("dirs").resolve("alone"));
        java.nio.file.Files.setPosixFilePermissions(
                state.resolve("dirs"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        java.nio.file.Files.setPosixFilePermissions(
                dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Node n = startNode("alone");
        java.nio.file.Files.createSymbolicLink(dir.resolve("member@" + n.name() + ".tmp"), canary);

        n.spawnRegister(
                "member",
                Member::new,
                ProcessOptions.defaults(),
                LeaderOptions.of("alone").withStateDirectory(state.resolve("dirs")));
        await().atMost(Duration.ofSeconds(5)).until(() -> "leader".equals(ask(n, "?")));
        assertThat(java.nio.file.Files.readString(canary)).isEqualTo("untouched");
        assertThat(java.nio.file.Files.readString(dir.resolve("member@" + n.name())))
                .startsWith("1 member@");
    }
}
