package services.ergo.saturn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import services.ergo.saturn.protocol.Change;
import services.ergo.saturn.protocol.Message;

/**
 * A server configured by a {@code saturn.yaml} in a temporary directory, changed as operators change it (written
 * in place, replaced by a rename, swapped as a Kubernetes ConfigMap), with {@link RawClient}s over real TCP.
 */
class SaturnConfigReloadTest {
    static final String TOKEN = "a-cluster-token-of-some-length";
    static final String OTHER = "another-token-of-some-length";
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private Path file() {
        return dir.resolve("saturn.yaml");
    }

    /** Replaces the file as an editor does: a new file renamed over the old one. */
    private void write(String yaml) throws Exception {
        Path tmp = dir.resolve("saturn.yaml.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private SaturnServer server() {
        SaturnServer s = SaturnServer.start(SaturnServerOptions.defaults().withConfigFile(file()));
        closing.add(s);
        return s;
    }

    private RawClient registered(SaturnServer s, String cluster, String token, String name) throws Exception {
        RawClient c = RawClient.connect(s.port());
        closing.add(c);
        assertThat(c.register(cluster, token, name, RawClient.entry(name, 1000)))
                .isInstanceOf(Message.Welcome.class);
        c.readUntil(s.revision(cluster));
        return c;
    }

    private static String prod(String config) {
        return "clusters:\n  prod:\n    token: " + TOKEN + "\n    config:\n" + config;
    }

    /** Waits for the watcher to have put {@code n} reloads in force, or refused them. */
    private static void awaitReloads(SaturnServer s, long done, long failed) {
        await().atMost(WAIT)
                .until(() -> s.counters().configReloads.get() >= done
                        && s.counters().configReloadFailures.get() >= failed);
    }

    @Test
    void aReloadThatChangesOneItemPushesExactlyThatChange() throws Exception {
        write(prod("      a: 1\n      b: 2\n      c: text\n") + "    nodes:\n      n1:\n        a: 10\n");
        SaturnServer s = server();
        RawClient c = registered(s, "prod", TOKEN, "n1@h");
        long before = s.revision("prod");
        assertThat(c.config).isEqualTo(Map.of("*/a", "int:1", "*/b", "int:2", "*/c", "text", "n1/a", "int:10"));

        write(prod("      a: 1\n      b: 3\n      c: text\n") + "    nodes:\n      n1:\n        a: 10\n");
        awaitReloads(s, 1, 0);
        await().atMost(WAIT).until(() -> s.revision("prod") == before + 1);
        c.readUntil(before + 1);
        assertThat(c.changes).containsExactly(new Change.Config(before + 1, "*", "b", "int:3"));

        // removed, added and changed at once: one change each, nothing for what stayed
        write(prod("      b: 3\n      c: other\n      d: true\n"));
        awaitReloads(s, 2, 0);
        await().atMost(WAIT).until(() -> s.revision("prod") == before + 5);
        c.readUntil(before + 5);
        assertThat(c.configChanges.subList(1, 5))
                .extracting(Change.Config::name, Change.Config::value)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("*/a", null),
                        org.assertj.core.groups.Tuple.tuple("*/c", "other"),
                        org.assertj.core.groups.Tuple.tuple("*/d", "bool:true"),
                        org.assertj.core.groups.Tuple.tuple("n1/a", null));
        assertThat(c.config).isEqualTo(Map.of("*/b", "int:3", "*/c", "other", "*/d", "bool:true"));
        assertThat(s.config("prod")).hasSize(3);
    }

