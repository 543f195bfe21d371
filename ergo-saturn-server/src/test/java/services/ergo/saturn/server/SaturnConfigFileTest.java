package services.ergo.saturn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import services.ergo.saturn.protocol.Limits;

/** {@link SaturnConfigFile}: real files, every kind of value, every mistake named where it is. */
class SaturnConfigFileTest {
    static final String TOKEN = "a-cluster-token-of-some-length";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private SaturnConfig load(String yaml) throws Exception {
        return SaturnConfigFile.load(write("saturn.yaml", yaml), Limits.defaults(), Map.of("SATURN_TOKEN", TOKEN)::get);
    }

    @Test
    void aFileReadsIntoClustersTokensAndTypedItemsAtEachScope() throws Exception {
        write("workers.secret", "a-worker-token-of-some-length\n");
        write("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        SaturnConfig config = load("""
                clusters:
                  production:
                    token: ${SATURN_TOKEN}
                    tokens:
                      - id: workers
                        secret-file: workers.secret
                        names: "worker\\\\d+@.*"
                    config:
                      db.pool_size: 20
                      db.ratio: 1.5
                      db.enabled: true
                      db.name: orders
                      db.limit: "int:7"
                      cache:
                        ttl: 30
                      tls.ca.file: ca.pem
                    nodes:
                      worker1@host1:
                        db.pool_size: 50
                  staging:
                    token-file: workers.secret
                config:
                  log.level: info
                """);

        assertThat(config.clusters()).containsOnlyKeys("production", "staging");
        SaturnConfig.Cluster production = config.clusters().get("production");
        assertThat(production.token()).isEqualTo(TOKEN);
        assertThat(production.tokens())
                .containsExactly(
                        new SaturnToken("production", "workers", "a-worker-token-of-some-length", "worker\\d+@.*"));
        assertThat(production.config().get("*"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "db.pool_size", "int:20",
                        "db.ratio", "float:1.5",
                        "db.enabled", "bool:true",
                        "db.name", "orders",
                        "db.limit", "int:7",
                        "cache.ttl", "int:30",
                        "tls.ca.file", "string:-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"));
        assertThat(production.config().get("worker1@host1")).isEqualTo(Map.of("db.pool_size", "int:50"));
        assertThat(config.clusters().get("staging").token()).isEqualTo("a-worker-token-of-some-length");
        assertThat(config.global()).isEqualTo(Map.of("log.level", "info"));
        assertThat(config.files()).containsExactlyInAnyOrder(dir.resolve("workers.secret"), dir.resolve("ca.pem"));
        assertThat(config.items("production"))
                .containsEntry("\0log.level", "info")
                .containsEntry("*\0db.pool_size", "int:20")
                .containsEntry("worker1@host1\0db.pool_size", "int:50");
        assertThat(production.toString()).doesNotContain(TOKEN);

        assertThat(load("# nothing yet\n")).isEqualTo(SaturnConfig.empty());
        assertThat(load("clusters:\n  production:\n    token: ${SATURN_TOKEN}\n    config:\n      a: 1\n"))
                .as("the same file twice: equal models, so a reload sees no change")
                .isEqualTo(load("clusters:\n  production:\n    config: {a: 1}\n    token: ${SATURN_TOKEN}\n"));
    }

    static Stream<Arguments> mistakes() {
        String cluster = "clusters:\n  production:\n    token: " + TOKEN + "\n";
        return Stream.of(
                Arguments.of(
                        "clusterz:\n  production: {}\n", "at clusterz", "unknown key (known here: clusters, config)"),
                Arguments.of(cluster + "    confg:\n      a: 1\n", "at clusters.production.confg", "unknown key"),
                Arguments.of(
                        "clusters:\n  production:\n    token: short\n", "at clusters.production.token", "at least 16"),
                Arguments.of(
                        "clusters:\n  production:\n    config: {a: 1}\n", "at clusters.production", "needs a token"),
                Arguments.of(
                        "clusters:\n  production:\n    token: " + TOKEN + "\n    token-file: x\n",
                        "at clusters.production",
                        "both token and token-file"),
                Arguments.of(
                        "clusters:\n  production:\n    token: ${NOT_SET}\n",
                        "at clusters.production.token",
                        "environment variable NOT_SET is not set"),
                Arguments.of(
                        "clusters:\n  production:\n    token-file: missing.secret\n",
                        "at clusters.production.token-file",
                        "cannot read"),
                Arguments.of(
                        cluster + "    tokens:\n      - id: w\n        secret: " + TOKEN
                                + "\n        names: \"worker[\"\n",
                        "at clusters.production.tokens[0]",
                        "names is not a regular expression"),
                Arguments.of(
                        cluster + "    tokens:\n      - id: w\n        secret: tiny\n",
                        "at clusters.production.tokens[0].secret",
                        "at least 16"),
                Arguments.of(
                        cluster + "    tokens:\n      - id: w\n        secret: " + TOKEN
                                + "\n      - id: w\n        secret: " + TOKEN + "\n",
                        "at clusters.production.tokens[1].id",
                        "named twice"),
                Arguments.of(
                        cluster + "    tokens:\n      - secret: " + TOKEN + "\n",
                        "at clusters.production.tokens[0].id",
                        "non-empty string"),
                Arguments.of(
                        cluster + "    config:\n      tls.ca.file: nowhere.pem\n",
                        "at clusters.production.config.tls.ca.file",
                        "cannot read"),
                Arguments.of(
                        cluster + "    config:\n      big.file: big.txt\n",
                        "at clusters.production.config.big.file",
                        "more than 4096"),
                Arguments.of(
                        cluster + "    config:\n      long: " + "x".repeat(5000) + "\n",
                        "at clusters.production.config.long",
                        "more than max-string-bytes (4096)"),
                Arguments.of(cluster + "    config:\n      a:\n", "at clusters.production.config.a", "has no value"),
                Arguments.of(
                        cluster + "    config:\n      a: [1, 2]\n", "at clusters.production.config.a", "not a list"),
                Arguments.of(
                        cluster + "    config:\n      day: 2026-12-02\n",
                        "at clusters.production.config.day",
                        "quote it"),
                Arguments.of(
                        cluster + "    config:\n      n: 123456789012345678901234567890\n",
                        "at clusters.production.config.n",
                        "64-bit"),
                Arguments.of(
                        cluster + "    nodes:\n      \"*\":\n        a: 1\n",
                        "at clusters.production.nodes.*",
                        "node scope"),
                Arguments.of(cluster + "  staging: []\n", "at clusters.staging", "must be a map"),
                Arguments.of("config: {a: 1, a: 2}\n", "saturn.yaml", "not valid YAML"),
                Arguments.of("clusters: [\n", "saturn.yaml", "not valid YAML"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void eachMistakeNamesTheFileTheKeyAndTheProblem(String yaml, String where, String problem) throws Exception {
        write("big.txt", "y".repeat(5000));
        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("saturn.yaml").toString())
                .hasMessageContaining(where)
                .hasMessageContaining(problem)
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void aMisplacedSecretIsNeverShown() throws Exception {
        assertThatThrownBy(() -> load("clusters:\n  production: " + TOKEN + "\n"))
                .hasMessageContaining("at clusters.production: must be a map")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> load("clusters:\n  production:\n    token: [" + TOKEN + "]\n"))
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void aDotFileThatIsNotTextIsRefused() throws Exception {
        Files.write(dir.resolve("key.der"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> load("config:\n  key.file: key.der\n")).hasMessageContaining("not UTF-8 text");
    }

    @Test
    void aClustersWholeConfigurationMustFitInASnapshotsFirstFrame() throws Exception {
        StringBuilder yaml = new StringBuilder("config:\n");
        for (int i = 0; i < 600; i++) {
            yaml.append("  item")
                    .append(i)
                    .append(": ")
                    .append("v".repeat(4000))
                    .append('\n');
        }
        yaml.append("clusters:\n  production:\n    token: ").append(TOKEN).append('\n');
        assertThatThrownBy(() -> load(yaml.toString()))
                .hasMessageContaining("at clusters.production")
                .hasMessageContaining("more than half a frame");
    }
}
