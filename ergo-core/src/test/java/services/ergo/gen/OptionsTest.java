package services.ergo.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The options types state their defaults as constants and name the option a refused value was given for. */
class OptionsTest {

    @Test
    void theDefaultsAreTheConstants() {
        NetworkOptions network = NetworkOptions.on();
        assertThat(network.host()).isEqualTo(NetworkOptions.DEFAULT_HOST);
        assertThat(network.port()).isEqualTo(NetworkOptions.DEFAULT_PORT).isEqualTo(11144);
        assertThat(network.portRange()).isEqualTo(NetworkOptions.DEFAULT_PORT_RANGE);
        assertThat(network.poolSize()).isEqualTo(NetworkOptions.DEFAULT_POOL_SIZE);
        assertThat(network.maxMessageSize()).isEqualTo(NetworkOptions.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(network.handshakeTimeout()).isEqualTo(NetworkOptions.DEFAULT_HANDSHAKE_TIMEOUT);
        assertThat(network.remoteSpawn()).isEqualTo(NetworkOptions.DEFAULT_REMOTE_SPAWN);
        assertThat(network.remoteApplicationStart()).isEqualTo(NetworkOptions.DEFAULT_REMOTE_APPLICATION_START);
        assertThat(network.hidden()).isEqualTo(NetworkOptions.DEFAULT_HIDDEN);

        NodeOptions node = NodeOptions.defaults();
        assertThat(node.callTimeout()).isEqualTo(NodeOptions.DEFAULT_CALL_TIMEOUT);
        assertThat(node.messagesPerTurn()).isEqualTo(NodeOptions.DEFAULT_MESSAGES_PER_TURN);
        assertThat(node.idleSpin()).isEqualTo(NodeOptions.DEFAULT_IDLE_SPIN);
        assertThat(node.callSpin()).isEqualTo(NodeOptions.DEFAULT_CALL_SPIN);
        assertThat(node.network()).isEqualTo(network);
    }

    @Test
    void aRefusedValueNamesItsOption() {
        assertOption(() -> NetworkOptions.on().withHost(" "), "host");
        assertOption(() -> NetworkOptions.on().withPort(70000), "port");
        assertOption(() -> NetworkOptions.on().withPortRange(0), "portRange");
        assertOption(() -> NetworkOptions.on().withPoolSize(65), "poolSize");
        assertOption(() -> NetworkOptions.on().withMaxMessageSize(10), "maxMessageSize");
        assertOption(() -> NetworkOptions.on().withHandshakeTimeout(Duration.ZERO), "handshakeTimeout");
        assertOption(() -> NodeOptions.builder().schedulerThreads(0), "schedulerThreads");
        assertOption(() -> NodeOptions.builder().callTimeout(Duration.ofSeconds(-1)), "callTimeout");
        assertOption(() -> NodeOptions.builder().idleSpin(null), "idleSpin");
    }

    @Test
    void certificatesModeNamesTheFirstFileMissingAndListsThemAll() {
        Path file = Path.of("node.pem");
        assertOption(() -> new TlsOptions(TlsOptions.Mode.CERTIFICATES, null, file, file), "certificateChain");
        assertOption(() -> new TlsOptions(TlsOptions.Mode.CERTIFICATES, file, null, null), "privateKey");
        assertThatThrownBy(() -> new TlsOptions(TlsOptions.Mode.CERTIFICATES, file, null, null))
                .hasMessageEndingWith("missing: privateKey, trustedCertificates");
        assertOption(() -> new TlsOptions(TlsOptions.Mode.CERTIFICATES, file, file, null), "trustedCertificates");
        assertThat(TlsOptions.certificates(file, file, file).enabled()).isTrue();
    }

    static void assertOption(ThrowingCallable refused, String option) {
        assertThatThrownBy(refused)
                .as(option)
                .isInstanceOf(InvalidOptionException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(
                        e -> assertThat(((InvalidOptionException) e).option()).isEqualTo(option));
    }
}
