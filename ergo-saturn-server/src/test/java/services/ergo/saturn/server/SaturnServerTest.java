package services.ergo.saturn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.saturn.protocol.AppEntry;
import services.ergo.saturn.protocol.Codec;
import services.ergo.saturn.protocol.Message;
import services.ergo.saturn.protocol.NodeEntry;
import services.ergo.saturn.protocol.Proofs;

/** The server over real TCP, spoken to by {@link RawClient}s. */
class SaturnServerTest {
    static final String TOKEN = "a-cluster-token-of-some-length";

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private SaturnServer server(SaturnServerOptions options) {
        SaturnServer s = SaturnServer.start(options.withClusters(Map.of("prod", TOKEN)));
        closing.add(s);
        return s;
    }

    private SaturnServer server() {
        return server(SaturnServerOptions.defaults());
    }

    private RawClient client(SaturnServer s) throws Exception {
        RawClient c = RawClient.connect(s.port());
        closing.add(c);
        return c;
    }

    private RawClient registered(SaturnServer s, String name, int port) throws Exception {
        RawClient c = client(s);
        assertThat(c.register("prod", TOKEN, name, RawClient.entry(name, port))).isInstanceOf(Message.Welcome.class);
        c.readUntil(s.revision("prod"));
        return c;
    }

    @Test
    void aJoinAnUpdateALeaveAndAClosedSocketReachTheOthersEachAtItsRevision() throws Exception {
        SaturnServer s = server();
        RawClient a = registered(s, "a@h", 1001);
        assertThat(a.view).containsOnlyKeys("a@h");
        assertThat(a.snapshots).isEqualTo(1);

        RawClient b = registered(s, "b@h", 1002);
        a.readUntil(s.revision("prod"));
        assertThat(a.view).containsOnlyKeys("a@h", "b@h");
        assertThat(b.view).isEqualTo(a.view);

        NodeEntry withApp = new NodeEntry(
                "b@h", "127.0.0.1", 1002, Map.of("http", "127.0.0.1:8080"), List.of(new AppEntry("worker", 100, 1, 1)));
        b.send(new Message.Update(withApp));
        await().atMost(Duration.ofSeconds(5)).until(() -> s.entries("prod").contains(withApp));
        a.readUntil(s.revision("prod"));
        assertThat(a.view.get("b@h")).isEqualTo(withApp);

        b.send(new Message.Leave());
        assertThat(b.closedByServer()).as("a leave closes the connection").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.entries("prod").size() == 1);
        a.readUntil(s.revision("prod"));
        assertThat(a.view).containsOnlyKeys("a@h");

