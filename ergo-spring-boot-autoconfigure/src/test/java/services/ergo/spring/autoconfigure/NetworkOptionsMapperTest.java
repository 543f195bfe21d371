package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.TlsOptions;
import services.ergo.spring.autoconfigure.PropertyProblems.Problem;

class NetworkOptionsMapperTest {
    private final PropertyProblems problems = new PropertyProblems();
    private final ErgoProperties.Network properties = new ErgoProperties.Network();

    @Test
    void unsetPropertiesAreTheCoresDefaults() {
        assertThat(NetworkOptionsMapper.map(properties, problems)).isEqualTo(NetworkOptions.on());
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void everyPropertyIsApplied() {
        properties.setEnabled(false);
        properties.setHidden(true);
        properties.setHost("10.0.0.7");
        properties.setPort(12000);
        properties.setPortRange(5);
        properties.setPoolSize(8);
        properties.setMaxMessageSize(DataSize.ofMegabytes(1));
        properties.setHandshakeTimeout(Duration.ofSeconds(2));
        properties.setKeepaliveInterval(Duration.ofSeconds(4));
        properties.setKeepaliveMisses(5);
        properties.setMaxPendingHandshakes(9);
        properties.setMaxPendingHandshakesPerAddress(7);
        properties.setMaxOutbox(DataSize.ofMegabytes(3));
        properties.getRemoteSpawn().setEnabled(false);
        properties.getRemoteApplicationStart().setEnabled(false);
        properties.getTls().setMode(ErgoProperties.TlsMode.SELF_SIGNED);
        assertThat(NetworkOptionsMapper.map(properties, problems))
                .isEqualTo(new NetworkOptions(
                        false,
                        "10.0.0.7",
                        12000,
                        5,
                        8,
                        1 << 20,
                        Duration.ofSeconds(2),
                        false,
                        false,
                        TlsOptions.selfSigned(),
                        true,
                        Duration.ofSeconds(4),
                        5,
                        9,
                        7,
                        3L << 20));
    }

    @Test
    void everyRefusedValueIsReportedWithTheCoresReason() {
        properties.setHost(" ");
        properties.setPort(70000);
        properties.setPortRange(0);
        properties.setPoolSize(0);
        properties.setMaxMessageSize(DataSize.ofBytes(10));
        properties.setHandshakeTimeout(Duration.ZERO);
        NetworkOptions mapped = NetworkOptionsMapper.map(properties, problems);
        assertThat(mapped).isEqualTo(NetworkOptions.on());
        assertThat(problems.problems())
                .extracting(Problem::property, Problem::reason)
                .containsExactly(
                        tuple("ergo.network.host", "network host must not be empty"),
                        tuple("ergo.network.port", "network port must be 0..65535, got 70000"),
                        tuple("ergo.network.port-range", "network portRange must be >= 1, got 0"),
                        tuple("ergo.network.pool-size", "network poolSize must be 1..64, got 0"),
                        tuple("ergo.network.max-message-size", "network maxMessageSize must be >= 1024 bytes, got 10"),
                        tuple("ergo.network.handshake-timeout", "network handshakeTimeout must be > 0, got PT0S"));
    }

    @Test
    void aMessageSizeBeyondAnIntIsTheStartersOwnRule() {
        properties.setMaxMessageSize(DataSize.ofGigabytes(3));
        NetworkOptionsMapper.map(properties, problems);
        assertThat(problems.problems())
                .singleElement()
                .extracting(Problem::property, Problem::reason)
                .containsExactly("ergo.network.max-message-size", "Must be set, and at most 2GB.");
    }

    @Test
    void certificatesModeNamesTheFirstFileMissingAndEveryUnreadableOne(@TempDir Path dir) throws IOException {
        ErgoProperties.Tls tls = properties.getTls();
        tls.setMode(ErgoProperties.TlsMode.CERTIFICATES);
        NetworkOptionsMapper.map(properties, problems);
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.property()).isEqualTo("ergo.network.tls.certificate-chain");
            assertThat(p.reason()).endsWith("missing: certificateChain, privateKey, trustedCertificates");
        });

        PropertyProblems unreadable = new PropertyProblems();
        Path chain = Files.writeString(dir.resolve("node.crt"), "pem");
        tls.setCertificateChain(chain);
        tls.setPrivateKey(dir.resolve("node.key"));
        tls.setTrustedCertificates(dir.resolve("ca.crt"));
        NetworkOptions mapped = NetworkOptionsMapper.map(properties, unreadable);
        assertThat(unreadable.problems())
                .extracting(Problem::property, Problem::reason)
                .containsExactly(
                        tuple("ergo.network.tls.private-key", "No readable file there."),
                        tuple("ergo.network.tls.trusted-certificates", "No readable file there."));
        assertThat(mapped.tls().mode()).isEqualTo(TlsOptions.Mode.CERTIFICATES);
    }

    @Test
    void remoteAccessListsTheAllowedNodes() {
        properties.getRemoteSpawn().setAllowedNodes(Map.of("worker", List.of("a@h")));
        properties.getRemoteApplicationStart().setAllowedNodes(Map.of("jobs", List.of()));
        var access = NetworkOptionsMapper.remoteAccess(properties);
        assertThat(access.spawnAllowedNodes()).containsEntry("worker", List.of("a@h"));
        assertThat(access.applicationStartAllowedNodes()).containsEntry("jobs", List.of());
    }
}
