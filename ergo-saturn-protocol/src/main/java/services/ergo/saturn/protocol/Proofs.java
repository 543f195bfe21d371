package services.ergo.saturn.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster token, proven and never sent. Each side answers the other's fresh nonce with an HMAC-SHA256 keyed by
 * the token over its role, both nonces, the cluster, the version and features both agreed on, the node name (the
 * client's proof) and the server certificate's fingerprint as the client sees it (empty on plain TCP). The server
 * proves first, so a client never hands its proof to an impostor; a relay in the middle presents another
 * certificate, so the proofs it forwards do not verify.
 *
 * <pre>{@code
 * byte[] mine = Proofs.server(token, clientNonce, serverNonce, cluster, 1, features, fingerprint);
 * boolean ok = Proofs.same(mine, challenge.proof());
 * }</pre>
 *
 * <p>Saturn servers prove the peer secret to each other the same way ({@link #peer}): the acceptor first, over both
 * nonces, both server ids, the peer wire's version and features and the acceptor certificate's fingerprint.
 */
public final class Proofs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Proofs() {}

    public static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return b;
    }

    /** What the server sends in its CHALLENGE. */
    public static byte[] server(
            String token,
            byte[] clientNonce,
            byte[] serverNonce,
            String cluster,
            int version,
            java.util.List<String> features,
            byte[] fingerprint) {
        return mac(token, "saturn server", clientNonce, serverNonce, cluster, version, features, "", fingerprint);
    }

    /** What the client sends in its REGISTER for node {@code name}. */
    public static byte[] client(
            String token,
            byte[] clientNonce,
            byte[] serverNonce,
            String cluster,
            int version,
            java.util.List<String> features,
            String name,
            byte[] fingerprint) {
        return mac(token, "saturn client", clientNonce, serverNonce, cluster, version, features, name, fingerprint);
    }

    /** Which side of a peer link proves: the acceptor answers the HELLO first, the dialer proves after. */
    public enum PeerRole {
        ACCEPTOR("saturn peer acceptor"),
        DIALER("saturn peer dialer");

        final String label;

        PeerRole(String label) {
            this.label = label;
        }
    }

    /**
     * What {@code role} sends on a peer link: the acceptor in its PEER_CHALLENGE, the dialer in its PEER_PROOF.
     * {@code fingerprint} is the SHA-256 of the acceptor's certificate as the dialer sees it (empty on plain TCP).
     *
     * <pre>{@code
     * byte[] proof = Proofs.peer(secret, Proofs.PeerRole.ACCEPTOR, hello.nonce(), nonce, hello.serverId(), selfId,
     *         version, features, fingerprint);
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code secret} is empty
     */
    public static byte[] peer(
            String secret,
            PeerRole role,
            byte[] dialerNonce,
            byte[] acceptorNonce,
            String dialerId,
            String acceptorId,
            int version,
            java.util.List<String> features,
            byte[] fingerprint) {
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the peer secret is empty");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            field(mac, role.label.getBytes(StandardCharsets.UTF_8));
            field(mac, dialerNonce);
            field(mac, acceptorNonce);
            field(mac, dialerId.getBytes(StandardCharsets.UTF_8));
            field(mac, acceptorId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) version);
            field(mac, String.join(",", new java.util.TreeSet<>(features)).getBytes(StandardCharsets.UTF_8));
            field(mac, fingerprint);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Constant-time comparison. */
    public static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    private static byte[] mac(
            String token,
            String role,
            byte[] clientNonce,
            byte[] serverNonce,
            String cluster,
            int version,
            java.util.List<String> features,
            String name,
            byte[] fingerprint) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = token.getBytes(StandardCharsets.UTF_8);
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            field(mac, role.getBytes(StandardCharsets.UTF_8));
            field(mac, clientNonce);
            field(mac, serverNonce);
            field(mac, cluster.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) version);
            field(mac, String.join(",", new java.util.TreeSet<>(features)).getBytes(StandardCharsets.UTF_8));
            field(mac, name.getBytes(StandardCharsets.UTF_8));
            field(mac, fingerprint);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Length-prefixed, so that no two different field lists hash the same bytes. */
    private static void field(Mac mac, byte[] b) {
        mac.update((byte) (b.length >>> 24));
        mac.update((byte) (b.length >>> 16));
        mac.update((byte) (b.length >>> 8));
        mac.update((byte) b.length);
        mac.update(b);
    }
}
