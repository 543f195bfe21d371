package services.ergo.gen;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The key with which a node proves at a registrar that a name is its own: HMAC-SHA256 keyed by the cluster's
 * cookie over the node's name, so the cookie itself never goes to a registrar, and a key speaks for one name only.
 * The network derives it when it registers the node ({@link Registrar#register(Node, NetworkRoute, NameKey)});
 * nodes of one cluster derive the same key for the same name, nodes of another cluster a different one.
 *
 * <pre>{@code
 * NameKey key = NameKey.derive("secret", "worker1@host1");
 * byte[] verifier = key.verifier();     // what a registrar keeps while the name is held
 * }</pre>
 *
 * <p>With an empty cookie the key is one anyone can derive, and proves nothing.
 */
public final class NameKey {
    private static final String LABEL = "ergo registrar name key\0";

    private final String name;
    private final byte[] key;

    private NameKey(String name, byte[] key) {
        this.name = name;
        this.key = key;
    }

    /** The key of {@code name} in the cluster of {@code cookie} (an empty cookie gives everyone's key). */
    public static NameKey derive(String cookie, String name) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] secret = (cookie == null ? "" : cookie).getBytes(StandardCharsets.UTF_8);
            // as the handshake does: the JDK refuses an empty HMAC key
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, "HmacSHA256"));
            mac.update(LABEL.getBytes(StandardCharsets.UTF_8));
            return new NameKey(name, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The key, as sent to the registrar: 32 bytes, base64url without padding (43 characters). */
    public static NameKey of(String name, String encoded) {
        byte[] key = Base64.getUrlDecoder().decode(encoded);
        if (key.length != 32) {
            throw new IllegalArgumentException("a name key has 32 bytes, got " + key.length);
        }
        return new NameKey(name, key);
    }

    /** The name this key speaks for. */
    public String name() {
        return name;
    }

    /** The key, base64url without padding: what a node sends to the registrar it registers with. */
    public String encoded() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /**
     * SHA-256 of the key: what a registrar keeps, and what it may tell others, to check a later claim of the name
     * without being able to make one.
     */
    public byte[] verifier() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether this key is the one {@code verifier} was made from (in constant time). */
    public boolean matches(byte @Nullable [] verifier) {
        return verifier != null && MessageDigest.isEqual(verifier(), verifier);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof NameKey k && name.equals(k.name) && MessageDigest.isEqual(key, k.key);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(key);
    }

    /** The name only: a key is never logged. */
    @Override
    public String toString() {
        return "NameKey[" + name + "]";
    }
}