    @Test
    void aReloadThatChangesNothingPushesNothing() throws Exception {
        write(prod("      a: 1\n"));
        SaturnServer s = server();
        RawClient c = registered(s, "prod", TOKEN, "n1@h");
        long revision = s.revision("prod");
        long frames = s.counters().deltaFrames.get();

        // another spelling of the same, then a touch: each read, neither a change
        write("# reformatted\n" + prod("      a: 1\n"));
        awaitReloads(s, 1, 0);
        Files.setLastModifiedTime(file(), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        Files.writeString(file(), Files.readString(file()));
        awaitReloads(s, 2, 0);
        assertThat(s.revision("prod")).isEqualTo(revision);
        assertThat(s.counters().deltaFrames.get()).isEqualTo(frames);
        assertThat(s.reload()).isTrue();
        assertThat(s.revision("prod")).isEqualTo(revision);
        c.send(new Message.Ping(revision));
        assertThat(c.read()).as("the next frame is the ping's answer, no delta").isInstanceOf(Message.Ping.class);
    }

    @Test
    void aBadFileOnReloadIsCountedAndTheConfigurationInForceStays() throws Exception {
        write(prod("      a: 1\n"));
        SaturnServer s = server();
        long revision = s.revision("prod");

        write(prod("      a: 2\n") + "    tokens: not-a-list\n");
        awaitReloads(s, 0, 1);
        assertThat(s.revision("prod")).isEqualTo(revision);
        assertThat(s.config("prod")).extracting(e -> e.value()).containsExactly("int:1");
        RawClient c = registered(s, "prod", TOKEN, "n1@h");
        assertThat(c.config).containsEntry("*/a", "int:1");

        write(prod("      a: 2\n"));
        awaitReloads(s, 1, 1);
        c.readUntil(revision + 2); // its join, then the item
        assertThat(c.config).containsEntry("*/a", "int:2");
    }

    @Test
    void aClusterAddedByReloadTakesClientsAndARemovedOneClosesThem() throws Exception {
        write(prod("      a: 1\n"));
        SaturnServer s = server();
        RawClient early = RawClient.connect(s.port());
        closing.add(early);
        assertThat(early.register("staging", OTHER, "s1@h", RawClient.entry("s1@h", 1)))
                .isInstanceOf(Message.Refused.class);

        write(prod("      a: 1\n") + "  staging:\n    token: " + OTHER
                + "\n    config:\n      b: 2\nconfig:\n  g: x\n");
        awaitReloads(s, 1, 0);
        assertThat(s.clusters()).containsExactly("prod", "staging");
        RawClient staging = registered(s, "staging", OTHER, "s1@h");
        assertThat(staging.config).isEqualTo(Map.of("/g", "x", "*/b", "int:2"));
        RawClient prod = registered(s, "prod", TOKEN, "p1@h");
        assertThat(prod.config).isEqualTo(Map.of("/g", "x", "*/a", "int:1"));

        write(prod("      a: 1\n"));
        awaitReloads(s, 2, 0);
        assertThat(staging.closedByServer())
                .as("a removed cluster's clients are disconnected")
                .isTrue();
        assertThat(s.clusters()).containsExactly("prod");
        RawClient again = RawClient.connect(s.port());
        closing.add(again);
        assertThat(again.register("staging", OTHER, "s1@h", RawClient.entry("s1@h", 1)))
                .isInstanceOfSatisfying(
                        Message.Refused.class, r -> assertThat(r.code()).isEqualTo(Message.Refused.BAD_PROOF));
        prod.readUntil(s.revision("prod"));
        assertThat(prod.config).as("the global item left the file").isEqualTo(Map.of("*/a", "int:1"));

        // added again, past the revision its old client held: that client's revision means nothing here
        long held = staging.revision;
        write(prod("      a: 1\n") + "  staging:\n    token: " + OTHER + "\n    config:\n      b: 2\n      c: 3\n"
                + "      d: 4\n      e: 5\n");
        awaitReloads(s, 3, 0);
        assertThat(s.revision("staging")).isGreaterThanOrEqualTo(held);
        RawClient back = RawClient.connect(s.port());
        closing.add(back);
        assertThat(back.register("staging", OTHER, "s1@h", RawClient.entry("s1@h", 1), staging.epoch, held))
                .isInstanceOfSatisfying(
                        Message.Welcome.class, w -> assertThat(w.snapshot()).isTrue());
        back.readUntil(s.revision("staging"));
        assertThat(back.config).isEqualTo(Map.of("*/b", "int:2", "*/c", "int:3", "*/d", "int:4", "*/e", "int:5"));
    }

    @Test
    void aChangedTokenServesTheNextHandshakesAndDisconnectsTheClientsOfTheOldOne() throws Exception {
        String third = "a-third-token-of-some-length";
        write("clusters:\n  prod:\n    token: " + TOKEN + "\n    tokens:\n      - id: w\n        secret: " + OTHER
                + "\n        names: \"w\\\\d+@.*\"\n");
        SaturnServer s = server();
        RawClient own = registered(s, "prod", TOKEN, "a@h");
        RawClient worker = RawClient.connect(s.port());
        closing.add(worker);
        assertThat(worker.register("prod", "w", OTHER, "w1@h", RawClient.entry("w1@h", 1), 0, -1))
                .isInstanceOf(Message.Welcome.class);

        // the cluster's own token changes: its clients are out at once, the named token's stay
        write("clusters:\n  prod:\n    token: " + third + "\n    tokens:\n      - id: w\n        secret: " + OTHER
                + "\n        names: \"w\\\\d+@.*\"\n");
        awaitReloads(s, 1, 0);
        assertThat(own.closedByServer())
                .as("a revoked token's client is disconnected")
                .isTrue();
        await().atMost(WAIT).until(() -> s.counters().revoked.get() == 1);
        await().atMost(WAIT)
                .until(() -> !s.entries("prod").stream().anyMatch(e -> e.name().equals("a@h")));
        worker.readUntil(s.revision("prod"));
        assertThat(worker.view).as("the others hear the revoked node leave").containsOnlyKeys("w1@h");
        RawClient old = RawClient.connect(s.port());
        closing.add(old);
        assertThat(old.register("prod", TOKEN, "b@h", RawClient.entry("b@h", 1)))
                .isInstanceOf(Message.Refused.class);
        RawClient renewed = registered(s, "prod", third, "a@h");

        // the named token may no longer claim its client's name: that client goes, the own token's stays
        write("clusters:\n  prod:\n    token: " + third + "\n    tokens:\n      - id: w\n        secret: " + OTHER
                + "\n        names: \"x\\\\d+@.*\"\n");
        awaitReloads(s, 2, 0);
        assertThat(worker.closedByServer()).isTrue();
        await().atMost(WAIT).until(() -> s.counters().revoked.get() == 2);
        renewed.readUntil(s.revision("prod"));
        assertThat(renewed.view).containsOnlyKeys("a@h");
        assertThat(s.sessions("prod")).isEqualTo(1);
    }

    @Test
    void aDotFileItemFollowsItsFile() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "first");
        write(prod("      tls.ca.file: ca.pem\n"));
        SaturnServer s = server();
        RawClient c = registered(s, "prod", TOKEN, "n1@h");
        assertThat(c.config).containsEntry("*/tls.ca.file", "string:first");
        long revision = s.revision("prod");

