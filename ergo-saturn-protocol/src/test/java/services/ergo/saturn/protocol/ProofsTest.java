package services.ergo.saturn.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proofs bind every field they name: change any one and the proof changes. */
class ProofsTest {
    private static final String SECRET = "a peer secret of at least thirty-two characters";
    private static final byte[] DIALER_NONCE = nonce(1);
    private static final byte[] ACCEPTOR_NONCE = nonce(2);
    private static final byte[] FINGERPRINT = nonce(3);
    private static final List<String> FEATURES = List.of("digest-v1", "relay");

    private static byte[] nonce(int seed) {
        byte[] b = new byte[Codec.NONCE_BYTES];
        java.util.Arrays.fill(b, (byte) seed);
        return b;
    }

    private static byte[] peer(
            Proofs.PeerRole role,
            byte[] dialerNonce,
            byte[] acceptorNonce,
            String dialer,
            String acceptor,
            byte[] fingerprint) {
        return Proofs.peer(
                SECRET, role, dialerNonce, acceptorNonce, dialer, acceptor, PeerCodec.VERSION, FEATURES, fingerprint);
    }

    private static byte[] acceptor() {
        return peer(Proofs.PeerRole.ACCEPTOR, DIALER_NONCE, ACCEPTOR_NONCE, "saturn1", "saturn2", FINGERPRINT);
    }

    @Test
    void thePeerProofIsTheSameForTheSameFieldsAndInTheFeaturesAnyOrder() {
        assertThat(acceptor()).hasSize(Codec.PROOF_BYTES).isEqualTo(acceptor());
        assertThat(Proofs.peer(
                        SECRET,
                        Proofs.PeerRole.ACCEPTOR,
                        DIALER_NONCE,
                        ACCEPTOR_NONCE,
                        "saturn1",
                        "saturn2",
                        PeerCodec.VERSION,
                        List.of("relay", "digest-v1"),
                        FINGERPRINT))
                .isEqualTo(acceptor());
        assertThat(Proofs.same(acceptor(), acceptor())).isTrue();
    }

    @Test
    void thePeerProofDiffersPerRoleNonceServerIdAndFingerprint() {
        List<byte[]> proofs = new ArrayList<>();
        proofs.add(acceptor());
        proofs.add(peer(Proofs.PeerRole.DIALER, DIALER_NONCE, ACCEPTOR_NONCE, "saturn1", "saturn2", FINGERPRINT));
        proofs.add(peer(Proofs.PeerRole.ACCEPTOR, nonce(9), ACCEPTOR_NONCE, "saturn1", "saturn2", FINGERPRINT));
        proofs.add(peer(Proofs.PeerRole.ACCEPTOR, DIALER_NONCE, nonce(9), "saturn1", "saturn2", FINGERPRINT));
        // the nonces swapped: which side made which is bound too
        proofs.add(peer(Proofs.PeerRole.ACCEPTOR, ACCEPTOR_NONCE, DIALER_NONCE, "saturn1", "saturn2", FINGERPRINT));
        proofs.add(peer(Proofs.PeerRole.ACCEPTOR, DIALER_NONCE, ACCEPTOR_NONCE, "saturn3", "saturn2", FINGERPRINT));
        proofs.add(peer(Proofs.PeerRole.ACCEPTOR, DIALER_NONCE, ACCEPTOR_NONCE, "saturn1", "saturn3", FINGERPRINT));
        proofs.add(peer(Proofs.PeerRole.ACCEPTOR, DIALER_NONCE, ACCEPTOR_NONCE, "saturn2", "saturn1", FINGERPRINT));
        // the ids' bytes run together the same way: the length prefixes tell them apart
        proofs.add(peer(Proofs.PeerRole.ACCEPTOR, DIALER_NONCE, ACCEPTOR_NONCE, "saturn1s", "aturn2", FINGERPRINT));
        proofs.add(peer(Proofs.PeerRole.ACCEPTOR, DIALER_NONCE, ACCEPTOR_NONCE, "saturn1", "saturn2", nonce(9)));
        proofs.add(peer(Proofs.PeerRole.ACCEPTOR, DIALER_NONCE, ACCEPTOR_NONCE, "saturn1", "saturn2", new byte[0]));
        proofs.add(Proofs.peer(
                SECRET,
                Proofs.PeerRole.ACCEPTOR,
                DIALER_NONCE,
                ACCEPTOR_NONCE,
                "saturn1",
                "saturn2",
                2,
                FEATURES,
                FINGERPRINT));
        proofs.add(Proofs.peer(
                SECRET,
                Proofs.PeerRole.ACCEPTOR,
                DIALER_NONCE,
                ACCEPTOR_NONCE,
                "saturn1",
                "saturn2",
                1,
                List.of(),
                FINGERPRINT));
        proofs.add(Proofs.peer(
                SECRET + "!",
                Proofs.PeerRole.ACCEPTOR,
                DIALER_NONCE,
                ACCEPTOR_NONCE,
                "saturn1",
                "saturn2",
                1,
                FEATURES,
                FINGERPRINT));
        assertThat(proofs.stream().map(HexFormat.of()::formatHex).distinct()).hasSize(proofs.size());
    }

    /** A client's or a server's proof under the same key and nonces is never a peer's, nor the other way round. */
    @Test
    void aPeerProofIsNeitherAServerNorAClientProof() {
        byte[] server = Proofs.server(SECRET, DIALER_NONCE, ACCEPTOR_NONCE, "saturn1", 1, FEATURES, FINGERPRINT);
        byte[] client =
                Proofs.client(SECRET, DIALER_NONCE, ACCEPTOR_NONCE, "saturn1", 1, FEATURES, "saturn2", FINGERPRINT);
        assertThat(List.of(acceptor(), server, client).stream()
                        .map(HexFormat.of()::formatHex)
                        .distinct())
                .hasSize(3);
        assertThat(server).isNotEqualTo(client);
    }

    @Test
    void anEmptyPeerSecretIsRefused() {
        assertThatThrownBy(() -> Proofs.peer(
                        "", Proofs.PeerRole.DIALER, DIALER_NONCE, ACCEPTOR_NONCE, "a", "b", 1, FEATURES, FINGERPRINT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }
}