        RawClient c = registered(s, "c@h", 1003);
        c.close(); // no leave: the closed socket removes it at once
        await().atMost(Duration.ofSeconds(5)).until(() -> s.entries("prod").size() == 1);
        a.readUntil(s.revision("prod"));
        assertThat(a.view).containsOnlyKeys("a@h");
        assertThat(s.counters().changesEncoded.get())
                .as("each change encoded once, whatever the number of clients")
                .isEqualTo(s.revision("prod"));
    }

    @Test
    void aRoundBuildsEachDeltaFrameOnceForTheClientsAtTheSameRevisionOnEveryLoop() throws Exception {
        SaturnServer s = server(SaturnServerOptions.defaults().withIoThreads(3));
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(registered(s, "n" + i + "@h", 1000 + i));
        }
        for (RawClient c : clients) {
            c.readUntil(s.revision("prod"));
        }
        long frames = s.counters().deltaFrames.get();
        long built = s.counters().deltaFramesBuilt.get();

        registered(s, "late@h", 2000);
        for (RawClient c : clients) {
            c.readUntil(s.revision("prod"));
            assertThat(c.view).containsKey("late@h");
        }
        assertThat(s.counters().deltaFrames.get() - frames)
                .as("one delta frame each")
                .isEqualTo(6);
        assertThat(s.counters().deltaFramesBuilt.get() - built)
                .as("built once for the six, spread over three event loops")
                .isEqualTo(1);
        assertThatThrownBy(() -> SaturnServerOptions.defaults().withIoThreads(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("io-threads");
    }

    @Test
    void aWrongTokenOrAnUnknownClusterIsRefusedAndCountedAndTheTokenIsNeverSent() throws Exception {
        SaturnServer s = server();
        RawClient wrong = client(s);
        Message answer = wrong.register("prod", "not-the-cluster-token", "x@h", RawClient.entry("x@h", 1));
        assertThat(answer).isInstanceOfSatisfying(Message.Refused.class, r -> {
            assertThat(r.code()).isEqualTo(Message.Refused.BAD_PROOF);
            assertThat(r.reason()).contains("token proof");
        });
        assertThat(wrong.closedByServer()).isTrue();

        RawClient unknown = client(s);
        assertThat(unknown.register("staging", TOKEN, "x@h", RawClient.entry("x@h", 1)))
                .isInstanceOf(Message.Refused.class);
        assertThat(s.counters().badProofs.get()).isEqualTo(2);
        assertThat(s.entries("prod")).isEmpty();
    }

    @Test
    void aServerThatCannotProveTheTokenIsToldApartByTheClient() throws Exception {
        SaturnServer s = server();
        RawClient c = client(s);
        byte[] nonce = Proofs.random(Codec.NONCE_BYTES);
        c.send(new Message.Hello(Codec.VERSION, List.of(), "prod", "", nonce));
        Message.Challenge challenge = (Message.Challenge) c.read();
        assertThat(Proofs.same(
                        challenge.proof(),
                        Proofs.server(TOKEN, nonce, challenge.nonce(), "prod", 1, challenge.features(), new byte[0])))
                .isTrue();
        assertThat(Proofs.same(
                        challenge.proof(),
                        Proofs.server(
                                "another-token-altogether",
                                nonce,
                                challenge.nonce(),
                                "prod",
                                1,
                                List.of(),
                                new byte[0])))
                .isFalse();
        // a proof bound to a certificate fingerprint differs from the plain one: a relay cannot pass it on
        assertThat(Proofs.same(
                        challenge.proof(),
                        Proofs.server(TOKEN, nonce, challenge.nonce(), "prod", 1, challenge.features(), new byte[32])))
                .isFalse();
    }

    @Test
    void aNameIsTakenByAnotherIncarnationAndReclaimedByTheSameOne() throws Exception {
        SaturnServer s = server();
        RawClient observer = registered(s, "o@h", 1000);
        RawClient first = registered(s, "n@h", 1001);
        long before = s.revision("prod");

        RawClient impostor = client(s);
        assertThat(impostor.register("prod", TOKEN, "n@h", RawClient.entry("n@h", 9999)))
                .isInstanceOfSatisfying(Message.Refused.class, r -> {
                    assertThat(r.code()).isEqualTo(Message.Refused.NAME_TAKEN);
                    assertThat(r.reason()).contains("'n@h'").contains("'prod'");
                    assertThat(r.retryAfterMillis()).isPositive();
                });

        RawClient again = new RawClient(s.port(), 0, first.incarnation);
        closing.add(again);
        assertThat(again.register("prod", TOKEN, "n@h", RawClient.entry("n@h", 1001)))
                .isInstanceOf(Message.Welcome.class);
        assertThat(first.closedByServer()).as("the stale session is closed").isTrue();
        assertThat(s.counters().reclaims.get()).isEqualTo(1);
        assertThat(s.counters().namesTaken.get()).isEqualTo(1);
        assertThat(s.revision("prod"))
                .as("the same entry again: no change, so no one saw the node leave and come back")
                .isEqualTo(before);
        again.readUntil(s.revision("prod"));
        assertThat(again.view).containsOnlyKeys("o@h", "n@h");
        observer.readUntil(before);
        observer.send(new Message.Ping(observer.revision));
        assertThat(observer.read()).isEqualTo(new Message.Ping(before));
    }

    @Test
    void aClientResumesWithOneMergedDeltaWhenTheHistoryReachesAndWithASnapshotWhenItDoesNot() throws Exception {
        SaturnServer s = server(SaturnServerOptions.defaults().withHistorySize(8));
        RawClient b = registered(s, "b@h", 1002);
        RawClient a = registered(s, "a@h", 1001);
        long held = a.revision;
        long epoch = a.epoch;
        a.close();
        for (int i = 0; i < 3; i++) {
            b.send(new Message.Update(new NodeEntry("b@h", "127.0.0.1", 1002, Map.of("i", "" + i), List.of())));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> s.revision("prod") == held + 4);

        RawClient back = new RawClient(s.port(), 0, a.incarnation);
        closing.add(back);
        back.revision = held;
        assertThat(back.register("prod", TOKEN, "a@h", RawClient.entry("a@h", 1001), epoch, held))
                .isInstanceOfSatisfying(
                        Message.Welcome.class, w -> assertThat(w.snapshot()).isFalse());
        back.view.putAll(
                Map.of("a@h", RawClient.entry("a@h", 1001), "b@h", RawClient.entry("b@h", 1002))); // what it held
        back.readUntil(s.revision("prod"));
        assertThat(back.snapshots).isZero();
        assertThat(back.deltas).as("the gap's five changes in one frame").isEqualTo(1);
        assertThat(List.copyOf(back.view.values())).isEqualTo(s.entries("prod"));
        assertThat(s.counters().resumes.get()).isEqualTo(1);

        long held2 = back.revision;
        back.close();
        for (int i = 0; i < 10; i++) {
            b.send(new Message.Update(new NodeEntry("b@h", "127.0.0.1", 1002, Map.of("j", "" + i), List.of())));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> s.revision("prod") == held2 + 11);
        RawClient late = new RawClient(s.port(), 0, a.incarnation);
        closing.add(late);
        assertThat(late.register("prod", TOKEN, "a@h", RawClient.entry("a@h", 1001), epoch, held2))
                .isInstanceOfSatisfying(
                        Message.Welcome.class, w -> assertThat(w.snapshot()).isTrue());
        late.readUntil(s.revision("prod"));
        assertThat(late.snapshots).isEqualTo(1);
        assertThat(List.copyOf(late.view.values())).isEqualTo(s.entries("prod"));

        RawClient otherEpoch = client(s);
        assertThat(otherEpoch.register("prod", TOKEN, "z@h", RawClient.entry("z@h", 1), epoch + 1, held2))
                .as("a revision of another server run means nothing here")
                .isInstanceOfSatisfying(
                        Message.Welcome.class, w -> assertThat(w.snapshot()).isTrue());
    }

    @Test
    void aSnapshotLargerThanAPageComesInPagesThatFitTheFrameCap() throws Exception {
        SaturnServer s = server(SaturnServerOptions.defaults().withPageEntries(7));
        for (int i = 0; i < 40; i++) {
            registered(s, "n" + i + "@h", 2000 + i);
        }
        RawClient c = client(s);
        assertThat(c.register("prod", TOKEN, "late@h", RawClient.entry("late@h", 1)))
                .isInstanceOf(Message.Welcome.class);
        int pages = 0;
        while (true) {
            Message.SnapshotPage p = (Message.SnapshotPage) c.read();
            assertThat(p.entries().size()).isLessThanOrEqualTo(7);
            assertThat(p.first()).isEqualTo(pages == 0);
            pages++;
            if (p.last()) {
                break;
            }
        }
        assertThat(pages).isEqualTo(6); // 41 entries by 7
    }

    @Test
    void aSlowClientIsResynchronisedWithinItsQueueCapAndNoOneElseWaitsForIt() throws Exception {
        int queue = 16 * 1024;
        SaturnServer s = server(SaturnServerOptions.defaults()
                .withHistorySize(64)
                .withClientQueueBytes(queue)
                .withSocketSendBufferBytes(8 * 1024));
        RawClient slow = new RawClient(s.port(), 4096, Proofs.random(Codec.INCARNATION_BYTES));
        closing.add(slow);
        assertThat(slow.register("prod", TOKEN, "slow@h", RawClient.entry("slow@h", 1)))
                .isInstanceOf(Message.Welcome.class);
        slow.readUntil(s.revision("prod"));
        RawClient fast = registered(s, "fast@h", 2);
        RawClient writer = registered(s, "writer@h", 3);
        slow.socket.setSoTimeout(20_000);
        // the slow client reads nothing from here on, while the writer churns about 2 MB of changes
        String padding = "x".repeat(1000);
        long start = System.nanoTime();
        int changes = 2000;
        for (int i = 0; i < changes; i++) {
            writer.send(
                    new Message.Update(new NodeEntry("writer@h", "127.0.0.1", 3, Map.of("i", i + padding), List.of())));
            if (i % 100 == 0) {
                assertThat(s.maxQueuedBytes("prod"))
                        .as("what waits for any one client stays under its cap plus a frame")
                        .isLessThanOrEqualTo(queue + s.options().limits().maxFrameBytes());
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> s.revision("prod") >= changes);
        long last = s.revision("prod");
        fast.readUntil(last);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(seconds)
                .as("the fast client kept up (%.2f s for %d changes)", seconds, changes)
                .isLessThan(10);
        assertThat(s.counters().resyncs.get())
                .as("the slow client fell out of the history")
                .isPositive();

        slow.readUntil(last); // reads again: a snapshot brings it back
        assertThat(slow.snapshots).isGreaterThanOrEqualTo(2);
        assertThat(List.copyOf(slow.view.values())).isEqualTo(s.entries("prod"));
        assertThat(fast.view).isEqualTo(slow.view);
    }

    @Test
    void aSilentClientIsRemovedAfterTheTtlAndAPingingOneIsNot() throws Exception {
        SaturnServer s = server(SaturnServerOptions.defaults().withTtl(Duration.ofMillis(600)));
        RawClient observer = registered(s, "o@h", 1);
        RawClient silent = registered(s, "silent@h", 2);
        long t0 = System.nanoTime();
        // the observer pings well within the TTL; the silent one says nothing
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    observer.send(new Message.Ping(observer.revision));
                    return s.entries("prod").size() == 1;
                });
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(500);
        assertThat(s.entries("prod")).extracting(NodeEntry::name).containsExactly("o@h");
        assertThat(s.counters().expired.get()).isEqualTo(1);
        assertThat(silent.closedByServer()).isTrue();
    }

    @Test
    void registrationsPastTheAdmittedRateAreToldWhenToComeBack() throws Exception {
        SaturnServer s = server(SaturnServerOptions.defaults().withAdmission(5, 2));
        registered(s, "a@h", 1);
        registered(s, "b@h", 2);
        RawClient third = client(s);
        assertThat(third.register("prod", TOKEN, "c@h", RawClient.entry("c@h", 3)))
                .isInstanceOfSatisfying(Message.Refused.class, r -> {
                    assertThat(r.code()).isEqualTo(Message.Refused.BUSY);
                    assertThat(r.retryAfterMillis())
                            .as("about a fifth of a second, spread")
                            .isBetween(1, 500);
                });
        assertThat(s.counters().busy.get()).isEqualTo(1);
        assertThat(s.entries("prod")).hasSize(2);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    RawClient attempt = client(s);
                    return attempt.register("prod", TOKEN, "c@h", RawClient.entry("c@h", 3)) instanceof Message.Welcome;
                });
    }

    @Test
    void aTokenWithAnIdMayClaimOnlyTheNamesItIsFor() throws Exception {
        String workers = "the-workers-token-of-prod";
        SaturnServer s = server(
                SaturnServerOptions.defaults().withToken(new SaturnToken("prod", "workers", workers, "worker\\d+@.*")));
        RawClient worker = client(s);
        assertThat(worker.register("prod", "workers", workers, "worker1@h", RawClient.entry("worker1@h", 1), 0, -1))
                .isInstanceOf(Message.Welcome.class);
        RawClient impostor = client(s);
        assertThat(impostor.register(
                        "prod", "workers", workers, "coordinator@h", RawClient.entry("coordinator@h", 2), 0, -1))
                .isInstanceOfSatisfying(Message.Refused.class, r -> {
                    assertThat(r.code()).isEqualTo(Message.Refused.NAME_NOT_ALLOWED);
                    assertThat(r.reason()).contains("'workers'").contains("'coordinator@h'");
                });
        assertThat(s.counters().namesRefused.get()).isEqualTo(1);
        RawClient wrongId = client(s);
        assertThat(wrongId.register("prod", "admins", workers, "worker2@h", RawClient.entry("worker2@h", 3), 0, -1))
                .as("another id: another key, so the proofs do not verify")
                .isInstanceOfSatisfying(
                        Message.Refused.class, r -> assertThat(r.code()).isEqualTo(Message.Refused.BAD_PROOF));
        // the cluster's own token claims any name
        registered(s, "coordinator@h", 4);
        assertThat(s.entries("prod")).extracting(NodeEntry::name).containsExactly("coordinator@h", "worker1@h");
        assertThatThrownBy(() -> new SaturnToken("prod", "x", "0123456789abcdef", "(["))
                .hasMessageContaining("names is not a regular expression");
    }
}