        Files.writeString(dir.resolve("ca.pem"), "second"); // the yaml itself unchanged
        await().atMost(WAIT).until(() -> s.revision("prod") == revision + 1);
        c.readUntil(revision + 1);
        assertThat(c.config).containsEntry("*/tls.ca.file", "string:second");
    }

    @Test
    void aConfigMapSwapIsSeen() throws Exception {
        // kubelet's layout: saturn.yaml -> ..data/saturn.yaml, ..data -> ..<timestamp>; an update swaps ..data
        Path v1 = Files.createDirectory(dir.resolve("..v1"));
        Files.writeString(v1.resolve("saturn.yaml"), prod("      a: 1\n"));
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
        Files.createSymbolicLink(file(), Path.of("..data/saturn.yaml"));
        SaturnServer s = server();
        assertThat(s.config("prod")).extracting(e -> e.value()).containsExactly("int:1");

        Path v2 = Files.createDirectory(dir.resolve("..v2"));
        Files.writeString(v2.resolve("saturn.yaml"), prod("      a: 2\n"));
        Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(WAIT)
                .untilAsserted(() ->
                        assertThat(s.config("prod")).extracting(e -> e.value()).containsExactly("int:2"));
    }

    @Test
    void aRestartedServerHoldsTheConfigurationOfItsFile() throws Exception {
        write(prod("      a: 1\n") + "config:\n  g: true\n");
        SaturnServer s = server();
        int port = s.port();
        s.close();
        await().atMost(WAIT)
                .alias("the watcher is closed with its server")
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals("saturn-config-watcher")));
        SaturnServer again =
                SaturnServer.start(SaturnServerOptions.defaults().withPort(port).withConfigFile(file()));
        closing.add(again);
        RawClient c = registered(again, "prod", TOKEN, "n1@h");
        assertThat(c.config).isEqualTo(Map.of("*/a", "int:1", "/g", "bool:true"));
    }

    @Test
    void aBadFileStopsTheStartAndAClusterInBothOptionsAndFileIsRefused() throws Exception {
        write(prod("      a: [1]\n"));
        assertThatThrownBy(this::server)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at clusters.prod.config.a");
        write(prod("      a: 1\n"));
        assertThatThrownBy(() -> SaturnServer.start(SaturnServerOptions.defaults()
                        .withClusters(Map.of("prod", TOKEN))
                        .withConfigFile(file())))
                .hasMessageContaining("cluster 'prod' is in the server's options and in its file");

        // a file with global items only serves the options' clusters
        write("config:\n  g: 1\n");
        SaturnServer s = SaturnServer.start(SaturnServerOptions.defaults()
                .withClusters(Map.of("prod", TOKEN))
                .withConfigFile(file()));
        closing.add(s);
        assertThat(registered(s, "prod", TOKEN, "n@h").config).isEqualTo(Map.of("/g", "int:1"));
    }

    @Test
    void configListenersAreToldOncePerConfigurationPutInForceAndNotForARefusedFile() throws Exception {
        write(prod("      a: 1\n"));
        SaturnServer s = server();
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.Set<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> reloadsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable listener = () -> {
            told.incrementAndGet();
            seen.add(java.util.Set.copyOf(s.clusters()));
            reloadsSeen.add(s.counters().configReloads.get());
        };
        s.addConfigListener(listener);
        s.addConfigListener(() -> {
            throw new IllegalStateException("a listener that fails tells the others and fails no reload");
        });

        // by the watcher: a cluster added
        write(prod("      a: 1\n") + "  staging:\n    token: " + OTHER + "\n");
        awaitReloads(s, 1, 0);
        await().atMost(WAIT).until(() -> told.get() == 1);
        assertThat(seen.get(0)).containsExactlyInAnyOrder("prod", "staging");
        assertThat(reloadsSeen.get(0)).as("counted before the listener is told").isEqualTo(1);

        // a refused file: counted, not told
        write("clusters: [not, a, map]\n");
        awaitReloads(s, 1, 1);
        assertThat(s.reload()).isFalse();
        assertThat(s.counters().configReloadFailures.get()).isEqualTo(2);
        assertThat(told.get()).isEqualTo(1);

        // by hand, and by apply, even when nothing changes: once each
        write(prod("      a: 1\n"));
        awaitReloads(s, 2, 2);
        await().atMost(WAIT).until(() -> told.get() == 2);
        assertThat(seen.get(1)).containsExactly("prod");
        assertThat(s.reload()).isTrue();
        assertThat(told.get()).isEqualTo(3);
        s.apply(SaturnConfigFile.load(file(), s.options().limits()));
        assertThat(told.get()).isEqualTo(4);
        assertThat(s.counters().configReloads.get())
                .as("apply is not a reload of the file")
                .isEqualTo(3);

        s.removeConfigListener(listener);
        assertThat(s.reload()).isTrue();
        assertThat(told.get()).isEqualTo(4);
    }
}
